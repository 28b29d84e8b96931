import { bootstrap, onShutdown } from '@paperboy/runtime';
import { startBounces } from './bounces.ts';

const { config, logger } = await bootstrap('bounces');
const bounces = await startBounces(config, logger);
onShutdown(logger, [() => bounces.close()]);

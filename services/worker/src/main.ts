import { bootstrap, onShutdown } from '@paperboy/runtime';
import { startWorker } from './worker.ts';

const { config, logger } = await bootstrap('worker');
const worker = await startWorker(config, logger);
onShutdown(logger, [() => worker.close()]);

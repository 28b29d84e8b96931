import { bootstrap, onShutdown } from '@paperboy/runtime';
import { startApi } from './server.ts';

const { config, logger } = await bootstrap('api');
const api = await startApi(config, logger);
onShutdown(logger, [() => api.close()]);

import { bootstrap, onShutdown } from '@paperboy/runtime';
import { startMailer } from './mailer.ts';

const { config, logger } = await bootstrap('mailer');
const mailer = await startMailer(config, logger);
onShutdown(logger, [() => mailer.close()]);

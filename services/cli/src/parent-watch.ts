/**
 * Loaded into each service `paperboy start` runs (node --import): when the CLI that started the
 * service is gone (killed, or its terminal closed) the service stops as if sent SIGTERM, through
 * its own graceful shutdown. Services run in their own process group, so this, not the terminal,
 * is how they learn that the CLI has died.
 */
import { watchParent } from './commands/watch-parent.ts';

watchParent(() => process.kill(process.pid, 'SIGTERM'));

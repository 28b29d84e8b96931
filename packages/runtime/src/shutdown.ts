import type { Logger } from 'pino';

type Closer = () => Promise<void>;

/**
 * Runs the closers once, in order, on SIGTERM or SIGINT, so in-flight jobs finish before the
 * process exits. A second signal, or a close slower than the grace period, forces the exit.
 */
export function onShutdown(logger: Logger, closers: Closer[], graceMs = 30_000): () => Promise<void> {
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const closer of closers) {
        try {
          await closer();
        } catch (error) {
          logger.error({ err: error }, 'error during shutdown');
        }
      }
    })();
    return closing;
  };
  const handle = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down, finishing in-flight work');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown took too long, exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    void close().then(() => {
      logger.info('shut down cleanly');
      process.exit(0);
    });
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
  return close;
}

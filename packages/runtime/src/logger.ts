import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * One JSON logger per process; `service` tells api, worker and mailer apart in a shared log stream.
 *
 * Lines go to stdout asynchronously: a line is written at once when no write is in flight, and
 * lines that arrive meanwhile go out together in the next write, so under load the api makes one
 * write for many requests' lines instead of a synchronous write per line. pino flushes what is
 * left synchronously when the process exits; only a process killed outright (SIGKILL) can lose
 * the lines of the write in flight.
 */
export function createLogger(service: string, level: string): Logger {
  return pino(
    {
      level,
      base: { service },
      // Belt and braces: tokens and secrets must never reach the logs even if a caller logs a whole object.
      redact: {
        paths: [
          'token',
          '*.token',
          'tokenSecret',
          '*.tokenSecret',
          'adminToken',
          '*.adminToken',
          'req.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 1, sync: false }),
  );
}

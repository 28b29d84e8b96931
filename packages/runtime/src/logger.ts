import { type Logger, pino } from 'pino';

export type { Logger };

/** One JSON logger per process; `service` tells api, worker and mailer apart in a shared log stream. */
export function createLogger(service: string, level: string): Logger {
  return pino({
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
  });
}

import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Personal data never goes in: request logs carry method, route and status
 * only, and these paths are redacted in case a caller passes a whole object.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password', 'email', '*.email', 'iin', '*.iin'],
      censor: '[redacted]',
    },
  });
}

import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../lib/logger.ts';
import { loggablePath } from './loggable-path.ts';

declare global {
  namespace Express {
    interface Request {
      /** Shown on error pages and in the X-Request-Id header, so a report can be matched to the log. */
      id: string;
      /** The logger with this request's id. */
      log: Logger;
    }
  }
}

/**
 * A request id for every request and one log line when it completes: method, path without the
 * query string or secret tokens, status and time. Nothing else: URLs and bodies may carry names,
 * IINs and tokens. (pino-http did this too, but it serialised each request into a child logger up
 * front, which cost more than serving a cached page.)
 */
export function requestLog(logger: Logger): RequestHandler {
  const logsRequests = logger.isLevelEnabled('info');
  return (request, response, next) => {
    const id = randomUUID();
    request.id = id;
    response.setHeader('X-Request-Id', id);
    let child: Logger | undefined;
    Object.defineProperty(request, 'log', { get: () => (child ??= logger.child({ requestId: id })), configurable: true });
    if (logsRequests && !request.url.startsWith('/static/')) {
      const started = performance.now();
      response.once('finish', () => {
        logger.info({ requestId: id, method: request.method, path: loggablePath(request.originalUrl), status: response.statusCode, ms: Math.round(performance.now() - started) }, 'request completed');
      });
    }
    next();
  };
}

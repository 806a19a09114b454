import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { DomainError } from '../lib/errors.ts';
import { loggablePath } from './loggable-path.ts';
import { isDatabaseUnavailable } from './database-unavailable.ts';

export const notFoundHandler: RequestHandler = (_request, response) => {
  response.status(404).render('errors/404', { titleKey: 'errors.notFound.title' });
};

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  code?: string;
  type?: string;
}

/** One place that turns errors into pages; a 500 shows a reference number and nothing else. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const httpError = (error ?? {}) as HttpLikeError;
    const requestId = String(request.id ?? '');
    if (response.headersSent) {
      logger.error({ err: error, requestId }, 'error after the response had started');
      return;
    }
    if (error instanceof DomainError) {
      if (error.status === 404) return response.status(404).render('errors/404', { titleKey: 'errors.notFound.title' });
      return response.status(error.status).render('errors/error', { titleKey: error.status === 403 ? 'errors.forbidden.title' : 'errors.generic.title', messageKey: error.messageKey, status: error.status });
    }
    if (httpError.code === 'EBADCSRFTOKEN') {
      return response.status(403).render('errors/error', { titleKey: 'errors.csrf.title', messageKey: 'errors.csrf.text', status: 403 });
    }
    if (httpError.type === 'entity.too.large') {
      return response.status(413).render('errors/error', { titleKey: 'errors.generic.title', messageKey: 'errors.tooLarge.text', status: 413 });
    }
    const status = httpError.status ?? httpError.statusCode;
    if (status && status >= 400 && status < 500) {
      return response.status(status).render('errors/error', { titleKey: 'errors.generic.title', messageKey: 'errors.badRequest.text', status });
    }
    if (isDatabaseUnavailable(error)) {
      logger.warn({ requestId, path: loggablePath(request.originalUrl) }, 'database unavailable');
      response.setHeader('Retry-After', '30');
      return response.status(503).render('errors/error', { titleKey: 'errors.unavailable.title', messageKey: 'errors.unavailable.text', status: 503 });
    }
    logger.error({ err: error, requestId, method: request.method, path: loggablePath(request.originalUrl) }, 'unhandled error');
    response.status(500).render('errors/500', { titleKey: 'errors.server.title', requestId });
  };
}

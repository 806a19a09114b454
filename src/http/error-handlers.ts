import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { i18n } from 'i18next';
import type { Logger } from 'pino';
import { DomainError } from '../lib/errors.ts';
import { loggablePath } from './loggable-path.ts';
import { isDatabaseUnavailable } from './database-unavailable.ts';
import { defaultLanguage, supportedLanguages } from './i18n.ts';
import { sendStaleFormBack } from './stale-form.ts';

export const notFoundHandler: RequestHandler = (_request, response) => {
  response.status(404).render('errors/404', { titleKey: 'errors.notFound.title' });
};

/**
 * What of an error goes into the log: Prisma's messages quote the query's arguments (names, IINs,
 * e-mails), so for those only the name, code and stack frames are kept.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  const candidate = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown };
  const name = typeof candidate.name === 'string' ? candidate.name : 'Error';
  const frames = typeof candidate.stack === 'string' ? candidate.stack.split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 10).join('\n') : undefined;
  const message = name.startsWith('PrismaClient') ? undefined : typeof candidate.message === 'string' ? candidate.message.slice(0, 500) : undefined;
  return { type: name, code: candidate.code, message, stack: frames };
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  code?: string;
  type?: string;
}

/**
 * An error raised before the page locals were set (a body too large, the session store down) still
 * gets a page in the reader's language: the locals the layout needs are filled in here.
 */
function ensurePageLocals(request: Request, response: Response, translations: i18n): void {
  const locals = response.locals;
  if (typeof locals.t === 'function') return;
  const cookieLanguage = /(?:^|;\s*)lang=(ru|kk|en)(?:;|$)/.exec(request.headers.cookie ?? '')?.[1];
  const language = cookieLanguage ?? defaultLanguage;
  locals.t = translations.getFixedT(language);
  locals.lang = language;
  locals.currentUser = null;
  locals.isChair = false;
  locals.currentPath = request.path;
  locals.returnPath = '/';
  locals.languageLinks = supportedLanguages.map((code) => ({ code, href: `/?lang=${code}`, current: code === language }));
  locals.takeFlash = () => [];
  locals.csrfToken = () => '';
  locals.fontSize ??= 'normal';
  locals.colourScheme ??= 'default';
}

/** One place that turns errors into pages; a 500 shows a reference number and nothing else. */
export function errorHandler(logger: Logger, translations: i18n, recordRefusedAccess?: (request: Request, status: number) => Promise<void>): ErrorRequestHandler {
  return async (error: unknown, request, response, _next) => {
    const httpError = (error ?? {}) as HttpLikeError;
    const requestId = String(request.id ?? '');
    if (response.headersSent) {
      logger.error({ err: loggableError(error), requestId }, 'error after the response had started');
      return;
    }
    ensurePageLocals(request, response, translations);
    // If even the error page fails to render, answer in plain words: never Express's stack trace.
    const originalRender = response.render.bind(response);
    response.render = ((view: string, options?: object) =>
      originalRender(view, options ?? {}, (renderError: Error | null, html?: string) => {
        if (renderError) {
          logger.error({ err: renderError, requestId }, 'error page failed to render');
          return response.type('text/plain').send(`Error ${response.statusCode}. Reference: ${requestId}`);
        }
        response.send(html);
      })) as Response['render'];
    if (error instanceof DomainError) {
      // Refused access is audited once, here (never with personal data); a failure to record it does not hide the page.
      if (recordRefusedAccess) await recordRefusedAccess(request, error.status).catch((recordError: unknown) => logger.warn({ err: loggableError(recordError), requestId }, 'refused access not recorded'));
      if (error.status === 404) return response.status(404).render('errors/404', { titleKey: 'errors.notFound.title' });
      return response.status(error.status).render('errors/error', { titleKey: error.status === 403 ? 'errors.forbidden.title' : 'errors.generic.title', messageKey: error.messageKey, status: error.status });
    }
    if (httpError.code === 'EBADCSRFTOKEN') {
      if (sendStaleFormBack(request, response)) return;
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
    logger.error({ err: loggableError(error), requestId, method: request.method, path: loggablePath(request.originalUrl) }, 'unhandled error');
    response.status(500).render('errors/500', { titleKey: 'errors.server.title', requestId });
  };
}

import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';

/** A page with a visitor's own token is hers: no shared cache may hand it to someone else. */
const tokenPageCacheControl = 'private, no-cache';

/** What stands for the visitor's CSRF token in a kept page with a form. */
const tokenPlaceholder = '\u0000csrf-token\u0000';

/**
 * A few seconds' memory of a public page as a visitor without a session sees it. The page then
 * differs only by language and display settings (the cache key), carries no name or flash message,
 * and on the busiest day (the last of the application window) most requests are exactly these.
 * Anyone with a session cookie, or a query string, gets a freshly rendered page. A change (e.g. the
 * cohort's dates) shows within `lifetimeMs`; each process keeps its own copy.
 *
 * A page with a form (the application form, the login page) also differs by the visitor's CSRF
 * token: given `csrfToken`, the page is kept with the token taken out, and each visitor gets it back
 * with her own (from her signed cookie, or a new one), so that it reads exactly as if rendered for her.
 */
export interface VisitorCsrfToken {
  /** The token this request's page was rendered with, if any (read only). */
  current(request: Request): string | undefined;
  /** The visitor's token: hers if she has one, otherwise a new one (set in her cookie). */
  issue(request: Request): string;
}

export function visitorPageCache(sessionCookieName: string, options: { lifetimeMs?: number; csrfToken?: VisitorCsrfToken } = {}): RequestHandler {
  const lifetimeMs = options.lifetimeMs ?? 10_000;
  const csrfToken = options.csrfToken;
  const pages = new Map<string, { body: Buffer | string; etag?: string; withToken?: boolean; until: number }>();
  const hasSessionCookie = new RegExp(`(?:^|;\\s*)${sessionCookieName}=`);
  return (request, response, next) => {
    if (request.method !== 'GET' || request.url.includes('?') || hasSessionCookie.test(request.headers.cookie ?? '')) return next();
    const locals = response.locals;
    const key = `${request.path}|${request.language}|${locals.fontSize}|${locals.colourScheme}`;
    const now = Date.now();
    const cached = pages.get(key);
    if (cached && cached.until > now) {
      if (cached.withToken) {
        response.type('html').set('Cache-Control', tokenPageCacheControl).send((cached.body as string).replaceAll(tokenPlaceholder, csrfToken!.issue(request)));
        return;
      }
      // With the ETag set, send() answers a matching If-None-Match with 304 and skips hashing the page again.
      response.type('html').set('ETag', cached.etag).send(cached.body);
      return;
    }
    const render = response.render.bind(response) as (view: string, options: object, callback: (error: Error | null, html: string) => void) => void;
    (response as Response).render = ((view: string, renderOptions?: object) =>
      render(view, renderOptions ?? {}, (error, html) => {
        // As Express's own render does without a callback.
        if (error) return request.next!(error);
        // Only a plain 200 for a visitor who still has no session is kept: an error page, or one that
        // started a session or asked not to be stored, must not be served to the next visitor.
        const startedSession = String(response.getHeader('Set-Cookie') ?? '').includes(`${sessionCookieName}=`);
        if (response.statusCode === 200 && !startedSession && !String(response.getHeader('Cache-Control') ?? '').includes('no-store')) {
          const token = csrfToken?.current(request);
          if (token && html.includes(token)) {
            response.set('Cache-Control', tokenPageCacheControl);
            pages.set(key, { body: html.replaceAll(token, tokenPlaceholder), withToken: true, until: now + lifetimeMs });
          } else {
            const body = Buffer.from(html);
            pages.set(key, { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"`, until: now + lifetimeMs });
          }
        }
        response.send(html);
      })) as Response['render'];
    next();
  };
}

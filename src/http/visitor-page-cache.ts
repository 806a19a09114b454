import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

/**
 * A few seconds' memory of a public page as a visitor without a session sees it. The page then
 * differs only by language and display settings (the cache key), carries no CSRF token, name or
 * flash message, and on the busiest day (the last of the application window) most requests are
 * exactly these. Anyone with a session cookie, or a query string, gets a freshly rendered page.
 * A change (e.g. the cohort's dates) shows within `lifetimeMs`; each process keeps its own copy.
 */
export function visitorPageCache(sessionCookieName: string, lifetimeMs = 10_000): RequestHandler {
  const pages = new Map<string, { body: Buffer; etag: string; until: number }>();
  const hasSessionCookie = new RegExp(`(?:^|;\\s*)${sessionCookieName}=`);
  return (request, response, next) => {
    if (request.method !== 'GET' || request.url.includes('?') || hasSessionCookie.test(request.headers.cookie ?? '')) return next();
    const locals = response.locals;
    const key = `${request.path}|${request.language}|${locals.fontSize}|${locals.colourScheme}`;
    const now = Date.now();
    const cached = pages.get(key);
    if (cached && cached.until > now) {
      // With the ETag set, send() answers a matching If-None-Match with 304 and skips hashing the page again.
      response.type('html').set('ETag', cached.etag).send(cached.body);
      return;
    }
    const render = response.render.bind(response) as (view: string, options: object, callback: (error: Error | null, html: string) => void) => void;
    (response as Response).render = ((view: string, options?: object) =>
      render(view, options ?? {}, (error, html) => {
        // As Express's own render does without a callback.
        if (error) return request.next!(error);
        // Only a plain 200 is kept: an error page must not be served to the next visitor.
        if (response.statusCode === 200) {
          const body = Buffer.from(html);
          pages.set(key, { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"`, until: now + lifetimeMs });
        }
        response.send(html);
      })) as Response['render'];
    next();
  };
}

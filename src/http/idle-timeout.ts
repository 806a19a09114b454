import type { Request, RequestHandler } from 'express';
import { addFlash } from './flash.ts';
import { currentUser } from './guards.ts';
import { recoveredParameter } from './stale-form.ts';

declare module 'express-session' {
  interface SessionData {
    /** When a signed-in member of staff last did something (ms); the idle timeout counts from it. */
    lastActivityAt?: number;
  }
}

/** Staff open police and psychiatric certificates: their sessions end after a while without activity. */
function isStaff(request: Request): boolean {
  const user = currentUser(request);
  return user !== undefined && user.role !== 'MENTOR';
}

/**
 * Where to come back to after signing in again: the page itself, or for a form the page it was sent
 * from, with ?recovered=1 so that form-keeper.js puts back what was typed (nothing is lost).
 */
function returnPath(request: Request): string {
  if (request.method === 'GET') return request.originalUrl;
  try {
    const referer = new URL(request.get('referer') ?? '');
    if (referer.hostname !== request.hostname) return '/';
    referer.searchParams.delete('_csrf');
    referer.searchParams.set(recoveredParameter, '1');
    return `${referer.pathname}${referer.search}`;
  } catch {
    return '/';
  }
}

/**
 * Signs staff out after `idleMs` without a request (the 12-hour lifetime of the cookie is a separate,
 * absolute limit). The time is written at most once a minute (a tenth of the timeout if shorter), so
 * pages do not rewrite the session row each time. Pages tell idle-warning.js the timeout, which warns
 * a few minutes before it.
 */
export function staffIdleTimeout(idleMs: number): RequestHandler {
  return (request, response, next) => {
    if (!isStaff(request)) return next();
    const now = Date.now();
    const last = request.session.lastActivityAt;
    if (last !== undefined && now - last > idleMs) {
      const back = returnPath(request);
      return request.logOut((error) => {
        if (error) return next(error);
        addFlash(request, 'info', 'auth.flash.idleSignedOut');
        response.redirect(303, `/login?next=${encodeURIComponent(back)}`);
      });
    }
    if (last === undefined || now - last >= Math.min(60_000, idleMs / 10)) request.session.lastActivityAt = now;
    response.locals.idleTimeoutSeconds = Math.round(idleMs / 1000);
    next();
  };
}

/** "Stay signed in": the warning's button, and typing on a long form, count as activity. */
export const keepSessionAlive: RequestHandler = (request, response) => {
  if (isStaff(request)) request.session.lastActivityAt = Date.now();
  response.status(204).end();
};

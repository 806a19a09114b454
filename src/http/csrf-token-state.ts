import type { Request } from 'express';

/** The CSRF token of a visitor who has no session yet: a signed, HTTP-only cookie. */
const visitorTokenCookie = 'zhas.csrf';
/** A token set in this response's cookie, so that every form of the page carries the same one. */
const tokenSetNow = new WeakMap<Request, string>();

/** A session worth keeping: somebody signed in, or a visitor who has started something (held files, a draft, a message). */
function hasSession(request: Request): boolean {
  return request.session !== undefined && Object.keys(request.session).some((key) => key !== 'cookie');
}

/**
 * Where csrf-sync keeps the token. Once there is a session, in the session (synchroniser token). Before
 * that, a visitor reading the login page or the application form gets the token in a signed cookie
 * instead, so that no session row is written for someone who has not started anything.
 */
export function csrfTokenState(secureCookies: boolean) {
  return {
    getTokenFromState(request: Request): string | undefined {
      const fromCookie: unknown = request.signedCookies?.[visitorTokenCookie];
      const visitorToken = tokenSetNow.get(request) ?? (typeof fromCookie === 'string' ? fromCookie : undefined);
      if (!hasSession(request)) return visitorToken;
      // A visitor whose first post just started the session keeps the token of the page she has open;
      // signing in starts a new session, and from then on only the session's own token counts.
      return request.session.csrfToken ?? (request.user ? undefined : visitorToken);
    },
    storeTokenInState(request: Request, token?: string | null): void {
      if (hasSession(request)) {
        request.session.csrfToken = token;
        return;
      }
      if (token) tokenSetNow.set(request, token);
      request.res?.cookie(visitorTokenCookie, token ?? '', { signed: true, httpOnly: true, sameSite: 'lax', secure: secureCookies });
    },
  };
}

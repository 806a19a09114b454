/**
 * Sessions for the load runs: the real flows (GET /login → CSRF token → POST /login; GET /apply for a
 * visitor), with one catch. In production the session cookie is `Secure`, and express-session does not
 * send a Secure cookie at all over plain http (there is no Set-Cookie to read). The session does exist
 * server-side, in the "Session" table, so the benchmark finds the session the request created there
 * (by its CSRF token, or by the user after login) and signs its id with SESSION_SECRET exactly as
 * express-session would: a browser behind TLS would have received this very cookie.
 */
import { createHmac } from 'node:crypto';
import type pg from 'pg';

export const sessionCookieName = 'zhas.sid';

export interface BrowserSession {
  /** The Cookie header value. */
  cookie: string;
  /** This session's CSRF token (csrf-sync keeps one per session). */
  csrfToken: string;
  /** How the cookie was obtained: from Set-Cookie, or rebuilt from the session store. */
  cookieSource: 'set-cookie' | 'visitor-cookie' | 'session-store';
}

export function csrfTokenIn(html: string): string | null {
  const match = /name="_csrf" value="([^"]+)"/.exec(html) ?? /[?&]_csrf=([^"&]+)/.exec(html);
  return match ? decodeURIComponent(match[1]) : null;
}

/** `zhas.sid=s%3A<sid>.<hmac>`: cookie-signature's format, URL-encoded like express-session does. */
export function sessionCookieFor(sid: string, secret: string): string {
  const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `${sessionCookieName}=${encodeURIComponent(`s:${sid}.${signature}`)}`;
}

/** The visitor's CSRF cookie (src/http/csrf-token-state.ts): a visitor who has not started anything has no session. */
const visitorTokenCookieName = 'zhas.csrf';

function cookieFromResponse(response: Response, name: string): string | null {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return null;
}
const sessionCookieFromResponse = (response: Response) => cookieFromResponse(response, sessionCookieName);

export class SessionMaker {
  constructor(
    private readonly db: pg.Client,
    private readonly secret: string,
  ) {}

  /** What a visitor gets by opening a page with a form (/apply, /login): the signed CSRF cookie (or, before that existed, a session holding the token). */
  async visitorSession(baseUrl: string, path = '/apply'): Promise<BrowserSession> {
    const response = await fetch(`${baseUrl}${path}`, { redirect: 'manual' });
    const html = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    const csrfToken = csrfTokenIn(html);
    if (!csrfToken) throw new Error(`GET ${path} has no CSRF token`);
    const fromHeader = sessionCookieFromResponse(response);
    if (fromHeader) return { cookie: fromHeader, csrfToken, cookieSource: 'set-cookie' };
    const visitorToken = cookieFromResponse(response, visitorTokenCookieName);
    if (visitorToken) return { cookie: visitorToken, csrfToken, cookieSource: 'visitor-cookie' };
    const { rows } = await this.db.query<{ sid: string }>(`SELECT sid FROM "Session" WHERE data LIKE $1`, [`%"csrfToken":"${csrfToken}"%`]);
    if (rows.length !== 1) throw new Error(`expected one stored session with the CSRF token of GET ${path}, found ${rows.length}`);
    return { cookie: sessionCookieFor(rows[0].sid, this.secret), csrfToken, cookieSource: 'session-store' };
  }

  /**
   * Logs in through the login form, then opens `pagePath` (a page with a form) for the CSRF token of
   * the new session (login regenerates the session, so the old token is gone).
   */
  async login(baseUrl: string, email: string, password: string, pagePath: string): Promise<BrowserSession> {
    const loginPage = await this.visitorSession(baseUrl, '/login');
    const user = (await this.db.query<{ id: number }>('SELECT id FROM "User" WHERE email = $1', [email])).rows[0];
    if (!user) throw new Error(`no user ${email}`);
    const ofUser = `%"passport":{"user":${user.id}}%`;
    const before = new Set((await this.db.query<{ sid: string }>(`SELECT sid FROM "Session" WHERE data LIKE $1`, [ofUser])).rows.map((row) => row.sid));

    const response = await fetch(`${baseUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: loginPage.cookie },
      body: new URLSearchParams({ email, password, _csrf: loginPage.csrfToken }).toString(),
    });
    const body = await response.text();
    if (response.status !== 303) throw new Error(`login as ${email} answered ${response.status}: ${body.slice(0, 300)}`);

    let cookie = sessionCookieFromResponse(response);
    let cookieSource: BrowserSession['cookieSource'] = 'set-cookie';
    if (!cookie) {
      const after = (await this.db.query<{ sid: string }>(`SELECT sid FROM "Session" WHERE data LIKE $1`, [ofUser])).rows.filter((row) => !before.has(row.sid));
      if (after.length !== 1) throw new Error(`expected one new stored session for ${email} after login, found ${after.length}`);
      cookie = sessionCookieFor(after[0].sid, this.secret);
      cookieSource = 'session-store';
    }

    const page = await fetch(`${baseUrl}${pagePath}`, { redirect: 'manual', headers: { Cookie: cookie } });
    const html = await page.text();
    if (page.status !== 200) throw new Error(`after login as ${email}, GET ${pagePath} answered ${page.status} (${page.headers.get('location') ?? ''})`);
    const csrfToken = csrfTokenIn(html);
    if (!csrfToken) throw new Error(`GET ${pagePath} as ${email} has no CSRF token`);
    return { cookie, csrfToken, cookieSource };
  }
}

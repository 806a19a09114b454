import { Router, type RequestHandler } from 'express';

/** The visually-impaired controls of the source site: font size and colour scheme, kept in cookies. */
export const fontSizes = ['normal', 'large', 'larger'] as const;
export const colourSchemes = ['default', 'contrast'] as const;
export type FontSize = (typeof fontSizes)[number];
export type ColourScheme = (typeof colourSchemes)[number];

const oneYearMs = 365 * 24 * 3_600_000;

function pick<T extends string>(allowed: readonly T[], value: unknown, fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Only same-site paths: "/faq" yes, "//evil.example" and "https://…" no. */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}

export const displayPreferencesLocals: RequestHandler = (request, response, next) => {
  response.locals.fontSize = pick(fontSizes, request.cookies?.fontSize, 'normal');
  response.locals.colourScheme = pick(colourSchemes, request.cookies?.colourScheme, 'default');
  next();
};

/**
 * Plain links (GET) so the controls work on every page without JavaScript and without a session;
 * they change nothing but the reader's own display.
 */
export function displayPreferencesRouter(secureCookies: boolean): Router {
  const router = Router();
  router.get('/preferences/display', (request, response) => {
    const cookieOptions = { maxAge: oneYearMs, sameSite: 'lax' as const, httpOnly: true, secure: secureCookies };
    if (request.query.fontSize !== undefined) {
      response.cookie('fontSize', pick(fontSizes, request.query.fontSize, 'normal'), cookieOptions);
    }
    if (request.query.colourScheme !== undefined) {
      response.cookie('colourScheme', pick(colourSchemes, request.query.colourScheme, 'default'), cookieOptions);
    }
    response.redirect(303, safeReturnPath(request.query.return));
  });
  return router;
}

import type { Request, Response } from 'express';
import { addFlash } from './flash.ts';

/** The query parameter that tells the page (public/js/form-keeper.js) to put back what was typed. */
export const recoveredParameter = 'recovered';

/**
 * A hidden field (value "1") of a form whose text is kept on the server when it arrives from someone
 * who has been signed out meanwhile: she signs in again and the page fills the form from the session.
 */
export const keepWhenSignedOutField = '_keepWhenSignedOut';

/** What a signed-out visitor posted, for the page at `path`, until she signs in and the page takes it. */
export interface KeptForm {
  path: string;
  fields: Record<string, string | string[]>;
  keptAt: number;
}

declare module 'express-session' {
  interface SessionData {
    keptForm?: KeptForm;
  }
}

const keptFormMaxAgeMs = 24 * 3_600_000;

/** Whether the browser says the post came from a page of this host (Origin, else Referer). */
function cameFromThisSite(request: Request): boolean {
  const origin = request.get('origin');
  const source = origin && origin !== 'null' ? origin : request.get('referer');
  try {
    const url = new URL(source ?? '');
    return url.host === request.host && (url.protocol === 'http:' || url.protocol === 'https:');
  } catch {
    return false;
  }
}

/** The signed-out case: the text is kept in the (new) session and she is sent to sign in, then back. */
function keepSignedOutForm(request: Request, response: Response): boolean {
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (body[keepWhenSignedOutField] !== '1' || request.isAuthenticated?.() || !request.session || !cameFromThisSite(request)) return false;
  const fields: KeptForm['fields'] = {};
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('_') || /password/i.test(name)) continue;
    if (typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))) fields[name] = value as string | string[];
  }
  const path = new URL(request.originalUrl, 'http://portal.invalid').pathname;
  request.session.keptForm = { path, fields, keptAt: Date.now() };
  addFlash(request, 'info', 'errors.csrf.signedOutKept');
  response.redirect(303, `/login?next=${encodeURIComponent(path)}`);
  return true;
}

/** The kept text of the form of `path`, for the signed-in user who opens it again (null if none). */
export function keptFormFor(request: Request, path: string): KeptForm['fields'] | null {
  const kept = request.session?.keptForm;
  if (!kept || kept.path !== path || !request.isAuthenticated?.()) return null;
  if (Date.now() - kept.keptAt > keptFormMaxAgeMs) {
    delete request.session.keptForm;
    return null;
  }
  return kept.fields;
}

/** Forgets the kept text of `path` once the form has been saved. */
export function forgetKeptForm(request: Request, path: string): void {
  if (request.session?.keptForm?.path === path) delete request.session.keptForm;
}

/** Signing in starts a new session; the kept text moves into it (see auth.handlers.ts). */
export function keptFormOf(request: Request): KeptForm | undefined {
  return request.session?.keptForm;
}
export function keepFormAfterSignIn(request: Request, kept: KeptForm | undefined): void {
  if (kept) request.session.keptForm = kept;
}

/**
 * A form posted with an expired session or a stale CSRF token goes back to the page it came from,
 * where form-keeper.js fills it in again from what the browser kept, with one sentence saying why.
 * Only a form of this portal (its Referer on this host) comes back: a post from another site still
 * gets the plain 403. Returns whether it answered.
 */
export function sendStaleFormBack(request: Request, response: Response): boolean {
  if (request.method !== 'POST' || !request.accepts('html')) return false;
  if (keepSignedOutForm(request, response)) return true;
  let referer: URL;
  try {
    referer = new URL(request.get('referer') ?? '');
  } catch {
    return false;
  }
  if (referer.host !== request.host || (referer.protocol !== 'http:' && referer.protocol !== 'https:')) return false;
  if (request.session) addFlash(request, 'info', 'errors.csrf.recovered');
  referer.searchParams.delete('_csrf');
  referer.searchParams.set(recoveredParameter, '1');
  response.redirect(303, `${referer.pathname}${referer.search}${referer.hash}`);
  return true;
}

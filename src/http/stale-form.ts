import type { Request, Response } from 'express';
import { addFlash } from './flash.ts';

/** The query parameter that tells the page (public/js/form-keeper.js) to put back what was typed. */
export const recoveredParameter = 'recovered';

/**
 * A form posted with an expired session or a stale CSRF token goes back to the page it came from,
 * where form-keeper.js fills it in again from what the browser kept, with one sentence saying why.
 * Only a form of this portal (its Referer on this host) comes back: a post from another site still
 * gets the plain 403. Returns whether it answered.
 */
export function sendStaleFormBack(request: Request, response: Response): boolean {
  if (request.method !== 'POST' || !request.accepts('html')) return false;
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

import type { Request, RequestHandler } from 'express';
import { enumLists } from '../lib/enum-lists.ts';
import { localisedName } from '../lib/localised-name.ts';
import { takeFlash } from './flash.ts';
import { currentUser, userHasRole } from './guards.ts';
import { defaultLanguage, isLanguage, supportedLanguages } from './i18n.ts';

/** The current URL with one query parameter set (for the language and display links). */
function urlWithParameter(request: Request, name: string, value: string): string {
  const url = new URL(request.originalUrl, 'http://placeholder');
  url.searchParams.set(name, value);
  return `${url.pathname}${url.search}`;
}

/**
 * What is the same for every page (app.locals): the name of a record in the reader's language
 * (localisedName(region, lang)) and the enum lists (applicationStatuses, languages, userRoles...).
 */
export const viewHelpers = { localisedName, ...enumLists };

/** What every view may use: t, lang, the signed-in user, flash messages, links, a lazy CSRF token. */
export function pageLocals(generateCsrfToken: (request: Request) => string): RequestHandler {
  return (request, response, next) => {
    const language = isLanguage(request.language) ? request.language : defaultLanguage;
    const user = currentUser(request);
    const locals = response.locals;
    locals.t = request.t;
    locals.lang = language;
    locals.currentUser = user ?? null;
    locals.isChair = user ? userHasRole(user, 'CHAIR') : false;
    locals.currentPath = request.path;
    locals.returnPath = request.originalUrl.split('?')[0];
    locals.languageLinks = supportedLanguages.map((code) => ({ code, href: urlWithParameter(request, 'lang', code), current: code === language }));
    // Taken only by a page that renders, so a redirect in between does not swallow the message.
    locals.takeFlash = () => (request.session ? takeFlash(request) : []);
    // Generated only when a page has a form, so a visitor reading public pages gets no session.
    locals.csrfToken = () => generateCsrfToken(request);
    locals.titleKey = 'site.name';
    next();
  };
}

import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import type { RequestHandler } from 'express';
import { languages } from '../lib/enum-lists.ts';
import { projectRoot } from '../project-root.ts';

export const supportedLanguages = languages;
export type Language = (typeof supportedLanguages)[number];
export const defaultLanguage: Language = 'ru';
export const languageCookieName = 'lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (supportedLanguages as readonly string[]).includes(value);
}

const localesDir = path.join(projectRoot, 'locales');

/** Reads every locales/<language>/<namespace>.json file; the file name is the namespace. */
export type TranslationTree = { [key: string]: string | TranslationTree };

export function loadTranslationResources(): Record<Language, Record<string, TranslationTree>> {
  const resources = {} as Record<Language, Record<string, TranslationTree>>;
  for (const language of supportedLanguages) {
    resources[language] = {};
    for (const file of fs.readdirSync(path.join(localesDir, language)).filter((name) => name.endsWith('.json'))) {
      resources[language][path.basename(file, '.json')] = JSON.parse(fs.readFileSync(path.join(localesDir, language, file), 'utf8'));
    }
  }
  return resources;
}

/** One i18next instance per app, so tests can build several apps side by side. */
export async function createI18n(): Promise<i18n> {
  const resources = loadTranslationResources();
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    supportedLngs: [...supportedLanguages],
    fallbackLng: defaultLanguage,
    ns: Object.keys(resources[defaultLanguage]),
    defaultNS: 'common',
    interpolation: { escapeValue: false }, // EJS escapes every value it prints
    returnNull: false,
  });
  return instance;
}

/** A lookup with a key alone (no options) always gives the same text, so it is remembered (bounded; keys come from code). */
const maxRememberedKeys = 10_000;

function rememberingTranslator(fixed: TFunction): TFunction {
  const remembered = new Map<string, string>();
  const translate = (key: unknown, ...rest: unknown[]) => {
    if (rest.length > 0 || typeof key !== 'string') return (fixed as unknown as (...args: unknown[]) => unknown)(key, ...rest);
    let text = remembered.get(key);
    if (text === undefined) {
      text = String(fixed(key));
      if (remembered.size < maxRememberedKeys) remembered.set(key, text);
    }
    return text;
  };
  return translate as unknown as TFunction;
}

declare global {
  namespace Express {
    interface Request {
      /** The page's language: ?lang=, then the lang cookie, then Russian (the browser's header is ignored). */
      language: Language;
      /** Translates into the page's language. */
      t: TFunction;
      /** The app's i18next instance, for texts in another language (e-mails in the applicant's language). */
      i18n: i18n;
    }
  }
}

const oneYearMs = 365 * 24 * 3_600_000;

/**
 * Picks the page's language and gives the request a translator for it. A language chosen with
 * ?lang= is remembered in a cookie. One translator per language, made once: cloning i18next per
 * request (what i18next-http-middleware does) cost more CPU than rendering the page.
 */
export function i18nMiddleware(instance: i18n, secureCookies: boolean): RequestHandler {
  const translators = new Map(supportedLanguages.map((language) => [language, rememberingTranslator(instance.getFixedT(language))]));
  return (request, response, next) => {
    const fromQuery = request.query.lang;
    const fromCookie: unknown = request.cookies?.[languageCookieName];
    const language = isLanguage(fromQuery) ? fromQuery : isLanguage(fromCookie) ? fromCookie : defaultLanguage;
    if (isLanguage(fromQuery) && fromQuery !== fromCookie) {
      response.cookie(languageCookieName, fromQuery, { maxAge: oneYearMs, sameSite: 'lax', httpOnly: true, secure: secureCookies });
    }
    request.language = language;
    request.t = translators.get(language)!;
    request.i18n = instance;
    response.setHeader('Content-Language', language);
    next();
  };
}

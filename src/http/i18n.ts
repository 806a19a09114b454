import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n } from 'i18next';
import { LanguageDetector, handle } from 'i18next-http-middleware';
import type { RequestHandler } from 'express';
import { projectRoot } from '../config.ts';

export const supportedLanguages = ['ru', 'kk', 'en'] as const;
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
  await instance.use(LanguageDetector).init({
    resources,
    supportedLngs: [...supportedLanguages],
    fallbackLng: defaultLanguage,
    ns: Object.keys(resources[defaultLanguage]),
    defaultNS: 'common',
    interpolation: { escapeValue: false }, // EJS escapes every value it prints
    returnNull: false,
    detection: {
      // Russian unless the user picked another language: the browser's header is deliberately ignored.
      order: ['querystring', 'cookie'],
      lookupQuerystring: 'lang',
      lookupCookie: languageCookieName,
      caches: ['cookie'],
      cookieSameSite: 'lax',
      cookieExpirationDate: new Date(Date.now() + 365 * 24 * 3_600_000),
    },
  });
  return instance;
}

export function i18nMiddleware(instance: i18n): RequestHandler {
  return handle(instance) as unknown as RequestHandler;
}

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

/** How many keys a translator remembers (bounded; keys come from code). */
const maxRememberedKeys = 10_000;

/** A text as i18next would give it: literal pieces and the names of the values between them. */
type Template = { pieces: string[]; names: string[] };

/** i18next's plain `{{name}}` placeholders, the only kind the portal's texts use. */
const placeholder = /\{\{([A-Za-z0-9_]+)\}\}/g;

function templateOf(text: string): Template | null {
  // Anything beyond plain placeholders (nesting, formats, unescaped values) is left to i18next.
  if (text.includes('$t(') || /\{\{(?![A-Za-z0-9_]+\}\})/.test(text)) return null;
  const pieces: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of text.matchAll(placeholder)) {
    pieces.push(text.slice(last, match.index));
    names.push(match[1]);
    last = match.index + match[0].length;
  }
  pieces.push(text.slice(last));
  return { pieces, names };
}

/**
 * The translator of one language. i18next's full t() path ran for every string of every page; here
 * each key (and, with a count, each plural form) is looked up once and kept as a template, and the
 * values are put in directly. Anything else (another language, defaults, zero forms, values that are
 * not text or numbers, a key i18next would fall back for) still goes through i18next, and
 * tests/unit/i18n-translator.test.ts checks that both give the same text for every key of every language.
 */
export function rememberingTranslator(instance: i18n, language: Language): TFunction {
  const fixed = instance.getFixedT(language);
  const plurals = new Intl.PluralRules(language);
  const texts = new Map<string, string>();
  const templates = new Map<string, Template | null>();
  const viaI18next = (key: unknown, rest: unknown[]) => (fixed as unknown as (...args: unknown[]) => unknown)(key, ...rest);

  /** The text of a key in this language itself (no fallback), or undefined. */
  const ownText = (key: string): string | undefined => {
    const separator = key.indexOf(':');
    const [namespace, path] = separator > 0 ? [key.slice(0, separator), key.slice(separator + 1)] : ['common', key];
    const text: unknown = instance.getResource(language, namespace, path);
    return typeof text === 'string' ? text : undefined;
  };

  const templateFor = (key: string): Template | null => {
    let template = templates.get(key);
    if (template === undefined) {
      const text = ownText(key);
      template = text === undefined ? null : templateOf(text);
      if (templates.size < maxRememberedKeys) templates.set(key, template);
    }
    return template;
  };

  /** The text for a count's plural form; a key without plural forms is used as it is, as i18next does. Remembered. */
  const pluralTemplateFor = (key: string, form: Intl.LDMLPluralRule): Template | null => {
    const rememberedAs = `${key}\u0000${form}`;
    let template = templates.get(rememberedAs);
    if (template === undefined) {
      template = templateFor(`${key}_${form}`);
      if (template === null && ownText(`${key}_other`) === undefined) template = templateFor(key);
      if (templates.size < maxRememberedKeys) templates.set(rememberedAs, template);
    }
    return template;
  };

  const translate = (key: unknown, ...rest: unknown[]) => {
    if (typeof key !== 'string') return viaI18next(key, rest);
    const options = rest[0];
    if (rest.length > 1 || (options !== undefined && (typeof options !== 'object' || options === null))) return viaI18next(key, rest);
    if (options === undefined) {
      let text = texts.get(key);
      if (text === undefined) {
        text = String(fixed(key));
        if (texts.size < maxRememberedKeys) texts.set(key, text);
      }
      return text;
    }
    const values = options as Record<string, unknown>;
    let template: Template | null;
    if ('count' in values) {
      const count = values.count;
      if (typeof count !== 'number' || count === 0) return viaI18next(key, rest);
      template = pluralTemplateFor(key, plurals.select(count));
    } else {
      template = templateFor(key);
    }
    if (template === null) return viaI18next(key, rest);
    // Only the count and the text's own values: any other option (lng, defaultValue, context…) is i18next's.
    for (const name in values) {
      const value = values[name];
      if ((name !== 'count' && !template.names.includes(name)) || (typeof value !== 'string' && typeof value !== 'number')) return viaI18next(key, rest);
    }
    let text = template.pieces[0];
    for (let index = 0; index < template.names.length; index += 1) {
      const value = values[template.names[index]];
      if (value === undefined) return viaI18next(key, rest);
      text += String(value) + template.pieces[index + 1];
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
  const translators = new Map(supportedLanguages.map((language) => [language, rememberingTranslator(instance, language)]));
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

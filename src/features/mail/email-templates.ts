/**
 * E-mail templates: views/emails/<template>/<language>.{subject,text,html}.ejs.
 *
 * - subject and text are plain text: `<%= %>` prints values as they are (no HTML entities);
 * - html is a body fragment: `<%= %>` escapes every value; views/emails/_layout.html.ejs wraps it;
 * - a language whose three files are missing falls back to Russian, the programme's default.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import { languages } from '../../lib/enum-lists.ts';
import { projectRoot } from '../../project-root.ts';

export const emailLanguages = languages;
export type EmailLanguage = (typeof emailLanguages)[number];
const fallbackLanguage: EmailLanguage = 'ru';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export type EmailData = Record<string, unknown>;

export const defaultEmailTemplatesDir = path.join(projectRoot, 'views', 'emails');

const templateNamePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Link values end up in href attributes: only absolute http(s) URLs are accepted. */
function assertSafeLinks(data: EmailData): void {
  for (const [key, value] of Object.entries(data)) {
    if (!/Url$/.test(key) || value === undefined || value === null) continue;
    if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/i.test(value)) {
      throw new Error(`E-mail data "${key}" must be an absolute http(s) URL`);
    }
  }
}

const plainText = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** A renderer over one templates folder (the tests point it at a temporary one). */
export function createEmailRenderer(templatesDir: string = defaultEmailTemplatesDir) {
  const layoutFile = path.join(templatesDir, '_layout.html.ejs');

  async function languageFor(template: string, language: EmailLanguage): Promise<EmailLanguage> {
    const complete = async (candidate: EmailLanguage) => {
      const parts = ['subject', 'text', 'html'].map((part) => path.join(templatesDir, template, `${candidate}.${part}.ejs`));
      return (await Promise.all(parts.map(exists))).every(Boolean);
    };
    if (await complete(language)) return language;
    if (language !== fallbackLanguage && (await complete(fallbackLanguage))) return fallbackLanguage;
    throw new Error(`E-mail template "${template}" has no complete ${language} or ${fallbackLanguage} version`);
  }

  return async function renderEmail(template: string, locale: EmailLanguage, data: EmailData): Promise<RenderedEmail> {
    if (!templateNamePattern.test(template)) throw new Error(`Invalid e-mail template name "${template}"`);
    assertSafeLinks(data);
    const language = await languageFor(template, (emailLanguages as readonly string[]).includes(locale) ? locale : fallbackLanguage);
    const file = (part: string) => path.join(templatesDir, template, `${language}.${part}.ejs`);
    // `locals` lets a template test an optional value (`locals.message`) without a ReferenceError.
    const locals = { ...data, lang: language };

    const [subjectSource, text, htmlBody] = await Promise.all([
      ejs.renderFile(file('subject'), locals, { escape: plainText, async: false }),
      ejs.renderFile(file('text'), locals, { escape: plainText, async: false }),
      ejs.renderFile(file('html'), locals, { async: false }),
    ]);
    // One line: a header must not carry line breaks, and template indentation is not meant to show.
    const subject = subjectSource.replace(/\s+/g, ' ').trim();
    // Every e-mail ends with the programme's contact, when one is set (data.contact).
    const contact = (data.contact ?? null) as { email: string | null; phone: string | null } | null;
    const contactFile = path.join(templatesDir, '_contact.text.ejs');
    const contactText = contact && (await exists(contactFile)) ? await ejs.renderFile(contactFile, { lang: language, contact }, { escape: plainText, async: false }) : '';
    const html = (await exists(layoutFile))
      ? await ejs.renderFile(layoutFile, { lang: language, subject, body: htmlBody, contact }, { async: false })
      : htmlBody;
    return { subject, text: tidyText(`${text}\n\n${contactText}`), html };
  };
}

/** Trailing spaces off, at most one blank line in a row, one final newline. */
function tidyText(text: string): string {
  return `${text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/** Renders views/emails/<template> in the given language (Russian when that language is missing). */
export const renderEmail: (template: string, locale: EmailLanguage, data: EmailData) => Promise<RenderedEmail> = createEmailRenderer();

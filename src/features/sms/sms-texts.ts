/**
 * The SMS that go with three e-mails to applicants (results, a document request, an interview), from
 * locales/<language>/sms.json. An SMS is short: the application number, the one fact and "details
 * in your e-mail"; never the name, and never the secret status link (gateways keep message texts).
 */
import i18next, { type i18n } from 'i18next';
import { defaultLanguage, isLanguage, loadTranslationResources } from '../../http/i18n.ts';
import type { EmailData } from '../mail/email-templates.ts';

/** Every text an applicant may get by SMS (an e-mail template, with the outcome or the reschedule). */
export const smsTemplates = ['results:SELECTED', 'results:RESERVE', 'results:REJECTED', 'document-requested', 'interview-scheduled', 'interview-rescheduled'] as const;

const outcomes = new Set(['SELECTED', 'RESERVE', 'REJECTED']);

let translator: i18n | undefined;
function smsTranslator(): i18n {
  if (!translator) {
    const resources = loadTranslationResources();
    const instance = i18next.createInstance();
    void instance.init({
      resources: Object.fromEntries(Object.entries(resources).map(([language, namespaces]) => [language, { sms: namespaces.sms }])),
      fallbackLng: defaultLanguage,
      ns: ['sms'],
      defaultNS: 'sms',
      interpolation: { escapeValue: false },
      initAsync: false,
    });
    translator = instance;
  }
  return translator;
}

/** The i18n key of the SMS for an e-mail, or null when that e-mail has no SMS. */
function smsKeyFor(emailTemplate: string, data: EmailData): string | null {
  if (emailTemplate === 'results') return outcomes.has(String(data.outcome)) ? `results.${String(data.outcome)}` : null;
  if (emailTemplate === 'document-requested') return 'documentRequested';
  if (emailTemplate === 'interview-scheduled') return data.rescheduled ? 'interviewRescheduled' : 'interviewScheduled';
  return null;
}

/** The SMS text for an e-mail to an applicant, in the applicant's language; null when there is none. */
export function applicantSmsText(emailTemplate: string, locale: string, data: EmailData): string | null {
  const key = smsKeyFor(emailTemplate, data);
  if (!key) return null;
  const language = isLanguage(locale) ? locale : defaultLanguage;
  const values = Object.fromEntries(Object.entries(data).map(([name, value]) => [name, typeof value === 'string' ? value : String(value ?? '')]));
  // Dates come with no-break spaces (U+00A0, U+202F): outside GSM-7, and each one costs a character.
  return smsTranslator().t(key, { ...values, lng: language }).replace(/\s+/gu, ' ').trim();
}

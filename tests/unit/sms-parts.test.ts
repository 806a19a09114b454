import { describe, expect, it } from 'vitest';
import { isGsm7, smsParts } from '../../src/features/sms/sms-parts.ts';
import { applicantSmsText, smsTemplates } from '../../src/features/sms/sms-texts.ts';
import { formatDate, formatDateTime } from '../../src/lib/dates.ts';

describe('smsParts', () => {
  it('fits GSM-7 text of up to 160 characters in one part, then 153 a part', () => {
    expect(smsParts('Zhas: application ZM-2026-00042')).toBe(1);
    expect(smsParts('a'.repeat(160))).toBe(1);
    expect(smsParts('a'.repeat(161))).toBe(2);
    expect(smsParts('a'.repeat(306))).toBe(2);
    expect(smsParts('a'.repeat(307))).toBe(3);
  });

  it('counts the GSM-7 extension characters (€, [, ], {, }, ~, ^, |, \\) twice and never splits one', () => {
    expect(smsParts('€'.repeat(80))).toBe(1);
    expect(smsParts('€'.repeat(81))).toBe(2);
    // 152 septets, then a two-septet character: it goes whole into the second part.
    expect(smsParts(`${'a'.repeat(152)}[${'a'.repeat(150)}`)).toBe(2);
    expect(smsParts(`${'a'.repeat(152)}[${'a'.repeat(152)}`)).toBe(3);
  });

  it('fits text with any Cyrillic (UCS-2) letter in 70 characters, then 67 a part', () => {
    expect(smsParts('ж'.repeat(70))).toBe(1);
    expect(smsParts('ж'.repeat(71))).toBe(2);
    expect(smsParts('ж'.repeat(134))).toBe(2);
    expect(smsParts('ж'.repeat(135))).toBe(3);
    // One Kazakh letter turns a Latin text into UCS-2.
    expect(smsParts(`${'a'.repeat(69)}ә`)).toBe(1);
    expect(smsParts(`${'a'.repeat(70)}ә`)).toBe(2);
    // A character outside the BMP takes two UCS-2 units.
    expect(smsParts('😀'.repeat(35))).toBe(1);
    expect(smsParts('😀'.repeat(36))).toBe(2);
  });

  it('tells GSM-7 text from text that needs UCS-2', () => {
    expect(isGsm7('Details in your e-mail: 10 Dec 2026, 10:00!')).toBe(true);
    expect(isGsm7('Подробности')).toBe(false);
    expect(isGsm7('a — b')).toBe(false);
    expect(smsParts('')).toBe(1);
  });
});

describe('applicant SMS texts', () => {
  const number = 'ZM-2026-00042';
  const when = new Date('2026-12-10T05:00:00Z');
  const dataFor = (template: (typeof smsTemplates)[number], locale: 'ru' | 'kk' | 'en') => {
    if (template.startsWith('results:')) return { emailTemplate: 'results', data: { number, fullName: 'Айгүл Серікова', outcome: template.slice('results:'.length) } };
    if (template === 'document-requested') return { emailTemplate: template, data: { number, fullName: 'Айгүл Серікова', dueDate: formatDate(new Date('2026-12-17T00:00:00Z'), locale), message: 'Нужна свежая справка' } };
    return { emailTemplate: 'interview-scheduled', data: { number, fullName: 'Айгүл Серікова', when: formatDateTime(when, locale), place: 'Астана, Дом дружбы', rescheduled: template === 'interview-rescheduled' } };
  };

  it.each(['ru', 'kk', 'en'] as const)('in %s carry the application number, not the name, within two parts (English in one)', (locale) => {
    const texts = new Set<string>();
    for (const template of smsTemplates) {
      const { emailTemplate, data } = dataFor(template, locale);
      const text = applicantSmsText(emailTemplate, locale, data);
      expect(text, `${locale} ${template}`).toBeTypeOf('string');
      expect(text).toContain(number);
      expect(text).not.toContain('Айгүл');
      expect(text).not.toMatch(/\s{2}|\u00a0|\u202f/);
      expect(smsParts(text!), `${locale} ${template}: ${text}`).toBeLessThanOrEqual(locale === 'en' ? 1 : 2);
      if (locale === 'en') expect(isGsm7(text!), text!).toBe(true);
      texts.add(text!);
    }
    // Every outcome and the reschedule have their own words.
    expect(texts.size).toBe(smsTemplates.length);
  });

  it('says the interview time and the day a document is needed by', () => {
    expect(applicantSmsText('interview-scheduled', 'ru', { number, when: formatDateTime(when, 'ru'), rescheduled: false })).toContain(formatDateTime(when, 'ru').replace(/\s+/gu, ' '));
    expect(applicantSmsText('document-requested', 'kk', { number, dueDate: '17 желтоқсан 2026' })).toContain('17 желтоқсан 2026');
  });

  it('has no SMS for the other e-mails, and falls back to Russian for an unknown language', () => {
    expect(applicantSmsText('mentor-invitation', 'ru', { number })).toBeNull();
    expect(applicantSmsText('results', 'de' as 'ru', { number, outcome: 'SELECTED' })).toBe(applicantSmsText('results', 'ru', { number, outcome: 'SELECTED' }));
  });
});

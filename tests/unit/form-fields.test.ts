import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkbox, emailAddress, formFields } from '../../src/http/form-fields.ts';
import { loadTranslationResources, type TranslationTree } from '../../src/http/i18n.ts';
import { makeIin } from '../../src/lib/iin.ts';
import { applicationFormSchema } from '../../src/features/applications/application.schemas.ts';
import { regionFormSchema } from '../../src/features/admin/regions.schemas.ts';
import { decisionSchema } from '../../src/features/review/review.schemas.ts';

/** The message of the first problem, or 'ok'. */
function firstMessage(schema: z.ZodType, value: unknown): string {
  const parsed = schema.safeParse(value);
  return parsed.success ? 'ok' : parsed.error.issues[0].message;
}

describe('checkbox', () => {
  it('is ticked for every value a ticked box sends in one of our forms', () => {
    for (const value of ['on', 'yes', 'true', '1', true]) expect(checkbox.parse(value), String(value)).toBe(true);
  });

  it('is unticked when nothing (or anything else) is sent', () => {
    for (const value of [undefined, '', 'off', 'no', '0', 'false', false, ['on', 'on'], 1]) expect(checkbox.parse(value), JSON.stringify(value)).toBe(false);
  });

  it('means the same in the application, admin and committee forms', () => {
    const application = applicationFormSchema.shape.consentsToDataProcessing;
    const region = regionFormSchema.shape.isActive;
    const quotaOverride = decisionSchema.shape.quotaOverride;
    for (const value of ['on', '1', 'true', 'yes', undefined, 'off']) {
      expect(new Set([application.parse(value), region.parse(value), quotaOverride.parse(value)]).size, String(value)).toBe(1);
    }
  });
});

describe('text', () => {
  const fields = formFields('apply');

  it('trims, and requires something other than spaces', () => {
    expect(fields.requiredText(10).parse('  Алия  ')).toBe('Алия');
    expect(firstMessage(fields.requiredText(10), '   ')).toBe('apply:errors.required');
    expect(firstMessage(fields.requiredText(10), undefined)).toBe('apply:errors.required');
    expect(firstMessage(formFields('mentoring').requiredText(10, 'mentoring:errors.returnCommentRequired'), '')).toBe('mentoring:errors.returnCommentRequired');
  });

  it('takes exactly the maximum length (counted after trimming) and refuses one more', () => {
    expect(fields.requiredText(5).parse(` ${'a'.repeat(5)} `)).toBe('aaaaa');
    expect(firstMessage(fields.requiredText(5), 'a'.repeat(6))).toBe('apply:errors.tooLong');
    expect(formFields('review').optionalText(5).parse('  abcde ')).toBe('abcde');
    expect(firstMessage(formFields('review').optionalText(5), 'abcdef')).toBe('review:errors.tooLong');
  });

  it('gives "" (or null) for an optional field left empty or not sent', () => {
    const mentoring = formFields('mentoring');
    expect(mentoring.optionalText(10).parse(undefined)).toBe('');
    expect(mentoring.optionalText(10).parse('   ')).toBe('');
    expect(mentoring.nullableText(10).parse('   ')).toBeNull();
    expect(mentoring.nullableText(10).parse(undefined)).toBeNull();
    expect(mentoring.nullableText(10).parse(' x ')).toBe('x');
  });
});

describe('e-mail', () => {
  it('is trimmed and lower-cased, at most 254 characters, in the usual form', () => {
    const { email } = formFields('admin');
    expect(email.parse('  Aliya.Akhmetova@Example.KZ ')).toBe('aliya.akhmetova@example.kz');
    expect(firstMessage(email, '')).toBe('admin:errors.required');
    expect(firstMessage(email, undefined)).toBe('admin:errors.required');
    expect(firstMessage(email, 'not-an-email')).toBe('admin:errors.emailInvalid');
    const longest = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.kz`;
    expect(longest).toHaveLength(254);
    expect(email.parse(longest)).toBe(longest);
    expect(firstMessage(email, `a${longest}`)).toBe('admin:errors.tooLong');
  });

  it('keeps the case when asked (the login form shows it back as typed)', () => {
    const login = emailAddress({ required: 'auth.errors.emailRequired', invalid: 'auth.errors.emailInvalid' }, { keepCase: true });
    expect(login.parse(' Mentor@Zhas.local ')).toBe('Mentor@Zhas.local');
    expect(firstMessage(login, '')).toBe('auth.errors.emailRequired');
    expect(firstMessage(login, 'nobody')).toBe('auth.errors.emailInvalid');
  });
});

describe('IIN', () => {
  const valid = makeIin(new Date(Date.UTC(1990, 4, 17)), true, 123);

  it('accepts a valid IIN, dropping spaces typed inside it', () => {
    const { iin } = formFields('apply');
    expect(iin.parse(valid)).toBe(valid);
    expect(iin.parse(` ${valid.slice(0, 6)} ${valid.slice(6)} `)).toBe(valid);
  });

  it('names the problem with the keys of the form namespace', () => {
    const wrongCheckDigit = `${valid.slice(0, 11)}${(Number(valid[11]) + 1) % 10}`;
    for (const namespace of ['apply', 'mentoring'] as const) {
      const { iin } = formFields(namespace);
      expect(firstMessage(iin, '  ')).toBe(`${namespace}:errors.required`);
      expect(firstMessage(iin, '12345')).toBe(`${namespace}:errors.iin.format`);
      expect(firstMessage(iin, wrongCheckDigit)).toBe(`${namespace}:errors.iin.checksum`);
    }
  });
});

describe('numbers', () => {
  it('reads a whole number within limits, with one message for every problem', () => {
    const years = formFields('apply').numberBetween(0, 80);
    expect(years.parse('12')).toBe(12);
    expect(years.parse('80')).toBe(80);
    for (const value of ['81', '-1', '2.5', 'many']) expect(firstMessage(years, value), value).toBe('apply:errors.numberInvalid');
  });

  it('tells a malformed admin number from one out of range', () => {
    const { wholeNumber, optionalWholeNumber } = formFields('admin');
    expect(wholeNumber(2000, 2100).parse(' 2027 ')).toBe(2027);
    expect(firstMessage(wholeNumber(2000, 2100), '')).toBe('admin:errors.required');
    expect(firstMessage(wholeNumber(2000, 2100), '20x7')).toBe('admin:errors.wholeNumber');
    expect(firstMessage(wholeNumber(2000, 2100, 'admin:cohorts.errors.yearRange'), '1999')).toBe('admin:cohorts.errors.yearRange');
    expect(optionalWholeNumber(0, 10, null).parse('')).toBeNull();
    expect(firstMessage(optionalWholeNumber(0, 10, null), '11')).toBe('admin:errors.numberOutOfRange');
  });
});

describe('message keys', () => {
  it('exist in the locale files of each form that uses them', () => {
    const ru = loadTranslationResources().ru;
    const has = (key: string) => {
      const [namespace, path] = key.split(':');
      let node: string | TranslationTree | undefined = ru[namespace];
      for (const part of path.split('.')) node = typeof node === 'object' ? node[part] : undefined;
      return typeof node === 'string';
    };
    const used = [
      ...['admin', 'apply', 'mentoring'].flatMap((namespace) => [`${namespace}:errors.required`, `${namespace}:errors.tooLong`]),
      'review:errors.tooLong', 'review:errors.numberInvalid', 'apply:errors.numberInvalid',
      'admin:errors.emailInvalid', 'apply:errors.emailInvalid', 'apply:errors.regionRequired', 'mentoring:errors.regionRequired',
      ...['apply', 'mentoring'].flatMap((namespace) => ['format', 'checksum', 'birthDate'].map((problem) => `${namespace}:errors.iin.${problem}`)),
      'admin:errors.wholeNumber', 'admin:errors.numberOutOfRange', 'admin:errors.dateTimeInvalid', 'admin:errors.dateInvalid', 'admin:errors.chooseOne', 'apply:errors.chooseOne',
    ];
    expect(used.filter((key) => !has(key))).toEqual([]);
  });
});

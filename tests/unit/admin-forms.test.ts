import { describe, expect, it } from 'vitest';
import { loadTranslationResources, supportedLanguages } from '../../src/http/i18n.ts';
import { fieldErrorsOf } from '../../src/http/validation.ts';
import { endOfProgrammeDate, parseProgrammeDate, parseProgrammeDateTime, toDateInputValue, toDateTimeInputValue } from '../../src/lib/dates.ts';
import { cohortFormSchema, criterionFormSchema, quotasFormSchema } from '../../src/features/admin/cohorts.schemas.ts';
import { regionFormSchema } from '../../src/features/admin/regions.schemas.ts';
import { inviteFormSchema, membershipFormSchema, userEditFormSchema } from '../../src/features/admin/users.schemas.ts';
import { setPasswordSchema } from '../../src/features/auth/set-password.schemas.ts';
import { actorKindOf, describeDetails } from '../../src/features/admin/audit-page.service.ts';
import { changedFields } from '../../src/features/admin/admin-request.ts';

describe('Asia/Almaty form times', () => {
  it('reads a datetime-local value as Almaty wall-clock time', () => {
    expect(parseProgrammeDateTime('2027-03-15T09:00')?.toISOString()).toBe('2027-03-15T04:00:00.000Z');
    expect(parseProgrammeDateTime('2027-03-15 09:00')?.toISOString()).toBe('2027-03-15T04:00:00.000Z');
    expect(parseProgrammeDateTime('15.03.2027 09:00')?.toISOString()).toBe('2027-03-15T04:00:00.000Z');
    expect(parseProgrammeDateTime('2027-01-01T02:00')?.toISOString()).toBe('2026-12-31T21:00:00.000Z');
  });

  it('refuses what is not a real date and time', () => {
    for (const value of ['', '2027-02-30T09:00', '2027-03-15T25:00', '2027-03-15', 'tomorrow', '15/03/2027 09:00']) {
      expect(parseProgrammeDateTime(value), value).toBeNull();
    }
  });

  it('reads a day as the instant it starts in Almaty, and the end of a day as the next start', () => {
    expect(parseProgrammeDate('2027-05-10')?.toISOString()).toBe('2027-05-09T19:00:00.000Z');
    expect(parseProgrammeDate('10.05.2027')?.toISOString()).toBe('2027-05-09T19:00:00.000Z');
    expect(endOfProgrammeDate('2027-05-10')?.toISOString()).toBe('2027-05-10T19:00:00.000Z');
    expect(parseProgrammeDate('2027-13-01')).toBeNull();
  });

  it('shows stored instants back in Almaty time', () => {
    expect(toDateTimeInputValue(new Date('2027-03-15T04:00:00Z'))).toBe('2027-03-15T09:00');
    expect(toDateTimeInputValue(new Date('2027-03-15T19:30:00Z'))).toBe('2027-03-16T00:30');
    expect(toDateInputValue(new Date('2027-05-09T19:00:00Z'))).toBe('2027-05-10');
  });
});

describe('admin form messages', () => {
  const resources = loadTranslationResources();
  const exists = (language: string, fullKey: string) => {
    const [namespace, key] = fullKey.split(':');
    return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], resources[language as 'ru'][namespace]) !== undefined;
  };

  const failures: [string, Record<string, string>][] = [
    ['cohort', fieldErrorsOf(cohortFormSchema.safeParse({ name: '', year: 'x', applicationOpensAt: 'no', applicationClosesAt: '', resultsAt: '31.02.2027', requiredDocuments: 'PASSPORT' }).error!)],
    ['cohort order', fieldErrorsOf(cohortFormSchema.safeParse({ name: 'A', year: '2027', applicationOpensAt: '2027-03-15T09:00', applicationClosesAt: '2027-03-01T09:00', resultsAt: '2027-05-10' }).error!)],
    ['cohort results', fieldErrorsOf(cohortFormSchema.safeParse({ name: 'A', year: '1999', applicationOpensAt: '2027-03-15T09:00', applicationClosesAt: '2027-04-01T09:00', resultsAt: '2027-03-20' }).error!)],
    ['criterion', fieldErrorsOf(criterionFormSchema.safeParse({ code: '1x', nameRu: '', nameKk: '', nameEn: '', weight: '0.125', sortOrder: '-1' }).error!)],
    ['criterion weight', fieldErrorsOf(criterionFormSchema.safeParse({ code: 'ok_code', nameRu: 'a', nameKk: 'a', nameEn: 'a', weight: '101' }).error!)],
    ['quotas', fieldErrorsOf(quotasFormSchema([1, 2]).safeParse({ 'quota-1': 'many', 'quota-2': '10001' }).error!)],
    ['region', fieldErrorsOf(regionFormSchema.safeParse({ code: 'x', nameRu: '', sortOrder: 'a' }).error!)],
    ['invite', fieldErrorsOf(inviteFormSchema.safeParse({ email: 'x', fullName: '', role: 'MENTOR', locale: 'de', regionId: 'abc' }).error!)],
    ['user', fieldErrorsOf(userEditFormSchema.safeParse({ fullName: '', locale: 'fr' }).error!)],
    ['membership', fieldErrorsOf(membershipFormSchema.safeParse({}).error!)],
    ['password', fieldErrorsOf(setPasswordSchema.safeParse({ password: 'short', passwordConfirmation: '' }).error!)],
    ['password mismatch', fieldErrorsOf(setPasswordSchema.safeParse({ password: 'long enough one', passwordConfirmation: 'long enough two' }).error!)],
  ];

  it.each(failures)('%s: every message is a translation key present in ru, kk and en', (_name, errors) => {
    expect(Object.keys(errors).length).toBeGreaterThan(0);
    for (const [field, key] of Object.entries(errors)) {
      expect(key, field).toMatch(/^admin:/);
      for (const language of supportedLanguages) expect(exists(language, key), `${language} ${key}`).toBe(true);
    }
  });

  it('gives the specific reason for each field', () => {
    expect(failures[1][1]).toEqual({ applicationClosesAt: 'admin:cohorts.errors.closesBeforeOpens' });
    expect(failures[2][1]).toEqual({ year: 'admin:cohorts.errors.yearRange' });
    expect(failures[4][1]).toEqual({ weight: 'admin:rubric.errors.weightRange' });
    expect(failures[5][1]).toEqual({ 'quota-1': 'admin:errors.wholeNumber', 'quota-2': 'admin:cohorts.errors.quotaRange' });
    expect(failures[10][1]).toEqual({ password: 'admin:setPassword.errors.passwordTooShort', passwordConfirmation: 'admin:setPassword.errors.confirmationRequired' });
    expect(failures[11][1]).toEqual({ passwordConfirmation: 'admin:setPassword.errors.confirmationMismatch' });
  });

  it('accepts good values, normalising codes, e-mails, weights and checkboxes', () => {
    const criterion = criterionFormSchema.parse({ code: ' Team_Work ', nameRu: 'a', nameKk: 'ә', nameEn: 'a', weight: '0,25', sortOrder: '', levelsRu_1: ' Нет опыта ' });
    expect(criterion).toMatchObject({ code: 'team_work', nameRu: 'a', nameKk: 'ә', nameEn: 'a', weight: '0.25', sortOrder: null, levelsRu_1: 'Нет опыта', levelsEn_5: '' });
    expect(regionFormSchema.parse({ code: 'north_kz', nameRu: 'a', nameKk: 'a', nameEn: 'a', isActive: 'yes', sortOrder: '7' })).toEqual({ code: 'NORTH_KZ', nameRu: 'a', nameKk: 'a', nameEn: 'a', isActive: true, sortOrder: 7, contactEmail: null, contactPhone: null });
    expect(regionFormSchema.parse({ code: 'ATYRAU', nameRu: 'a', nameKk: 'a', nameEn: 'a', contactEmail: ' Atyrau@Zhas.KZ ', contactPhone: '+7 7122 00 00 00' })).toMatchObject({ contactEmail: 'atyrau@zhas.kz', contactPhone: '+7 7122 00 00 00' });
    expect(regionFormSchema.safeParse({ code: 'ATYRAU', nameRu: 'a', nameKk: 'a', nameEn: 'a', contactEmail: 'atyrau-at-zhas' }).success).toBe(false);
    expect(inviteFormSchema.parse({ email: ' A@B.KZ ', fullName: 'x', role: 'COMMITTEE', locale: 'kk', regionId: '' })).toMatchObject({ email: 'a@b.kz', regionId: null, isChair: false });
    expect(quotasFormSchema([3]).parse({ 'quota-3': ' 40 ' })).toEqual({ 'quota-3': 40 });
    expect(setPasswordSchema.safeParse({ password: '          ', passwordConfirmation: '          ' }).success).toBe(false);
  });
});

describe('audit page helpers', () => {
  it('tells the applicant from the system for entries without a user', () => {
    expect(actorKindOf({ actorId: 3, action: 'application.submitted' })).toBe('user');
    expect(actorKindOf({ actorId: null, action: 'application.submitted' })).toBe('applicant');
    expect(actorKindOf({ actorId: null, action: 'document.uploaded_by_applicant' })).toBe('applicant');
    expect(actorKindOf({ actorId: null, action: 'email.failed_permanently' })).toBe('system');
  });

  it('writes details as readable text', () => {
    expect(describeDetails({ from: 'SUBMITTED', to: 'SCREENING', comment: undefined, count: 2 })).toBe('from: SUBMITTED; to: SCREENING; count: 2');
    expect(describeDetails(null)).toBe('');
  });

  it('lists only the fields that changed', () => {
    expect(changedFields({ a: 1, b: new Date('2027-01-01T00:00:00Z'), c: ['x'] }, { a: 1, b: new Date('2027-01-02T00:00:00Z'), c: ['x'] })).toEqual({
      b: { from: '2027-01-01T00:00:00.000Z', to: '2027-01-02T00:00:00.000Z' },
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { ApplicationForm } from '../../src/features/applications/application.schemas.ts';
import { eligibilityProblems, minimumExperienceYears, minimumResidenceMonths } from '../../src/features/applications/eligibility.ts';

// 900101300017: born 1 January 1990 (century digit 3), a valid check digit.
const eligible: ApplicationForm = {
  fullName: 'Сауле Нурланова',
  birthDate: '1990-01-01',
  iin: '900101300017',
  phone: '+77011234567',
  email: 'saule@example.kz',
  regionId: 1,
  residenceMonths: 48,
  occupation: 'Социальный педагог',
  organisation: 'Школа-лицей №12',
  education: 'ЕНУ им. Гумилёва',
  experienceYears: 12,
  experienceDescription: 'Веду клуб волонтёров для подростков.',
  vulnerableYouthWork: 'Работа с подростками из малообеспеченных семей.',
  availableForTrips: 'yes',
  languages: ['kk', 'ru'],
  motivation: 'Хочу помогать молодёжи.',
  declaresNotYouthGroupMember: true,
  declaresNotHostOrgHeadOrAccountant: true,
  consentsToDataProcessing: true,
};
const form = (overrides: Partial<ApplicationForm>): ApplicationForm => ({ ...eligible, ...overrides });

describe('eligibilityProblems', () => {
  it('finds nothing wrong with an eligible applicant', () => {
    expect(eligibilityProblems(eligible)).toEqual({});
  });

  it('asks for at least 5 years of experience', () => {
    expect(minimumExperienceYears).toBe(5);
    expect(eligibilityProblems(form({ experienceYears: 5 }))).toEqual({});
    expect(eligibilityProblems(form({ experienceYears: 4 }))).toEqual({ experienceYears: 'apply:errors.experienceTooShort' });
    expect(eligibilityProblems(form({ experienceYears: 0 }))).toEqual({ experienceYears: 'apply:errors.experienceTooShort' });
  });

  it('asks for at least 6 months of residence in the region', () => {
    expect(minimumResidenceMonths).toBe(6);
    expect(eligibilityProblems(form({ residenceMonths: 6 }))).toEqual({});
    expect(eligibilityProblems(form({ residenceMonths: 5 }))).toEqual({ residenceMonths: 'apply:errors.residenceTooShort' });
  });

  it('needs each declaration and the consent, each with its own message', () => {
    expect(eligibilityProblems(form({ declaresNotYouthGroupMember: false }))).toEqual({ declaresNotYouthGroupMember: 'apply:errors.declarationRequired' });
    expect(eligibilityProblems(form({ declaresNotHostOrgHeadOrAccountant: false }))).toEqual({ declaresNotHostOrgHeadOrAccountant: 'apply:errors.declarationRequired' });
    expect(eligibilityProblems(form({ consentsToDataProcessing: false }))).toEqual({ consentsToDataProcessing: 'apply:errors.consentRequired' });
  });

  it('refuses an IIN whose date of birth is not the one typed', () => {
    expect(eligibilityProblems(form({ birthDate: '1990-01-02' }))).toEqual({ iin: 'apply:errors.iin.birthDateMismatch' });
    expect(eligibilityProblems(form({ birthDate: '1991-01-01' }))).toEqual({ iin: 'apply:errors.iin.birthDateMismatch' });
  });

  it('leaves an IIN without a real date of birth to the form check (no eligibility message)', () => {
    expect(eligibilityProblems(form({ iin: '901301300017' }))).toEqual({});
  });

  it('does not bar an applicant who cannot travel (the committee weighs it)', () => {
    expect(eligibilityProblems(form({ availableForTrips: 'no' }))).toEqual({});
  });

  it('reports every problem at once', () => {
    expect(
      eligibilityProblems(form({ experienceYears: 2, residenceMonths: 1, declaresNotYouthGroupMember: false, declaresNotHostOrgHeadOrAccountant: false, consentsToDataProcessing: false, birthDate: '1985-05-05' })),
    ).toEqual({
      experienceYears: 'apply:errors.experienceTooShort',
      residenceMonths: 'apply:errors.residenceTooShort',
      declaresNotYouthGroupMember: 'apply:errors.declarationRequired',
      declaresNotHostOrgHeadOrAccountant: 'apply:errors.declarationRequired',
      consentsToDataProcessing: 'apply:errors.consentRequired',
      iin: 'apply:errors.iin.birthDateMismatch',
    });
  });
});

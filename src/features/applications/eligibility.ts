import { birthDateFromIin } from '../../lib/iin.ts';
import type { ApplicationForm } from './application.schemas.ts';

export const minimumExperienceYears = 5;
export const minimumResidenceMonths = 6;

/**
 * The programme's rules (SPEC.md, "Eligible" / "Not eligible"), as field → message key.
 * Pure: the checks that need the database (region of the cohort, duplicate IIN, youth-group
 * membership) are made by the service.
 */
export function eligibilityProblems(form: ApplicationForm): Record<string, string> {
  const problems: Record<string, string> = {};
  if (form.experienceYears < minimumExperienceYears) problems.experienceYears = 'apply:errors.experienceTooShort';
  if (form.residenceMonths < minimumResidenceMonths) problems.residenceMonths = 'apply:errors.residenceTooShort';
  // Availability for trips is weighed by the committee (a rubric criterion), not a bar to applying.
  if (!form.declaresNotYouthGroupMember) problems.declaresNotYouthGroupMember = 'apply:errors.declarationRequired';
  if (!form.declaresNotHostOrgHeadOrAccountant) problems.declaresNotHostOrgHeadOrAccountant = 'apply:errors.declarationRequired';
  if (!form.consentsToDataProcessing) problems.consentsToDataProcessing = 'apply:errors.consentRequired';
  const iinBirthDate = birthDateFromIin(form.iin);
  if (iinBirthDate && iinBirthDate.toISOString().slice(0, 10) !== form.birthDate) problems.iin = 'apply:errors.iin.birthDateMismatch';
  return problems;
}

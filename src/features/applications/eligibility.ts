import { birthDateFromIin } from '../../lib/iin.ts';
import type { ApplicationForm } from './application.schemas.ts';

export const minimumExperienceYears = 5;
export const minimumResidenceMonths = 6;

/**
 * The programme's eligibility rules (at least 5 years of relevant work, 6 months resident in the
 * region, not a youth-group member nor a head or accountant of a host organisation, consent to data
 * processing, an IIN that agrees with the date of birth), as field → message key.
 * Pure: the checks that need the database (region of the cohort, duplicate IIN, youth-group
 * membership) are made by the service.
 */
export function eligibilityProblems(form: Partial<ApplicationForm>): Record<string, string> {
  // A rule is checked once its fields are filled in correctly, so that one submit of a half-right
  // form names the format errors and the rules together.
  const problems: Record<string, string> = {};
  if (form.experienceYears !== undefined && form.experienceYears < minimumExperienceYears) problems.experienceYears = 'apply:errors.experienceTooShort';
  if (form.residenceMonths !== undefined && form.residenceMonths < minimumResidenceMonths) problems.residenceMonths = 'apply:errors.residenceTooShort';
  // Availability for trips is weighed by the committee (a rubric criterion), not a bar to applying.
  if (form.declaresNotYouthGroupMember === false) problems.declaresNotYouthGroupMember = 'apply:errors.declarationRequired';
  if (form.declaresNotHostOrgHeadOrAccountant === false) problems.declaresNotHostOrgHeadOrAccountant = 'apply:errors.declarationRequired';
  if (form.consentsToDataProcessing === false) problems.consentsToDataProcessing = 'apply:errors.consentRequired';
  const iinBirthDate = form.iin === undefined ? null : birthDateFromIin(form.iin);
  if (iinBirthDate && form.birthDate !== undefined && iinBirthDate.toISOString().slice(0, 10) !== form.birthDate) problems.iin = 'apply:errors.iin.birthDateMismatch';
  return problems;
}

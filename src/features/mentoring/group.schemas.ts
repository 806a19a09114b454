/** Youth group and participant forms; the import checks each row of a file with the same schemas. */
import { z } from 'zod';
import { formFields } from '../../http/form-fields.ts';
import { parseMonthParam } from './month-rules.ts';
import { birthDateFromIin } from '../../lib/iin.ts';
import { programmeCalendarDay } from '../../lib/dates.ts';

const { iin, nullableText, optionalText, regionId, requiredText } = formFields('mentoring');

export const programmeMonthsLimit = 24;
export const participantAgeRange = { min: 14, max: 29 } as const;

export const groupFormSchema = z.object({
  name: requiredText(200),
  regionId,
  projectTitle: requiredText(300),
  projectDescription: optionalText(5000),
  hostOrganisationName: requiredText(300),
  hostOrganisationHead: nullableText(200),
  hostOrganisationAccountant: nullableText(200),
  programmeStartMonth: z
    .string({ error: 'mentoring:errors.monthInvalid' })
    .trim()
    .transform((value, context) => {
      const month = parseMonthParam(value);
      if (!month) {
        context.addIssue({ code: 'custom', message: 'mentoring:errors.monthInvalid' });
        return z.NEVER;
      }
      return month;
    }),
  programmeMonths: z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim() || '6')
    .pipe(z.string().regex(/^\d{1,2}$/, 'mentoring:errors.programmeMonthsRange'))
    .transform(Number)
    .pipe(z.number().int().min(1, 'mentoring:errors.programmeMonthsRange').max(programmeMonthsLimit, 'mentoring:errors.programmeMonthsRange')),
  mentorId: z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim())
    .pipe(z.union([z.literal(''), z.string().regex(/^\d{1,9}$/, 'mentoring:errors.mentorUnknown')]))
    .transform((value) => (value === '' ? null : Number(value))),
});

export type GroupForm = z.output<typeof groupFormSchema>;
export const groupFormFields = [
  'name', 'regionId', 'projectTitle', 'projectDescription', 'hostOrganisationName', 'hostOrganisationHead',
  'hostOrganisationAccountant', 'programmeStartMonth', 'programmeMonths', 'mentorId',
] as const;

export const participantFormSchema = z.object({
  fullName: requiredText(200),
  iin,
  age: z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim())
    .pipe(z.union([z.literal(''), z.string().regex(/^\d{1,3}$/, 'mentoring:errors.ageRange')]))
    .transform((value) => (value === '' ? null : Number(value)))
    .refine((value) => value === null || (value >= participantAgeRange.min && value <= participantAgeRange.max), 'mentoring:errors.ageRange'),
  contact: nullableText(200),
});

export type ParticipantForm = z.output<typeof participantFormSchema>;
export const participantFormFields = ['fullName', 'iin', 'age', 'contact'] as const;

/** The age (whole years, on today's Almaty date) that the IIN's date of birth gives; null when it has none. */
export function ageFromIin(iin: string, now: Date): number | null {
  const birth = birthDateFromIin(iin);
  if (!birth) return null;
  const today = programmeCalendarDay(now);
  const beforeBirthday = today.getUTCMonth() * 100 + today.getUTCDate() < birth.getUTCMonth() * 100 + birth.getUTCDate();
  return today.getUTCFullYear() - birth.getUTCFullYear() - (beforeBirthday ? 1 : 0);
}

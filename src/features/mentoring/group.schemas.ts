/** Youth group and participant forms; the import checks each row of a file with the same schemas. */
import { z } from 'zod';
import { iinProblem } from '../../lib/iin.ts';
import { parseMonthParam } from './month-rules.ts';

const requiredText = (max: number) =>
  z.string({ error: 'mentoring:errors.required' }).trim().min(1, 'mentoring:errors.required').max(max, 'mentoring:errors.tooLong');
const optionalText = (max: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim())
    .pipe(z.string().max(max, 'mentoring:errors.tooLong'));
const nullableText = (max: number) => optionalText(max).transform((value) => (value === '' ? null : value));

export const programmeMonthsLimit = 24;
export const participantAgeRange = { min: 14, max: 29 } as const;

export const groupFormSchema = z.object({
  name: requiredText(200),
  regionId: z.coerce.number({ error: 'mentoring:errors.regionRequired' }).int('mentoring:errors.regionRequired').positive('mentoring:errors.regionRequired'),
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

export const iinSchema = z
  .string({ error: 'mentoring:errors.required' })
  .transform((value) => value.replace(/\s+/g, ''))
  .pipe(z.string().min(1, 'mentoring:errors.required'))
  .superRefine((value, context) => {
    const problem = iinProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: `mentoring:errors.iin.${problem}` });
  });

export const participantFormSchema = z.object({
  fullName: requiredText(200),
  iin: iinSchema,
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

/** The submitted strings (without the CSRF token), to show the form again. */

/** Filters of the group list: region and mentor ("none" = groups without a mentor). */
export const groupFilterSchema = z.object({
  region: z.string().regex(/^\d{1,9}$/).transform(Number).optional().catch(undefined),
  mentor: z.union([z.literal('none'), z.string().regex(/^\d{1,9}$/).transform(Number)]).optional().catch(undefined),
});

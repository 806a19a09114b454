import { z } from 'zod';
import { TrainingPhase } from '../../generated/prisma/enums.ts';
import { formFields } from '../../http/form-fields.ts';
import { parseCalendarDate } from './month-rules.ts';

export const trainingDays = [1, 2, 3, 4] as const;
const dayMs = 24 * 3_600_000;
const { nullableText, regionId, requiredText } = formFields('mentoring');

const calendarDate = z
  .string({ error: 'mentoring:errors.dateInvalid' })
  .trim()
  .transform((value, context) => {
    const date = parseCalendarDate(value);
    if (!date) {
      context.addIssue({ code: 'custom', message: 'mentoring:errors.dateInvalid' });
      return z.NEVER;
    }
    return date;
  });

const idList = (message: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: message })
    .optional()
    .transform((value) => [...new Set((Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item) => /^\d{1,9}$/.test(item)).map(Number))])
    .refine((ids) => ids.length > 0, message);

export const trainingFormSchema = z
  .object({
    phase: z.enum(TrainingPhase, { error: 'mentoring:errors.choosePhase' }),
    regionId,
    title: requiredText(300),
    place: nullableText(300),
    startsOn: calendarDate,
    endsOn: calendarDate,
    trainerIds: idList('mentoring:errors.trainersRequired'),
    groupIds: idList('mentoring:errors.groupsRequired'),
  })
  .superRefine((form, context) => {
    const days = Math.round((form.endsOn.getTime() - form.startsOn.getTime()) / dayMs) + 1;
    // Four training days; they need not be consecutive, but fit within a month.
    if (days < trainingDays.length || days > 31) context.addIssue({ code: 'custom', path: ['endsOn'], message: 'mentoring:errors.trainingSpan' });
  });

export type TrainingForm = z.output<typeof trainingFormSchema>;
export const trainingFormFields = ['phase', 'regionId', 'title', 'place', 'startsOn', 'endsOn'] as const;

/** Ticked boxes of the attendance sheet: "participantId:day". */
export function attendanceMarks(value: unknown): Set<string> {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return new Set(items.filter((item): item is string => typeof item === 'string' && /^\d{1,9}:[1-4]$/.test(item)));
}

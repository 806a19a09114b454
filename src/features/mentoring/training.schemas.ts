import { z } from 'zod';
import { TrainingPhase } from '../../generated/prisma/enums.ts';
import { formFields } from '../../http/form-fields.ts';
import { parseCalendarDate } from './month-rules.ts';

export const trainingDays = [1, 2, 3, 4] as const;
const dayMs = 24 * 3_600_000;
const { nullableText, regionId, requiredText } = formFields('mentoring');

const idList = (message: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: message })
    .optional()
    .transform((value) => [...new Set((Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item) => /^\d{1,9}$/.test(item)).map(Number))])
    .refine((ids) => ids.length > 0, message);

/** The four dates as typed (always four strings, for the form to show again). */
export function typedTrainingDays(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const strings = items.map((item) => (typeof item === 'string' ? item.trim() : ''));
  return trainingDays.map((_day, index) => strings[index] ?? '');
}

/** Four real calendar days, in order, each once (the form's four date fields). */
const fourDays = z.unknown().transform((value, context) => {
  const days = typedTrainingDays(value).filter(Boolean).map(parseCalendarDate);
  if (days.length !== trainingDays.length || days.some((day) => day === null)) {
    context.addIssue({ code: 'custom', message: 'mentoring:errors.trainingDays' });
    return z.NEVER;
  }
  const sorted = (days as Date[]).slice().sort((a, b) => a.getTime() - b.getTime());
  if (new Set(sorted.map((day) => day.getTime())).size !== sorted.length) {
    context.addIssue({ code: 'custom', message: 'mentoring:errors.trainingDaysRepeated' });
    return z.NEVER;
  }
  return sorted;
});

/** Days that follow one another (a 4-day training normally runs on consecutive days). */
export function areConsecutive(days: Date[]): boolean {
  return days.every((day, index) => index === 0 || Math.round((day.getTime() - days[index - 1].getTime()) / dayMs) === 1);
}

export const trainingFormSchema = z
  .object({
    phase: z.enum(TrainingPhase, { error: 'mentoring:errors.choosePhase' }),
    regionId,
    title: requiredText(300),
    place: nullableText(300),
    days: fourDays,
    daysReason: nullableText(500),
    trainerIds: idList('mentoring:errors.trainersRequired'),
    groupIds: idList('mentoring:errors.groupsRequired'),
  })
  .superRefine((form, context) => {
    const span = Math.round((form.days[form.days.length - 1].getTime() - form.days[0].getTime()) / dayMs) + 1;
    // Consecutive days, unless the coordinator says why not; even then within a month.
    if (span > 31) context.addIssue({ code: 'custom', path: ['days'], message: 'mentoring:errors.trainingSpan' });
    else if (!areConsecutive(form.days) && !form.daysReason) context.addIssue({ code: 'custom', path: ['daysReason'], message: 'mentoring:errors.trainingDaysReason' });
  })
  .transform((form) => ({ ...form, startsOn: form.days[0], endsOn: form.days[form.days.length - 1], daysReason: areConsecutive(form.days) ? null : form.daysReason }));

export type TrainingForm = z.output<typeof trainingFormSchema>;
export const trainingFormFields = ['phase', 'regionId', 'title', 'place', 'daysReason'] as const;

/** Ticked boxes of the attendance sheet: "participantId:day". */
export function attendanceMarks(value: unknown): Set<string> {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return new Set(items.filter((item): item is string => typeof item === 'string' && /^\d{1,9}:[1-4]$/.test(item)));
}

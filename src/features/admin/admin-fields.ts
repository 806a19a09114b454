import { z } from 'zod';
import { parseProgrammeDate, parseProgrammeDateTime } from './programme-time-input.ts';

// Field schemas shared by the admin forms. Messages are translation keys of the `admin` namespace.

export const requiredText = (max: number) =>
  z.string({ error: 'admin:errors.required' }).trim().min(1, 'admin:errors.required').max(max, 'admin:errors.tooLong');

/** An unticked checkbox sends nothing at all. */
export const checkbox = z
  .unknown()
  .optional()
  .transform((value) => value === 'yes' || value === 'on' || value === 'true' || value === '1');

function toWholeNumber(text: string, min: number, max: number, rangeKey: string, context: z.RefinementCtx): number {
  if (!/^-?\d{1,9}$/.test(text)) {
    context.addIssue({ code: 'custom', message: 'admin:errors.wholeNumber' });
    return z.NEVER;
  }
  const number = Number(text);
  if (number < min || number > max) {
    context.addIssue({ code: 'custom', message: rangeKey });
    return z.NEVER;
  }
  return number;
}

export const wholeNumber = (min: number, max: number, rangeKey = 'admin:errors.numberOutOfRange') =>
  z
    .string({ error: 'admin:errors.required' })
    .trim()
    .min(1, 'admin:errors.required')
    .transform((text, context) => toWholeNumber(text, min, max, rangeKey, context));

/** An optional whole number: an empty field gives `fallback`. */
export const optionalWholeNumber = <T extends number | null>(min: number, max: number, fallback: T, rangeKey = 'admin:errors.numberOutOfRange') =>
  z
    .string({ error: 'admin:errors.wholeNumber' })
    .optional()
    .transform((value, context): number | T => {
      const text = (value ?? '').trim();
      return text === '' ? fallback : toWholeNumber(text, min, max, rangeKey, context);
    });

/** A date and time typed in Asia/Almaty (<input type="datetime-local">). */
export const programmeDateTime = z
  .string({ error: 'admin:errors.required' })
  .trim()
  .min(1, 'admin:errors.required')
  .transform((value, context) => {
    const date = parseProgrammeDateTime(value);
    if (!date) {
      context.addIssue({ code: 'custom', message: 'admin:errors.dateTimeInvalid' });
      return z.NEVER;
    }
    return date;
  });

/** A day in Asia/Almaty (<input type="date">), as the instant it starts. */
export const programmeDate = z
  .string({ error: 'admin:errors.required' })
  .trim()
  .min(1, 'admin:errors.required')
  .transform((value, context) => {
    const date = parseProgrammeDate(value);
    if (!date) {
      context.addIssue({ code: 'custom', message: 'admin:errors.dateInvalid' });
      return z.NEVER;
    }
    return date;
  });

export const emailAddress = z
  .string({ error: 'admin:errors.required' })
  .trim()
  .toLowerCase()
  .min(1, 'admin:errors.required')
  .max(254, 'admin:errors.tooLong')
  .pipe(z.email('admin:errors.emailInvalid'));

export const localeField = z.enum(['ru', 'kk', 'en'], { error: 'admin:errors.chooseOne' });

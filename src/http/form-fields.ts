/**
 * Zod field builders shared by every form, so that a checkbox, an e-mail or an IIN means the same in
 * each of them. Messages are translation keys: `formFields('apply')` gives the builders with the keys
 * of that namespace (`apply:errors.required`, `apply:errors.tooLong`, `apply:errors.iin.checksum`, …);
 * the plain builders take the keys themselves, for a form whose keys follow another pattern.
 */
import { z } from 'zod';
import { parseProgrammeDate, parseProgrammeDateTime } from '../lib/dates.ts';
import { iinProblem, type IinProblem } from '../lib/iin.ts';

/** What a ticked checkbox sends in any of our forms ('on' unless it has a value); an unticked one sends nothing. */
const tickedValues: readonly unknown[] = ['yes', 'on', 'true', '1', true];

export const checkbox = z
  .unknown()
  .optional()
  .transform((value) => tickedValues.includes(value));

/** Trimmed text that must be filled in. */
export function requiredText(max: number, messages: { required: string; tooLong: string }) {
  return z.string({ error: messages.required }).trim().min(1, messages.required).max(max, messages.tooLong);
}

/** Trimmed text that may be left empty: '' when empty or absent. */
export function optionalText(max: number, tooLong: string) {
  return z.string().trim().max(max, tooLong).optional().default('');
}

/** Like optionalText, but null when empty (for a nullable column). */
export function nullableText(max: number, tooLong: string) {
  return optionalText(max, tooLong).transform((value) => (value === '' ? null : value));
}

/**
 * An e-mail address, trimmed and lower-cased (`keepCase`: as typed, for a form that shows it back and
 * leaves the lower-casing to the service). Without `tooLong` an over-long address gets zod's own message.
 */
export function emailAddress(messages: { required: string; invalid: string; tooLong?: string }, options: { keepCase?: boolean } = {}) {
  const trimmed = z.string({ error: messages.required }).trim();
  return (options.keepCase ? trimmed : trimmed.toLowerCase()).min(1, messages.required).max(254, messages.tooLong).pipe(z.email(messages.invalid));
}

/** An e-mail address that may be left empty (null then). */
export function nullableEmailAddress(messages: { invalid: string; tooLong: string }) {
  return optionalText(254, messages.tooLong)
    .transform((value) => value.toLowerCase())
    .pipe(z.union([z.literal(''), z.email(messages.invalid)]))
    .transform((value) => (value === '' ? null : value));
}

/** A Kazakh IIN with its check digit and date of birth; spaces typed inside it are dropped. */
export function iinNumber(messages: { required: string; problem: (problem: IinProblem) => string }) {
  return z
    .string({ error: messages.required })
    .transform((value) => value.replace(/\s+/g, ''))
    .pipe(z.string().min(1, messages.required))
    .superRefine((value, context) => {
      const problem = iinProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: messages.problem(problem) });
    });
}

/** A whole number from a number field, one message for every problem. Note z.coerce: an empty field is 0. */
export function numberBetween(min: number, max: number, message: string) {
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
}

/** The id of an option chosen in a select (a region, say). */
export function chosenId(message: string) {
  return z.coerce.number({ error: message }).int(message).positive(message);
}

function toWholeNumber(text: string, min: number, max: number, messages: { wholeNumber: string; range: string }, context: z.RefinementCtx): number {
  if (!/^-?\d{1,9}$/.test(text)) {
    context.addIssue({ code: 'custom', message: messages.wholeNumber });
    return z.NEVER;
  }
  const number = Number(text);
  if (number < min || number > max) {
    context.addIssue({ code: 'custom', message: messages.range });
    return z.NEVER;
  }
  return number;
}

/** A required text field turned into a value by `parse`; null from it is the "invalid" message. */
function parsedText<T>(parse: (text: string) => T | null, messages: { required: string; invalid: string }) {
  return z
    .string({ error: messages.required })
    .trim()
    .min(1, messages.required)
    .transform((value, context) => {
      const parsed = parse(value);
      if (parsed === null) {
        context.addIssue({ code: 'custom', message: messages.invalid });
        return z.NEVER;
      }
      return parsed;
    });
}

/** Every builder with the message keys of one translation namespace (`<namespace>:errors.<problem>`). */
export function formFields(namespace: 'admin' | 'apply' | 'mentoring' | 'review') {
  const key = (problem: string) => `${namespace}:errors.${problem}`;
  return {
    checkbox,
    /** `required` replaces the usual "fill in this field" message. */
    requiredText: (max: number, required = key('required')) => requiredText(max, { required, tooLong: key('tooLong') }),
    optionalText: (max: number) => optionalText(max, key('tooLong')),
    nullableText: (max: number) => nullableText(max, key('tooLong')),
    email: emailAddress({ required: key('required'), tooLong: key('tooLong'), invalid: key('emailInvalid') }),
    optionalEmail: nullableEmailAddress({ tooLong: key('tooLong'), invalid: key('emailInvalid') }),
    iin: iinNumber({ required: key('required'), problem: (problem) => key(`iin.${problem}`) }),
    numberBetween: (min: number, max: number) => numberBetween(min, max, key('numberInvalid')),
    regionId: chosenId(key('regionRequired')),
    choice: <const Values extends readonly [string, ...string[]]>(values: Values) => z.enum(values, { error: key('chooseOne') }),
    /** A whole number typed as text, with a message of its own for each problem. */
    wholeNumber: (min: number, max: number, rangeKey = key('numberOutOfRange')) =>
      z
        .string({ error: key('required') })
        .trim()
        .min(1, key('required'))
        .transform((text, context) => toWholeNumber(text, min, max, { wholeNumber: key('wholeNumber'), range: rangeKey }, context)),
    /** An optional whole number: an empty field gives `fallback`. */
    optionalWholeNumber: <T extends number | null>(min: number, max: number, fallback: T, rangeKey = key('numberOutOfRange')) =>
      z
        .string({ error: key('wholeNumber') })
        .optional()
        .transform((value, context): number | T => {
          const text = (value ?? '').trim();
          return text === '' ? fallback : toWholeNumber(text, min, max, { wholeNumber: key('wholeNumber'), range: rangeKey }, context);
        }),
    /** A date and time typed in Asia/Almaty (<input type="datetime-local">). */
    programmeDateTime: parsedText(parseProgrammeDateTime, { required: key('required'), invalid: key('dateTimeInvalid') }),
    /** A day in Asia/Almaty (<input type="date">), as the instant it starts. */
    programmeDate: parsedText(parseProgrammeDate, { required: key('required'), invalid: key('dateInvalid') }),
  };
}

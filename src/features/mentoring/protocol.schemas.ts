/**
 * The session protocol form. A draft keeps whatever is valid and reports the rest next to the fields
 * (nothing the mentor typed is thrown away: the page shows it again); "submit" needs every content field.
 */
import { z } from 'zod';
import { SessionFormat } from '../../generated/prisma/enums.ts';
import { formFields, optionalText } from '../../http/form-fields.ts';
import { listValue } from '../../http/form-values.ts';
import { isDateInMonth, isDateInProgramme, parseCalendarDate, type ProgrammePeriod } from './month-rules.ts';

export const protocolTextLimit = 5000;

/**
 * The one place for the lengths of the protocol's text fields: the schema refuses more (never cuts),
 * and the form shows each as a counter. A meeting link with its parameters fits in "place".
 */
export const protocolFieldLimits = {
  place: 2000,
  issuesRaised: protocolTextLimit,
  solutions: protocolTextLimit,
  nextSteps: protocolTextLimit,
  notes: protocolTextLimit,
} as const;
export type LimitedProtocolField = keyof typeof protocolFieldLimits;

/** The message for a text over its limit; the view adds the numbers (limit, length, how much over). */
export const textOverLimitKey = 'mentoring:errors.textOverLimit';

/** The form exactly as typed (strings), used to show it again. */
export interface ProtocolFormValues {
  sessionDate: string;
  format: string;
  place: string;
  durationMinutes: string;
  attendance: string[];
  issuesRaised: string;
  solutions: string;
  nextSteps: string;
  notes: string;
  version: string;
}

// A browser sends a line break as CRLF but counts it as one character: the server counts it so too.
const text = (value: unknown): string => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '');

export function protocolFormValues(body: Record<string, unknown> | undefined): ProtocolFormValues {
  const source = body ?? {};
  return {
    sessionDate: text(source.sessionDate).trim(),
    format: text(source.format),
    place: text(source.place),
    durationMinutes: text(source.durationMinutes).trim(),
    attendance: listValue(source.attendance),
    issuesRaised: text(source.issuesRaised),
    solutions: text(source.solutions),
    nextSteps: text(source.nextSteps),
    notes: text(source.notes),
    version: text(source.version),
  };
}

const { requiredText } = formFields('mentoring');
const limitedText = (name: LimitedProtocolField) => optionalText(protocolFieldLimits[name], textOverLimitKey);

/** One schema per field, so a draft can keep the valid ones. An empty string means "not filled in". */
export const protocolFieldSchemas = {
  sessionDate: z
    .string()
    .refine((value) => value === '' || parseCalendarDate(value) !== null, 'mentoring:errors.dateInvalid'),
  format: z.union([z.literal(''), z.enum(SessionFormat, { error: 'mentoring:errors.chooseFormat' })]),
  place: limitedText('place'),
  durationMinutes: z
    .string()
    .refine((value) => value === '' || /^\d{1,4}$/.test(value), 'mentoring:errors.durationInvalid')
    .refine((value) => value === '' || (Number(value) >= 10 && Number(value) <= 720), 'mentoring:errors.durationRange'),
  issuesRaised: limitedText('issuesRaised'),
  solutions: limitedText('solutions'),
  nextSteps: limitedText('nextSteps'),
  notes: limitedText('notes'),
} as const;

type FieldName = keyof typeof protocolFieldSchemas;
const fieldNames = Object.keys(protocolFieldSchemas) as FieldName[];

/** Must be filled in before a protocol can be submitted ("notes" stays optional). */
export const requiredForSubmit: readonly (FieldName | 'attendance')[] = ['sessionDate', 'format', 'place', 'durationMinutes', 'attendance', 'issuesRaised', 'solutions', 'nextSteps'];

/**
 * What is stored. An empty field is null (or "" for the text columns); an invalid field is undefined,
 * which leaves the value saved before untouched (Prisma skips undefined).
 */
export interface ProtocolData {
  sessionDate: Date | null | undefined;
  format: SessionFormat | null | undefined;
  place: string | null | undefined;
  durationMinutes: number | null | undefined;
  attendanceIds: number[];
  issuesRaised: string | undefined;
  solutions: string | undefined;
  nextSteps: string | undefined;
  notes: string | undefined;
}

export interface ProtocolContext {
  month: Date;
  period: ProgrammePeriod;
  participantIds: readonly number[];
  /** Today in Almaty: a submitted session cannot be in the future. */
  today: Date;
}

export interface CheckedProtocol {
  data: ProtocolData;
  /** field → message key; empty when the protocol may be saved as it is. */
  errors: Record<string, string>;
}

/**
 * Checks the typed values for a draft (`complete: false`) or a submission (`complete: true`). The data
 * always holds every valid field, so a draft can be saved even when some fields still have errors.
 */
export function checkProtocol(values: ProtocolFormValues, context: ProtocolContext, complete: boolean): CheckedProtocol {
  const errors: Record<string, string> = {};
  const valid: Partial<Record<FieldName, string>> = {};
  for (const name of fieldNames) {
    const parsed = protocolFieldSchemas[name].safeParse(values[name]);
    if (parsed.success) valid[name] = parsed.data;
    else errors[name] = parsed.error.issues[0].message;
  }

  let sessionDate = valid.sessionDate === undefined ? undefined : valid.sessionDate ? parseCalendarDate(valid.sessionDate) : null;
  if (sessionDate && !isDateInMonth(sessionDate, context.month)) {
    errors.sessionDate = 'mentoring:errors.dateOutsideMonth';
    sessionDate = undefined;
  } else if (sessionDate && !isDateInProgramme(sessionDate, context.period)) {
    errors.sessionDate = 'mentoring:errors.dateOutsideProgramme';
    sessionDate = undefined;
  } else if (sessionDate && complete && sessionDate > context.today) {
    errors.sessionDate = 'mentoring:errors.dateInFuture';
  }

  const known = new Set(context.participantIds);
  const attendanceIds = [...new Set(values.attendance.map(Number))].filter((id) => known.has(id));
  if (attendanceIds.length !== new Set(values.attendance).size) errors.attendance = 'mentoring:errors.attendanceUnknown';

  if (complete) {
    for (const name of requiredForSubmit) {
      if (errors[name]) continue;
      const empty = name === 'attendance' ? attendanceIds.length === 0 : (valid[name] ?? '') === '';
      if (empty) errors[name] = name === 'attendance' ? 'mentoring:errors.attendanceRequired' : 'mentoring:errors.requiredToSubmit';
    }
  }

  // Present and valid → the value ("" → null); invalid → undefined (keep what was saved).
  const orNull = <T>(value: string | undefined, convert: (value: string) => T): T | null | undefined =>
    value === undefined ? undefined : value === '' ? null : convert(value);
  return {
    data: {
      sessionDate,
      format: orNull(valid.format, (value) => value as SessionFormat),
      place: orNull(valid.place, (value) => value),
      durationMinutes: orNull(valid.durationMinutes, Number),
      attendanceIds,
      issuesRaised: valid.issuesRaised,
      solutions: valid.solutions,
      nextSteps: valid.nextSteps,
      notes: valid.notes,
    },
    errors,
  };
}

/** The return comment the coordinator writes. */
export const returnProtocolSchema = z.object({
  comment: requiredText(2000, 'mentoring:errors.returnCommentRequired'),
});

/** The numbers a field's message needs (a text over its limit says by how much), formatted for the page's language. */
export function protocolErrorParams(name: string, value: unknown, language: string): Record<string, unknown> {
  if (!(name in protocolFieldLimits) || typeof value !== 'string') return {};
  const limit = protocolFieldLimits[name as LimitedProtocolField];
  const length = value.trim().length;
  const format = (count: number) => count.toLocaleString(language);
  return { limit: format(limit), length: format(length), count: Math.max(length - limit, 0), over: format(Math.max(length - limit, 0)) };
}

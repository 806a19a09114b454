import { z } from 'zod';
import { formFields } from '../../http/form-fields.ts';
import { programmeCalendarDay, programmeDayStartsAt } from '../../lib/dates.ts';
import { ApplicationStatus } from '../../generated/prisma/enums.ts';
import { documentKindNames } from '../documents/document-kinds.ts';
import { documentsStates } from './review.policy.ts';

const { checkbox, numberBetween, optionalText, programmeDate } = formFields('review');

const optionalNumber = z.preprocess((value) => (value === '' || value === undefined ? undefined : value), z.coerce.number().optional());

/** The list's query string; anything unknown falls back to the default instead of failing. */
export const applicationListQuerySchema = z.object({
  regionId: z.preprocess((value) => (value === '' ? undefined : value), z.coerce.number().int().positive().optional()).catch(undefined),
  status: z.enum(ApplicationStatus).optional().catch(undefined),
  documents: z.enum(documentsStates).optional().catch(undefined),
  scoreMin: optionalNumber.catch(undefined),
  scoreMax: optionalNumber.catch(undefined),
  q: z.string().transform((value) => value.replace(/\u0000/g, '').trim()).pipe(z.string().max(100)).optional().catch(undefined),
  sort: z.enum(['submitted', 'name', 'number', 'score', 'status']).default('submitted').catch('submitted'),
  direction: z.enum(['asc', 'desc']).default('desc').catch('desc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type ApplicationListQuery = z.output<typeof applicationListQuerySchema>;

export const documentCheckSchema = z
  .object({
    checkStatus: z.enum(['ACCEPTED', 'REJECTED', 'MISSING'], { error: 'review:errors.chooseCheck' }),
    reason: optionalText(500),
  })
  .refine((value) => value.checkStatus === 'ACCEPTED' || value.reason.length > 0, { path: ['reason'], message: 'review:errors.reasonRequired' });

/** How long an applicant has for a requested document when the chair gives no date. */
export const defaultDocumentRequestDays = 7;

export const documentRequestSchema = z.object({
  kind: z.enum(documentKindNames as [string, ...string[]], { error: 'review:errors.chooseDocument' }),
  message: optionalText(1000),
  /** The day by which the document is needed; empty: a week from today. */
  dueOn: z
    .union([z.literal('').transform(() => null), programmeDate.refine((day) => day >= programmeDayStartsAt(programmeCalendarDay(new Date())), 'review:errors.dueInPast')])
    .optional()
    .transform((day) => day ?? null),
});

export const transitionSchema = z.object({
  to: z.enum(['SCREENING', 'INTERVIEW', 'SCORED', 'REJECTED'], { error: 'review:errors.transitionNotAllowed' }),
  comment: optionalText(1000),
  /** Sent by the confirmation page of closing scoring before everyone has scored. */
  confirmEarlyClose: checkbox,
  /** To the interview although not every required document is accepted (needs the reason). */
  documentOverride: checkbox,
  documentOverrideReason: optionalText(1000),
  /** Sent by the confirmation page of a rejection. */
  confirmed: checkbox,
});

export const conflictSchema = z.object({
  reason: optionalText(500),
});

export const interviewSchema = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'review:errors.dateInvalid'),
    time: z.string().regex(/^\d{2}:\d{2}$/, 'review:errors.timeInvalid'),
    durationMinutes: numberBetween(10, 480),
    place: optionalText(300),
    videoLink: optionalText(500).refine((value) => value === '' || /^https:\/\/[^\s<>"]+$/.test(value), 'review:errors.linkInvalid'),
  })
  .refine((value) => value.place !== '' || value.videoLink !== '', { path: ['place'], message: 'review:errors.placeOrLinkRequired' });

export const decisionSchema = z.object({
  outcome: z.enum(['SELECTED', 'RESERVE', 'REJECTED'], { error: 'review:errors.chooseOutcome' }),
  quotaOverride: checkbox,
  overrideReason: optionalText(1000),
  /** Why an earlier decision is changed (before publishing). */
  changeReason: optionalText(1000),
  /** Sent by the confirmation page of a rejection or a selection over the quota. */
  confirmed: checkbox,
});

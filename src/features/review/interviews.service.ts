import i18next, { type i18n } from 'i18next';
import { DateTime } from 'luxon';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { SessionUser } from '../../http/guards.ts';
import { defaultLanguage, isLanguage, loadTranslationResources } from '../../http/i18n.ts';
import { formatDateTime, parseProgrammeDateTime, programmeTimeZone } from '../../lib/dates.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { findApplicationContact, type ProgrammeContact } from '../contact/programme-contact.service.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import { enqueueApplicantNotice } from '../sms/applicant-notice.service.ts';
import { buildInterviewCalendar, type CalendarPerson } from './interview-calendar.ts';
import { canReviewRegion, regionScope } from './review.policy.ts';
import { requireChair } from './reviewable-application.ts';

type Tx = Prisma.TransactionClient;

export interface InterviewInput {
  date: string;
  time: string;
  durationMinutes: number;
  place: string;
  videoLink: string;
}

/** What every invitation and cancellation needs from the configuration. */
export interface InterviewCalendarSettings {
  /** INTERVIEW_ORGANIZER_EMAIL when set; otherwise the programme contact's e-mail, then MAIL_FROM's address. */
  organizerEmail: string | undefined;
  mailFromAddress: string;
  /** The UID's domain: interview-<application id>@<host>. */
  baseHost: string;
}

let calendarSettings: InterviewCalendarSettings | undefined;

/**
 * Set once by the review router from the configuration, so that every path that calls an interview
 * off (a rejection, a decision, the applicant's withdrawal) can send the cancellation without
 * passing the configuration through each of them.
 */
export function useInterviewCalendarSettings(settings: InterviewCalendarSettings): void {
  calendarSettings = settings;
}

function settingsOrThrow(): InterviewCalendarSettings {
  if (!calendarSettings) throw new Error('interview calendar settings are not configured (useInterviewCalendarSettings)');
  return calendarSettings;
}

let translator: i18n | undefined;
/** Texts of the invitation itself (SUMMARY, DESCRIPTION), from locales/<language>/review.json. */
function calendarText(language: string, key: string, values: Record<string, string | number> = {}): string {
  if (!translator) {
    const resources = loadTranslationResources();
    const instance = i18next.createInstance();
    void instance.init({
      resources: Object.fromEntries(Object.entries(resources).map(([lang, namespaces]) => [lang, { review: namespaces.review }])),
      fallbackLng: defaultLanguage,
      ns: ['review'],
      defaultNS: 'review',
      interpolation: { escapeValue: false },
      initAsync: false,
    });
    translator = instance;
  }
  return translator.t(`calendar.${key}`, { ...values, lng: isLanguage(language) ? language : defaultLanguage });
}

function contactLine(contact: ProgrammeContact | null): string {
  return contact ? [contact.email, contact.phone].filter(Boolean).join(', ') : '';
}

interface CalendarInterview {
  applicationId: number;
  scheduledAt: Date;
  durationMinutes: number;
  place: string | null;
  videoLink: string | null;
}

interface Recipient extends CalendarPerson {
  language: string;
}

/** The .ics for one recipient: an ATTENDEE for them, the programme as ORGANIZER, texts in their language. */
function calendarFor(method: 'REQUEST' | 'CANCEL', sequence: number, interview: CalendarInterview, number: string, recipient: Recipient, role: 'REQ-PARTICIPANT' | 'OPT-PARTICIPANT', contact: ProgrammeContact | null): string {
  const settings = settingsOrThrow();
  const organizerEmail = settings.organizerEmail || contact?.email || settings.mailFromAddress;
  const language = recipient.language;
  const description = [
    calendarText(language, method === 'CANCEL' ? 'cancelledDescription' : 'description', { number }),
    interview.place ? calendarText(language, 'place', { place: interview.place }) : '',
    interview.videoLink ? calendarText(language, 'videoMeeting', { link: interview.videoLink }) : '',
    calendarText(language, 'duration', { minutes: interview.durationMinutes }),
    contactLine(contact) ? calendarText(language, 'contact', { contact: contactLine(contact) }) : '',
  ].filter(Boolean);
  return buildInterviewCalendar({
    method,
    uid: `interview-${interview.applicationId}@${settings.baseHost}`,
    sequence,
    start: interview.scheduledAt,
    durationMinutes: interview.durationMinutes,
    summary: calendarText(language, 'summary', { number }),
    description: description.join('\n'),
    place: interview.place ?? '',
    videoLink: interview.videoLink ?? '',
    organizer: { name: calendarText(language, 'organizer'), email: organizerEmail },
    attendees: [{ ...recipient, role, language }],
  });
}

/** The region's active committee members to invite: everyone but those who declared a conflict on the application. */
async function committeeInvitees(tx: Tx, applicationId: number, regionId: number): Promise<Recipient[]> {
  const members = await tx.user.findMany({
    where: { role: 'COMMITTEE', isActive: true, memberships: { some: { regionId } }, conflicts: { none: { applicationId } } },
    select: { email: true, fullName: true, locale: true },
    orderBy: { id: 'asc' },
  });
  return members.map((member) => ({ name: member.fullName, email: member.email, language: member.locale }));
}

/** The applicant's e-mail (and SMS) and one e-mail to each committee member, each with their own .ics. */
async function sendCalendar(tx: Tx, method: 'REQUEST' | 'CANCEL', interview: CalendarInterview & { revision: number }, rescheduled: boolean) {
  const applicant = await tx.application.findUniqueOrThrow({ where: { id: interview.applicationId }, select: { email: true, fullName: true, number: true, locale: true, regionId: true } });
  const contact = await findApplicationContact(tx, interview.applicationId);
  const sequence = method === 'CANCEL' ? interview.revision + 1 : interview.revision;
  const attachment = (content: string) => [{ filename: 'interview.ics', contentType: `text/calendar; charset=utf-8; method=${method}`, content }];
  const data = (language: string) => ({
    fullName: applicant.fullName,
    number: applicant.number,
    when: formatDateTime(interview.scheduledAt, language),
    place: interview.place ?? '',
    videoUrl: interview.videoLink || undefined,
    durationMinutes: interview.durationMinutes,
    rescheduled,
    rescheduleContact: contactLine(contact),
  });
  await enqueueApplicantNotice(tx, {
    to: applicant.email,
    locale: applicant.locale,
    template: method === 'CANCEL' ? 'interview-cancelled' : 'interview-scheduled',
    data: data(applicant.locale),
    applicationId: interview.applicationId,
    contact,
    attachments: attachment(calendarFor(method, sequence, interview, applicant.number, { name: applicant.fullName, email: applicant.email, language: applicant.locale }, 'REQ-PARTICIPANT', contact)),
  });
  for (const member of await committeeInvitees(tx, interview.applicationId, applicant.regionId)) {
    await enqueueEmail(tx, {
      to: member.email,
      locale: member.language as 'ru' | 'kk' | 'en',
      template: method === 'CANCEL' ? 'interview-committee-cancelled' : 'interview-committee',
      data: { ...data(member.language), memberName: member.name },
      contact,
      attachments: attachment(calendarFor(method, sequence, interview, applicant.number, member, 'REQ-PARTICIPANT', contact)),
    });
  }
}

/** The chair sets (or moves) the interview, never into the past; the applicant and the region's committee get an e-mail with an .ics invitation. */
export async function scheduleInterview(prisma: PrismaClient, user: SessionUser, applicationId: number, input: InterviewInput, now = new Date()) {
  const application = await requireChair(prisma, user, applicationId);
  if (application.status !== 'INTERVIEW') throw new ConflictError('interviews are scheduled once the documents are complete', 'review:errors.interviewNotNow');
  const scheduledAt = parseProgrammeDateTime(`${input.date}T${input.time}`);
  if (!scheduledAt) throw new ValidationError('invalid interview time', { date: 'review:errors.dateInvalid' });
  if (scheduledAt.getTime() <= now.getTime()) throw new ValidationError('interview in the past', { date: 'review:errors.interviewInPast' });

  await prisma.$transaction(async (tx) => {
    const previous = await tx.interview.findUnique({ where: { applicationId } });
    const interview = await tx.interview.upsert({
      where: { applicationId },
      create: { applicationId, scheduledAt, durationMinutes: input.durationMinutes, place: input.place || null, videoLink: input.videoLink || null, scheduledById: user.id },
      update: { scheduledAt, durationMinutes: input.durationMinutes, place: input.place || null, videoLink: input.videoLink || null, scheduledById: user.id, revision: { increment: 1 }, cancelledAt: null },
    });
    await sendCalendar(tx, 'REQUEST', interview, previous !== null);
    await recordAudit(tx, { actorId: user.id, action: previous ? 'interview.rescheduled' : 'interview.scheduled', entityType: 'Application', entityId: applicationId, details: { scheduledAt: scheduledAt.toISOString(), revision: interview.revision } });
  });
}

/**
 * Calls the interview off when the application is rejected or withdrawn before it took place: the
 * applicant and the committee get METHOD:CANCEL with the same UID and SEQUENCE revision + 1, in the
 * caller's transaction. Nothing happens when there is no interview, it was already called off, held,
 * or is over.
 */
export async function cancelInterviewIfScheduled(tx: Tx, applicationId: number, actorId: number | null = null, now = new Date()): Promise<boolean> {
  const interview = await tx.interview.findUnique({ where: { applicationId } });
  if (!interview || interview.cancelledAt || interview.heldAt) return false;
  if (interview.scheduledAt.getTime() + interview.durationMinutes * 60_000 <= now.getTime()) return false;
  const updated = await tx.interview.updateMany({ where: { applicationId, cancelledAt: null }, data: { cancelledAt: now, revision: { increment: 1 } } });
  if (updated.count !== 1) return false;
  await sendCalendar(tx, 'CANCEL', interview, false);
  await recordAudit(tx, { actorId, action: 'interview.cancelled', entityType: 'Application', entityId: applicationId, details: { scheduledAt: interview.scheduledAt.toISOString(), revision: interview.revision + 1 } });
  return true;
}

/**
 * The chair marks the interview as held (it may end before its planned start, or start early):
 * scoring opens at once. Only at the interview stage, once scheduled; audited.
 */
export async function markInterviewHeld(prisma: PrismaClient, user: SessionUser, applicationId: number) {
  const application = await requireChair(prisma, user, applicationId);
  await prisma.$transaction(async (tx) => {
    const interview = await tx.interview.findUnique({ where: { applicationId } });
    if (application.status !== 'INTERVIEW' || !interview) throw new ConflictError('no interview to mark as held', 'review:held.notYet');
    if (interview.heldAt) return;
    const heldAt = new Date();
    await tx.interview.update({ where: { applicationId }, data: { heldAt } });
    await recordAudit(tx, { actorId: user.id, action: 'interview.held', entityType: 'Application', entityId: applicationId, details: { heldAt: heldAt.toISOString(), scheduledAt: interview.scheduledAt.toISOString() } });
  });
}

export interface InterviewCalendarDay {
  /** The Almaty calendar day, yyyy-mm-dd. */
  day: string;
  interviews: { applicationId: number; number: string; fullName: string; regionId: number; scheduledAt: Date; durationMinutes: number; place: string | null; videoLink: string | null; heldAt: Date | null }[];
}

/** Monday of the Almaty week that contains the given day (yyyy-mm-dd) or, without one, today. */
function weekStartOf(day: string | undefined, now: Date): DateTime {
  const parsed = day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? DateTime.fromISO(day, { zone: programmeTimeZone }) : null;
  const base = parsed?.isValid ? parsed : DateTime.fromJSDate(now, { zone: programmeTimeZone });
  return base.startOf('week');
}

/**
 * The committee's interview calendar: one Almaty week (Monday to Sunday), day by day, of the regions
 * the user reviews (or the one region asked for; another region answers 404). Interviews called off
 * are left out. No scores: the blind-scoring rules are not touched.
 */
export async function interviewCalendarWeek(prisma: PrismaClient, user: SessionUser, options: { week?: string; regionId?: number }, now = new Date()) {
  if (options.regionId !== undefined && !canReviewRegion(user, options.regionId)) throw new NotFoundError();
  const start = weekStartOf(options.week, now);
  const end = start.plus({ weeks: 1 });
  const interviews = await prisma.interview.findMany({
    where: {
      cancelledAt: null,
      scheduledAt: { gte: start.toJSDate(), lt: end.toJSDate() },
      application: { ...regionScope(user), ...(options.regionId !== undefined ? { regionId: options.regionId } : {}), status: { notIn: ['WITHDRAWN'] } },
    },
    select: { applicationId: true, scheduledAt: true, durationMinutes: true, place: true, videoLink: true, heldAt: true, application: { select: { number: true, fullName: true, regionId: true } } },
    orderBy: [{ scheduledAt: 'asc' }, { applicationId: 'asc' }],
  });
  const days: InterviewCalendarDay[] = Array.from({ length: 7 }, (_, index) => ({ day: start.plus({ days: index }).toISODate()!, interviews: [] }));
  for (const interview of interviews) {
    const day = DateTime.fromJSDate(interview.scheduledAt, { zone: programmeTimeZone }).toISODate();
    days
      .find((entry) => entry.day === day)
      ?.interviews.push({ applicationId: interview.applicationId, number: interview.application.number, fullName: interview.application.fullName, regionId: interview.application.regionId, scheduledAt: interview.scheduledAt, durationMinutes: interview.durationMinutes, place: interview.place, videoLink: interview.videoLink, heldAt: interview.heldAt });
  }
  return {
    weekStart: start.toISODate()!,
    weekEnd: end.minus({ days: 1 }).toISODate()!,
    previousWeek: start.minus({ weeks: 1 }).toISODate()!,
    nextWeek: end.toISODate()!,
    thisWeek: weekStartOf(undefined, now).toISODate()!,
    days,
    count: interviews.length,
  };
}

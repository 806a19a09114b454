import { createEvent } from 'ics';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { SessionUser } from '../../http/guards.ts';
import { formatDateTime, parseProgrammeDateTime } from '../../lib/dates.ts';
import { ConflictError, ValidationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { enqueueApplicantNotice } from '../sms/applicant-notice.service.ts';
import { requireChair } from './reviewable-application.ts';

export interface InterviewInput {
  date: string;
  time: string;
  durationMinutes: number;
  place: string;
  videoLink: string;
}

/** The calendar invitation; SEQUENCE grows with every reschedule so calendars update the event. */
export function interviewCalendarEvent(options: { uid: string; start: Date; durationMinutes: number; title: string; place: string; videoLink: string; revision: number; organiserEmail: string }): string {
  const start = options.start;
  const { error, value } = createEvent({
    uid: options.uid,
    sequence: options.revision,
    method: 'REQUEST',
    start: [start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate(), start.getUTCHours(), start.getUTCMinutes()],
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: options.durationMinutes },
    title: options.title,
    location: options.place || options.videoLink,
    ...(options.videoLink ? { url: options.videoLink } : {}),
    organizer: { name: 'Zhas', email: options.organiserEmail },
    status: 'CONFIRMED',
  });
  if (error || !value) throw error ?? new Error('could not build the calendar event');
  return value;
}

/** The chair sets (or moves) the interview; the applicant gets an e-mail with an .ics invitation. */
export async function scheduleInterview(prisma: PrismaClient, user: SessionUser, applicationId: number, input: InterviewInput, settings: { organiserEmail: string; baseHost: string }) {
  const application = await requireChair(prisma, user, applicationId);
  if (application.status !== 'INTERVIEW') throw new ConflictError('interviews are scheduled once the documents are complete', 'review:errors.interviewNotNow');
  const scheduledAt = parseProgrammeDateTime(`${input.date}T${input.time}`);
  if (!scheduledAt) throw new ValidationError('invalid interview time', { date: 'review:errors.dateInvalid' });

  await prisma.$transaction(async (tx) => {
    const previous = await tx.interview.findUnique({ where: { applicationId } });
    const interview = await tx.interview.upsert({
      where: { applicationId },
      create: { applicationId, scheduledAt, durationMinutes: input.durationMinutes, place: input.place || null, videoLink: input.videoLink || null, scheduledById: user.id },
      update: { scheduledAt, durationMinutes: input.durationMinutes, place: input.place || null, videoLink: input.videoLink || null, scheduledById: user.id, revision: { increment: 1 } },
    });
    const applicant = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { email: true, fullName: true, number: true, locale: true } });
    const calendar = interviewCalendarEvent({
      uid: `interview-${applicationId}@${settings.baseHost}`,
      start: scheduledAt,
      durationMinutes: input.durationMinutes,
      title: `Zhas: ${applicant.number}`,
      place: input.place,
      videoLink: input.videoLink,
      revision: interview.revision,
      organiserEmail: settings.organiserEmail,
    });
    await enqueueApplicantNotice(tx, {
      to: applicant.email,
      locale: applicant.locale,
      template: 'interview-scheduled',
      data: { fullName: applicant.fullName, number: applicant.number, when: formatDateTime(scheduledAt, applicant.locale), place: input.place, videoUrl: input.videoLink || undefined, rescheduled: previous !== null },
      applicationId,
      attachments: [{ filename: 'interview.ics', contentType: 'text/calendar; charset=utf-8; method=REQUEST', content: calendar }],
    });
    await recordAudit(tx, { actorId: user.id, action: previous ? 'interview.rescheduled' : 'interview.scheduled', entityType: 'Application', entityId: applicationId, details: { scheduledAt: scheduledAt.toISOString(), revision: interview.revision } });
  });
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

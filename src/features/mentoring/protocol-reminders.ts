/**
 * Protocol reminders: during the last days of a month, each mentor with groups that have no submitted
 * protocol for the month gets one e-mail listing them. The MentorReminder row (primary key mentor +
 * month) is the claim: inserted in the same transaction as the outbox message, so with two portal
 * instances running the job at once exactly one of them sends it, and never twice.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { formatDayAndMonth, formatMonth, monthStartOf, programmeCalendarDay } from '../../lib/dates.ts';
import type { Logger } from '../../lib/logger.ts';
import { startPeriodicJob, type PeriodicJob } from '../../lib/periodic-job.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import type { EmailLanguage } from '../mail/email-templates.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import { isProgrammeMonth, isReminderWindow, monthEndsAt, monthParam, programmeMonthsOf, calendarDateParam } from './month-rules.ts';
import { findProgrammeContact } from '../contact/programme-contact.service.ts';
import { compareText } from '../../lib/collation.ts';

export const defaultReminderDaysBeforeMonthEnd = 5;

export interface ReminderCandidate {
  mentorId: number;
  email: string;
  fullName: string;
  locale: EmailLanguage;
  /** Groups with no submitted protocol for the month being reminded about, by name in the mentor's language. */
  groups: { id: number; name: string; status: 'DRAFT' | 'RETURNED' | null }[];
  /** Earlier programme months that ended with no submitted protocol, oldest first, then by group name. */
  overdue: { id: number; name: string; month: Date; status: 'DRAFT' | 'RETURNED' | null }[];
}

/**
 * Mentors to remind about `month`: active mentors with at least one group whose protocol for that month
 * or an earlier programme month is not submitted, who have not been reminded about that month yet
 * (`onlyMentorId`: that one mentor, reminded or not, for a reminder the coordinator sends by hand).
 */
export async function reminderCandidates(prisma: PrismaClient, month: Date, onlyMentorId?: number): Promise<ReminderCandidate[]> {
  const groups = await prisma.youthGroup.findMany({
    where: {
      mentor: onlyMentorId ? { id: onlyMentorId, role: 'MENTOR', isActive: true } : { role: 'MENTOR', isActive: true, reminders: { none: { month } } },
      programmeStartMonth: { lte: month },
    },
    orderBy: { id: 'asc' },
    include: {
      mentor: { select: { id: true, email: true, fullName: true, locale: true } },
      protocols: { where: { month: { lte: month } }, select: { month: true, status: true } },
    },
  });
  const byMentor = new Map<number, ReminderCandidate>();
  for (const group of groups) {
    if (!group.mentor) continue;
    const statusOf = (wanted: Date) => group.protocols.find((protocol) => protocol.month.getTime() === wanted.getTime())?.status;
    const candidate = byMentor.get(group.mentor.id) ?? { mentorId: group.mentor.id, email: group.mentor.email, fullName: group.mentor.fullName, locale: group.mentor.locale as EmailLanguage, groups: [], overdue: [] };
    if (isProgrammeMonth(group, month)) {
      const status = statusOf(month);
      if (status !== 'SUBMITTED') candidate.groups.push({ id: group.id, name: group.name, status: status ?? null });
    }
    for (const earlier of programmeMonthsOf(group)) {
      if (earlier.getTime() >= month.getTime()) break;
      const status = statusOf(earlier);
      if (status !== 'SUBMITTED') candidate.overdue.push({ id: group.id, name: group.name, month: earlier, status: status ?? null });
    }
    if (candidate.groups.length + candidate.overdue.length > 0) byMentor.set(group.mentor.id, candidate);
  }
  // In the alphabet of the language the mentor reads her e-mails in.
  for (const candidate of byMentor.values()) {
    const compareNames = compareText(candidate.locale);
    candidate.groups.sort((a, b) => compareNames(a.name, b.name) || a.id - b.id);
    candidate.overdue.sort((a, b) => a.month.getTime() - b.month.getTime() || compareNames(a.name, b.name) || a.id - b.id);
  }
  return [...byMentor.values()];
}

/** The data of the protocol-reminder e-mail. */
function reminderEmailData(candidate: ReminderCandidate, month: Date, baseUrl: string) {
  return {
    mentorName: candidate.fullName,
    monthLabel: formatMonth(month, candidate.locale),
    deadline: formatDayAndMonth(new Date(monthEndsAt(month).getTime() - 1), candidate.locale),
    groups: candidate.groups.map((group) => ({ name: group.name, status: group.status, url: `${baseUrl}/mentor/groups/${group.id}/protocols/${monthParam(month)}` })),
    overdue: candidate.overdue.map((entry) => ({ name: entry.name, status: entry.status, monthLabel: formatMonth(entry.month, candidate.locale), url: `${baseUrl}/mentor/groups/${entry.id}/protocols/${monthParam(entry.month)}` })),
    homeUrl: `${baseUrl}/mentor`,
  };
}

export interface SendRemindersOptions {
  baseUrl: string;
  daysBeforeMonthEnd?: number;
  now?: Date;
}

/** Sends the reminders due now; resolves to the number of e-mails this call put into the outbox. */
export async function sendDueReminders(prisma: PrismaClient, options: SendRemindersOptions): Promise<number> {
  const now = options.now ?? new Date();
  const days = options.daysBeforeMonthEnd ?? defaultReminderDaysBeforeMonthEnd;
  if (!isReminderWindow(now, days)) return 0;
  const month = monthStartOf(now);
  let sent = 0;
  const contact = await findProgrammeContact(prisma);
  for (const candidate of await reminderCandidates(prisma, month)) {
    const claimed = await prisma.$transaction(async (tx) => {
      // ON CONFLICT DO NOTHING, not a caught unique violation: on PostgreSQL a failed statement would
      // abort the transaction. A concurrent claim waits for the other transaction, then inserts nothing.
      const inserted = await tx.$executeRaw`
        INSERT INTO "MentorReminder" ("mentorId", "month", "sentAt")
        VALUES (${candidate.mentorId}, ${`${monthParam(month)}-01`}::date, now() AT TIME ZONE 'UTC')
        ON CONFLICT ("mentorId", "month") DO NOTHING`;
      if (inserted === 0) return false;
      await enqueueEmail(tx, {
        to: candidate.email,
        locale: candidate.locale,
        template: 'protocol-reminder',
        contact,
        dedupeKey: `protocol-reminder:${candidate.mentorId}:${monthParam(month)}`,
        data: reminderEmailData(candidate, month, options.baseUrl),
      });
      await recordAudit(tx, { actorId: null, action: 'reminder.sent', entityType: 'User', entityId: candidate.mentorId, details: { month: monthParam(month), groups: candidate.groups.map((group) => group.id), overdue: candidate.overdue.length } });
      return true;
    });
    if (claimed) sent += 1;
  }
  return sent;
}

/** What a reminder sent now would list for one mentor (the confirmation page); null when nothing is missing. */
export async function reminderPreview(prisma: PrismaClient, mentorId: number, now = new Date()): Promise<ReminderCandidate | null> {
  return (await reminderCandidates(prisma, monthStartOf(now), mentorId))[0] ?? null;
}

export type ReminderNowResult = 'sent' | 'alreadySentToday' | 'nothingMissing';

/**
 * A reminder the coordinator sends from the compliance grid: the same e-mail as the automatic one, at
 * most once per mentor per Almaty day (the outbox's dedupeKey), audited with who sent it.
 */
export async function sendReminderNow(prisma: PrismaClient, input: { mentorId: number; actorId: number; baseUrl: string; now?: Date }): Promise<ReminderNowResult> {
  const now = input.now ?? new Date();
  const month = monthStartOf(now);
  const candidate = await reminderPreview(prisma, input.mentorId, now);
  if (!candidate) return 'nothingMissing';
  const day = calendarDateParam(programmeCalendarDay(now));
  return prisma.$transaction(async (tx) => {
    const email = await enqueueEmail(tx, {
      to: candidate.email,
      locale: candidate.locale,
      template: 'protocol-reminder',
      dedupeKey: `protocol-reminder-now:${candidate.mentorId}:${day}`,
      data: reminderEmailData(candidate, month, input.baseUrl),
    });
    if (!email.created) return 'alreadySentToday';
    await recordAudit(tx, { actorId: input.actorId, action: 'reminder.sent_now', entityType: 'User', entityId: candidate.mentorId, details: { month: monthParam(month), groups: candidate.groups.map((group) => group.id), overdue: candidate.overdue.length } });
    return 'sent';
  });
}

export interface ProtocolReminderJobOptions extends SendRemindersOptions {
  prisma: PrismaClient;
  logger: Logger;
  /** How often to look (an hour by default); the first look is at start-up. */
  intervalMs?: number;
}

/** Runs sendDueReminders at start-up and then every `intervalMs` (an hour by default). */
export function startProtocolReminderJob(options: ProtocolReminderJobOptions): PeriodicJob<number> {
  return startPeriodicJob({
    name: 'protocol reminders',
    logger: options.logger,
    intervalMs: options.intervalMs ?? 3_600_000,
    run: () => sendDueReminders(options.prisma, { baseUrl: options.baseUrl, daysBeforeMonthEnd: options.daysBeforeMonthEnd, now: options.now }),
    onError: 0,
    report: (count) => {
      if (count > 0) options.logger.info({ reminders: count }, 'protocol reminders queued');
    },
  });
}

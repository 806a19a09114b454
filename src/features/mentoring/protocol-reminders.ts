/**
 * Protocol reminders: during the last days of a month, each mentor with groups that have no submitted
 * protocol for the month gets one e-mail listing them. The MentorReminder row (primary key mentor +
 * month) is the claim: inserted in the same transaction as the outbox message, so with two portal
 * instances running the job at once exactly one of them sends it, and never twice.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { formatDayAndMonth, formatMonth, monthStartOf } from '../../lib/dates.ts';
import type { Logger } from '../../lib/logger.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import type { EmailLanguage } from '../mail/email-templates.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import { isProgrammeMonth, isReminderWindow, monthEndsAt, monthParam } from './month-rules.ts';
import { findProgrammeContact } from '../contact/programme-contact.service.ts';

export const defaultReminderDaysBeforeMonthEnd = 5;

export interface ReminderCandidate {
  mentorId: number;
  email: string;
  fullName: string;
  locale: EmailLanguage;
  groups: { id: number; name: string; status: 'DRAFT' | 'RETURNED' | null }[];
}

/**
 * Mentors to remind about `month`: active mentors with at least one group in its programme that month
 * and no submitted protocol for it, who have not been reminded about that month yet.
 */
export async function reminderCandidates(prisma: PrismaClient, month: Date): Promise<ReminderCandidate[]> {
  const groups = await prisma.youthGroup.findMany({
    where: {
      mentor: { role: 'MENTOR', isActive: true, reminders: { none: { month } } },
      programmeStartMonth: { lte: month },
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    include: {
      mentor: { select: { id: true, email: true, fullName: true, locale: true } },
      protocols: { where: { month }, select: { status: true } },
    },
  });
  const byMentor = new Map<number, ReminderCandidate>();
  for (const group of groups) {
    if (!group.mentor || !isProgrammeMonth(group, month)) continue;
    const status = group.protocols[0]?.status;
    if (status === 'SUBMITTED') continue;
    const candidate = byMentor.get(group.mentor.id) ?? { mentorId: group.mentor.id, email: group.mentor.email, fullName: group.mentor.fullName, locale: group.mentor.locale as EmailLanguage, groups: [] };
    candidate.groups.push({ id: group.id, name: group.name, status: status ?? null });
    byMentor.set(group.mentor.id, candidate);
  }
  return [...byMentor.values()];
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
        data: {
          mentorName: candidate.fullName,
          monthLabel: formatMonth(month, candidate.locale),
          deadline: formatDayAndMonth(new Date(monthEndsAt(month).getTime() - 1), candidate.locale),
          groups: candidate.groups.map((group) => ({ name: group.name, status: group.status, url: `${options.baseUrl}/mentor/groups/${group.id}/protocols/${monthParam(month)}` })),
          homeUrl: `${options.baseUrl}/mentor`,
        },
      });
      await recordAudit(tx, { actorId: null, action: 'reminder.sent', entityType: 'User', entityId: candidate.mentorId, details: { month: monthParam(month), groups: candidate.groups.map((group) => group.id) } });
      return true;
    });
    if (claimed) sent += 1;
  }
  return sent;
}

export interface ProtocolReminderJobOptions extends SendRemindersOptions {
  prisma: PrismaClient;
  logger: Logger;
  /** How often to look (an hour by default); the first look is at start-up. */
  intervalMs?: number;
}

/** Runs sendDueReminders at start-up and then every `intervalMs`, never two runs at once in this process. */
export function startProtocolReminderJob(options: ProtocolReminderJobOptions): { stop(): Promise<void>; runOnce(): Promise<number> } {
  let running: Promise<number> | null = null;
  const runOnce = (): Promise<number> => {
    running ??= sendDueReminders(options.prisma, { baseUrl: options.baseUrl, daysBeforeMonthEnd: options.daysBeforeMonthEnd, now: options.now })
      .then((count) => {
        if (count > 0) options.logger.info({ reminders: count }, 'protocol reminders queued');
        return count;
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'protocol reminders failed');
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  void runOnce();
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 3_600_000);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      if (running) await running;
    },
  };
}

/**
 * The coordinator's daily digests, e-mailed by a job like the protocol reminders:
 * - the protocols resubmitted the day before (returned with a comment, then submitted again);
 * - the protocols still missing, per region and mentor: programme months that have ended with no
 *   submitted protocol.
 * Each goes once per coordinator and Almaty day (the outbox's dedupeKey), and only when it lists something.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { formatDate, formatDateTime, formatMonth, monthStartOf, programmeCalendarDay, programmeDayStartsAt, toProgrammeTime } from '../../lib/dates.ts';
import type { Logger } from '../../lib/logger.ts';
import { startPeriodicJob, type PeriodicJob } from '../../lib/periodic-job.ts';
import { compareText } from '../../lib/collation.ts';
import { localisedName } from '../../lib/localised-name.ts';
import { findProgrammeContact } from '../contact/programme-contact.service.ts';
import type { EmailLanguage } from '../mail/email-templates.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import { calendarDateParam, monthParam, programmeMonthsOf } from './month-rules.ts';

/** Digests go out from this Almaty hour on (the job looks every hour). */
export const defaultDigestHour = 9;

export interface ResubmittedProtocol {
  protocolId: number;
  groupName: string;
  mentorName: string;
  regionId: number;
  month: Date;
  resubmittedAt: Date;
}

/** Protocols resubmitted between `from` and `to` (a returned protocol submitted again), oldest first. */
export async function resubmittedProtocols(prisma: PrismaClient, from: Date, to: Date): Promise<ResubmittedProtocol[]> {
  const entries = await prisma.auditLogEntry.findMany({
    where: { action: 'protocol.resubmitted', entityType: 'SessionProtocol', createdAt: { gte: from, lt: to } },
    orderBy: { createdAt: 'asc' },
    select: { entityId: true, createdAt: true },
  });
  const lastAt = new Map<number, Date>();
  for (const entry of entries) lastAt.set(Number(entry.entityId), entry.createdAt);
  if (lastAt.size === 0) return [];
  const protocols = await prisma.sessionProtocol.findMany({
    where: { id: { in: [...lastAt.keys()] }, status: 'SUBMITTED' },
    select: { id: true, month: true, group: { select: { name: true, regionId: true } }, mentor: { select: { fullName: true } } },
  });
  return protocols
    .map((protocol) => ({ protocolId: protocol.id, groupName: protocol.group.name, mentorName: protocol.mentor.fullName, regionId: protocol.group.regionId, month: protocol.month, resubmittedAt: lastAt.get(protocol.id)! }))
    .sort((a, b) => a.resubmittedAt.getTime() - b.resubmittedAt.getTime());
}

export interface MissingByRegion {
  region: { id: number; nameRu: string; nameKk: string; nameEn: string; sortOrder: number };
  mentors: { mentorId: number; mentorName: string; items: { groupId: number; groupName: string; month: Date }[] }[];
}

/**
 * Ended programme months with no submitted protocol, per region (in their order) and mentor (groups
 * with a mentor); the names in no particular order: missingInReadersOrder sorts them for each reader.
 */
export async function missingProtocols(prisma: PrismaClient, currentMonth: Date): Promise<MissingByRegion[]> {
  const groups = await prisma.youthGroup.findMany({
    where: { mentorId: { not: null }, programmeStartMonth: { lt: currentMonth } },
    orderBy: { id: 'asc' },
    include: {
      region: { select: { id: true, nameRu: true, nameKk: true, nameEn: true, sortOrder: true } },
      mentor: { select: { id: true, fullName: true } },
      protocols: { where: { status: 'SUBMITTED' }, select: { month: true } },
    },
  });
  const regions = new Map<number, MissingByRegion>();
  for (const group of groups) {
    const submitted = new Set(group.protocols.map((protocol) => protocol.month.getTime()));
    const missing = programmeMonthsOf(group).filter((month) => month.getTime() < currentMonth.getTime() && !submitted.has(month.getTime()));
    if (missing.length === 0 || !group.mentor) continue;
    const region = regions.get(group.region.id) ?? { region: group.region, mentors: [] };
    regions.set(group.region.id, region);
    let mentor = region.mentors.find((entry) => entry.mentorId === group.mentor!.id);
    if (!mentor) {
      mentor = { mentorId: group.mentor.id, mentorName: group.mentor.fullName, items: [] };
      region.mentors.push(mentor);
    }
    for (const month of missing) mentor.items.push({ groupId: group.id, groupName: group.name, month });
  }
  return [...regions.values()].sort((a, b) => a.region.sortOrder - b.region.sortOrder || a.region.id - b.region.id);
}

/** The missing protocols as a reader of `language` finds them: mentors by name, each one's months oldest first, groups by name. */
export function missingInReadersOrder(missing: MissingByRegion[], language: string): MissingByRegion[] {
  const compareNames = compareText(language);
  return missing.map((region) => ({
    ...region,
    mentors: [...region.mentors]
      .sort((a, b) => compareNames(a.mentorName, b.mentorName) || a.mentorId - b.mentorId)
      .map((mentor) => ({ ...mentor, items: [...mentor.items].sort((a, b) => a.month.getTime() - b.month.getTime() || compareNames(a.groupName, b.groupName) || a.groupId - b.groupId) })),
  }));
}

export interface SendDigestsOptions {
  baseUrl: string;
  now?: Date;
  digestHour?: number;
}

/** Sends the day's digests that are due and not sent yet; resolves to the number of e-mails put into the outbox. */
export async function sendDueDigests(prisma: PrismaClient, options: SendDigestsOptions): Promise<number> {
  const now = options.now ?? new Date();
  if (toProgrammeTime(now).hour < (options.digestHour ?? defaultDigestHour)) return 0;
  const today = programmeCalendarDay(now);
  const yesterday = new Date(today.getTime() - 86_400_000);
  const dayKey = calendarDateParam(today);
  const [coordinators, resubmitted, missing, regions, contact] = await Promise.all([
    prisma.user.findMany({ where: { role: 'COORDINATOR', isActive: true }, orderBy: { id: 'asc' }, select: { id: true, email: true, fullName: true, locale: true } }),
    resubmittedProtocols(prisma, programmeDayStartsAt(yesterday), programmeDayStartsAt(today)),
    missingProtocols(prisma, monthStartOf(now)),
    prisma.region.findMany({ select: { id: true, nameRu: true, nameKk: true, nameEn: true } }),
    findProgrammeContact(prisma),
  ]);
  const regionName = (id: number, locale: string) => {
    const region = regions.find((entry) => entry.id === id);
    return region ? localisedName(region, locale) : '';
  };
  let sent = 0;
  for (const coordinator of coordinators) {
    const locale = coordinator.locale as EmailLanguage;
    await prisma.$transaction(async (tx) => {
      if (resubmitted.length > 0) {
        const email = await enqueueEmail(tx, {
          to: coordinator.email,
          locale,
          template: 'protocols-resubmitted-digest',
          contact,
          dedupeKey: `protocols-resubmitted-digest:${coordinator.id}:${dayKey}`,
          data: {
            coordinatorName: coordinator.fullName,
            dayLabel: formatDate(yesterday, locale),
            protocols: resubmitted.map((protocol) => ({
              groupName: protocol.groupName,
              mentorName: protocol.mentorName,
              regionName: regionName(protocol.regionId, locale),
              monthLabel: formatMonth(protocol.month, locale),
              resubmittedAt: formatDateTime(protocol.resubmittedAt, locale),
              url: `${options.baseUrl}/admin/protocols/${protocol.protocolId}`,
            })),
          },
        });
        if (email.created) sent += 1;
      }
      if (missing.length > 0) {
        const email = await enqueueEmail(tx, {
          to: coordinator.email,
          locale,
          template: 'protocols-missing-digest',
          contact,
          dedupeKey: `protocols-missing-digest:${coordinator.id}:${dayKey}`,
          data: {
            coordinatorName: coordinator.fullName,
            total: missing.reduce((sum, region) => sum + region.mentors.reduce((count, mentor) => count + mentor.items.length, 0), 0),
            regions: missingInReadersOrder(missing, locale).map((region) => ({
              name: localisedName(region.region, locale),
              mentors: region.mentors.map((mentor) => ({
                name: mentor.mentorName,
                items: mentor.items.map((item) => ({ groupName: item.groupName, monthLabel: formatMonth(item.month, locale), month: monthParam(item.month) })),
              })),
            })),
            complianceUrl: `${options.baseUrl}/admin/compliance`,
          },
        });
        if (email.created) sent += 1;
      }
    });
  }
  return sent;
}

export interface CoordinatorDigestJobOptions extends SendDigestsOptions {
  prisma: PrismaClient;
  logger: Logger;
  /** How often to look (an hour by default); the first look is at start-up. */
  intervalMs?: number;
}

/** Runs sendDueDigests at start-up and then every `intervalMs` (an hour by default). */
export function startCoordinatorDigestJob(options: CoordinatorDigestJobOptions): PeriodicJob<number> {
  return startPeriodicJob({
    name: 'coordinator digests',
    logger: options.logger,
    intervalMs: options.intervalMs ?? 3_600_000,
    run: () => sendDueDigests(options.prisma, { baseUrl: options.baseUrl, now: options.now, digestHour: options.digestHour }),
    onError: 0,
    report: (count) => {
      if (count > 0) options.logger.info({ digests: count }, 'coordinator digests queued');
    },
  });
}

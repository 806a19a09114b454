/**
 * Publishing a cohort's results: every decided applicant is told the outcome by e-mail,
 * and every selected applicant gets a mentor account with a one-time link to set its password.
 * Everything happens in one transaction, and only for applications not told yet, so publishing
 * again sends nothing twice.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { ApplicationStatus, Locale } from '../../generated/prisma/enums.ts';
import { formatDateTime } from '../../lib/dates.ts';
import { localisedName } from '../../lib/localised-name.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { createUserToken, mentorInvitationValidHours, setPasswordUrl } from '../auth/invitation-tokens.ts';
import { findContactsByRegion } from '../contact/programme-contact.service.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import { enqueueApplicantNotice } from '../sms/applicant-notice.service.ts';

export const decidedStatuses = ['SELECTED', 'RESERVE', 'REJECTED'] as const satisfies readonly ApplicationStatus[];
/** Counted on the page; anything else is still undecided. */
const finalStatuses: readonly ApplicationStatus[] = [...decidedStatuses, 'WITHDRAWN'];

export interface ExistingAccount {
  applicationId: number;
  number: string;
  email: string;
  userId: number;
}

export type PublishResult =
  | { ok: true; notified: number; accountsCreated: number; existingAccounts: ExistingAccount[]; firstPublication: boolean }
  | { ok: false; reason: 'tooEarly' }
  | { ok: false; reason: 'undecided'; undecided: number };

/** Counts by outcome, what is still undecided and what has not been e-mailed yet. */
export async function resultsOverview(prisma: PrismaClient, cohortId: number) {
  const cohort = await prisma.cohort.findUnique({ where: { id: cohortId }, select: { id: true, name: true, resultsAt: true, resultsPublishedAt: true } });
  if (!cohort) throw new NotFoundError('No such cohort');
  const [byStatus, waiting, lastPublications] = await Promise.all([
    prisma.application.groupBy({ by: ['status'], where: { cohortId }, _count: { _all: true } }),
    prisma.application.count({ where: { cohortId, status: { in: [...decidedStatuses] }, resultNotifiedAt: null } }),
    prisma.auditLogEntry.findMany({ where: { entityType: 'Cohort', entityId: String(cohortId), action: 'results.published' }, orderBy: { createdAt: 'desc' }, take: 20 }),
  ]);
  const counts = { SELECTED: 0, RESERVE: 0, REJECTED: 0, WITHDRAWN: 0 };
  let undecided = 0;
  for (const row of byStatus) {
    if ((finalStatuses as string[]).includes(row.status)) counts[row.status as keyof typeof counts] = row._count._all;
    else undecided += row._count._all;
  }
  // Applicants whose e-mail already had an account when they were selected, from every publication.
  const existingAccounts = lastPublications.flatMap((entry) => {
    const details = entry.details as { existingAccounts?: ExistingAccount[] } | null;
    return details?.existingAccounts ?? [];
  });
  return { cohort, counts, undecided, waiting, existingAccounts };
}

export interface PublishSettings {
  cohortId: number;
  actorId: number;
  baseUrl: string;
  now?: Date;
}

/** Publishes (or completes the publication of) a cohort's results. */
export async function publishResults(prisma: PrismaClient, settings: PublishSettings): Promise<PublishResult> {
  const now = settings.now ?? new Date();
  const { cohortId, actorId } = settings;
  return prisma.$transaction(
    async (tx) => {
      // One publication at a time per cohort: a second click waits here, then finds nothing to send.
      await tx.$queryRaw`SELECT "id" FROM "Cohort" WHERE "id" = ${cohortId} FOR UPDATE`;
      const cohort = await tx.cohort.findUnique({ where: { id: cohortId }, select: { id: true, name: true, resultsAt: true, resultsPublishedAt: true } });
      if (!cohort) throw new NotFoundError('No such cohort');
      if (now < cohort.resultsAt) return { ok: false, reason: 'tooEarly' } as const;
      const undecided = await tx.application.count({ where: { cohortId, status: { notIn: [...finalStatuses] } } });
      if (undecided > 0) return { ok: false, reason: 'undecided', undecided } as const;

      const firstPublication = cohort.resultsPublishedAt === null;
      if (firstPublication) await tx.cohort.update({ where: { id: cohortId }, data: { resultsPublishedAt: now } });

      const applications = await tx.application.findMany({
        where: { cohortId, status: { in: [...decidedStatuses] }, resultNotifiedAt: null },
        orderBy: { id: 'asc' },
        select: {
          id: true,
          number: true,
          status: true,
          locale: true,
          fullName: true,
          email: true,
          phone: true,
          region: { select: { id: true, nameRu: true, nameKk: true, nameEn: true } },
          mentor: { select: { id: true } },
        },
      });
      const contacts = await findContactsByRegion(tx, applications.map((application) => application.region.id));

      let accountsCreated = 0;
      const existingAccounts: ExistingAccount[] = [];
      for (const application of applications) {
        const locale: Locale = application.locale;
        await enqueueApplicantNotice(tx, {
          to: application.email,
          locale,
          template: 'results',
          // The outcome only: never scores, ranks or the committee's names.
          data: { fullName: application.fullName, number: application.number, cohortName: cohort.name, regionName: localisedName(application.region, locale), outcome: application.status },
          applicationId: application.id,
          contact: contacts.get(application.region.id) ?? null,
          dedupeKey: `results:${application.id}:${application.status}`,
        });
        await tx.application.update({ where: { id: application.id }, data: { resultNotifiedAt: now } });
        await recordAudit(tx, { actorId, action: 'results.notified', entityType: 'Application', entityId: application.id, details: { outcome: application.status } });

        if (application.status !== 'SELECTED' || application.mentor) continue;
        const existing = await tx.user.findUnique({ where: { email: application.email }, select: { id: true } });
        if (existing) {
          // Someone already has an account with this e-mail: it is left as it is and reported.
          existingAccounts.push({ applicationId: application.id, number: application.number, email: application.email, userId: existing.id });
          continue;
        }
        const mentor = await tx.user.create({
          data: {
            email: application.email,
            fullName: application.fullName,
            phone: application.phone,
            role: 'MENTOR',
            locale,
            passwordHash: null,
            sourceApplicationId: application.id,
          },
        });
        const token = await createUserToken(tx, mentor.id, 'INVITATION', mentorInvitationValidHours, now);
        await enqueueEmail(tx, {
          to: application.email,
          locale,
          template: 'mentor-invitation',
          data: {
            fullName: application.fullName,
            email: application.email,
            cohortName: cohort.name,
            setPasswordUrl: setPasswordUrl(settings.baseUrl, token),
            expiresAt: formatDateTime(new Date(now.getTime() + mentorInvitationValidHours * 3_600_000), locale),
          },
          applicationId: application.id,
          contact: contacts.get(application.region.id) ?? null,
          dedupeKey: `mentor-invitation:${application.id}`,
        });
        await recordAudit(tx, { actorId, action: 'user.created_from_application', entityType: 'User', entityId: mentor.id, details: { applicationId: application.id, number: application.number, role: 'MENTOR' } });
        accountsCreated += 1;
      }

      if (firstPublication || applications.length > 0) {
        await recordAudit(tx, {
          actorId,
          action: 'results.published',
          entityType: 'Cohort',
          entityId: cohortId,
          details: { firstPublication, notified: applications.length, accountsCreated, existingAccounts: existingAccounts.map((account) => ({ ...account })) },
        });
      }
      return { ok: true, notified: applications.length, accountsCreated, existingAccounts, firstPublication } as const;
    },
    // Hundreds of e-mails are rendered inside the transaction; the default 5 s is too short for that.
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
}

/**
 * What publishing now would do, counted from the data as publishResults does it: the applicants told
 * (per outcome), the mentor accounts created with their invitation e-mails, and the selected whose
 * e-mail already has an account (left as it is).
 */
export async function publicationPreview(prisma: PrismaClient, cohortId: number) {
  const waiting = await prisma.application.findMany({
    where: { cohortId, status: { in: [...decidedStatuses] }, resultNotifiedAt: null },
    select: { status: true, email: true, mentor: { select: { id: true } } },
  });
  const byOutcome = { SELECTED: 0, RESERVE: 0, REJECTED: 0 };
  for (const application of waiting) byOutcome[application.status as keyof typeof byOutcome] += 1;
  const newMentors = waiting.filter((application) => application.status === 'SELECTED' && !application.mentor);
  const existing = newMentors.length === 0 ? [] : await prisma.user.findMany({ where: { email: { in: newMentors.map((application) => application.email) } }, select: { email: true } });
  const existingEmails = new Set(existing.map((user) => user.email));
  const accountsToCreate = newMentors.filter((application) => !existingEmails.has(application.email)).length;
  const existingAccounts = newMentors.length - accountsToCreate;
  return { notified: waiting.length, byOutcome, accountsToCreate, existingAccounts, emails: waiting.length + accountsToCreate };
}

/**
 * What keeps the results from being published, per region: each undecided application (with its
 * number and status, for a link), and whether the region has an active chair (without one only the
 * coordinator can decide there).
 */
export async function publishingBlockers(prisma: PrismaClient, cohortId: number) {
  const undecided = await prisma.application.findMany({
    where: { cohortId, status: { notIn: [...finalStatuses] } },
    orderBy: [{ regionId: 'asc' }, { submittedAt: 'asc' }, { id: 'asc' }],
    select: { id: true, number: true, fullName: true, status: true, regionId: true },
  });
  const regions = await prisma.region.findMany({
    where: { id: { in: [...new Set(undecided.map((application) => application.regionId))] } },
    orderBy: { id: 'asc' },
    select: { id: true, nameRu: true, nameKk: true, nameEn: true, memberships: { where: { isChair: true, user: { isActive: true } }, select: { userId: true } } },
  });
  return regions
    .map((region) => ({
      region: { id: region.id, nameRu: region.nameRu, nameKk: region.nameKk, nameEn: region.nameEn },
      hasChair: region.memberships.length > 0,
      applications: undecided.filter((application) => application.regionId === region.id),
    }));
}

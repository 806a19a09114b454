import type { PrismaClient } from '../../generated/prisma/client.ts';
import { findCurrentCohort } from '../applications/cohorts.service.ts';
import type { ApplicationStatus } from '../../generated/prisma/enums.ts';
import type { SessionUser } from '../../http/guards.ts';
import { applicationStatuses } from '../../lib/enum-lists.ts';
import { isReuploadToCheck, otherScoresVisibleWhere } from './review.policy.ts';

/** What public/js/committee-charts.js draws: one bar per label. */
export interface BarChart {
  labels: string[];
  values: number[];
  label: string;
}

export interface RegionOverview {
  region: { id: number; nameRu: string; nameKk: string; nameEn: string };
  isChair: boolean;
  quota: number | null;
  /** Every status in the schema's order, 0 when there is none. */
  countsByStatus: Record<ApplicationStatus, number>;
  total: number;
  charts: { statuses: BarChart; scores: BarChart };
}

/** The bands of the result score, as the chart labels them. */
const scoreBands = [
  { band: 1, label: '1–2' },
  { band: 2, label: '2–3' },
  { band: 3, label: '3–4' },
  { band: 4, label: '4–5' },
];

/**
 * The committee member's regions, each with the latest cohort's quota, applications by status and the
 * data of its two charts (labels in the reader's language through `translate`).
 */
export async function committeeOverview(prisma: PrismaClient, user: SessionUser, translate: (key: string) => string) {
  const regionIds = user.committeeRegions.map((membership) => membership.regionId);
  const cohort = await findCurrentCohort(prisma);
  const [regions, quotas, counts, bands, pending] = await Promise.all([
    prisma.region.findMany({ where: { id: { in: regionIds } }, orderBy: { sortOrder: 'asc' } }),
    cohort ? prisma.cohortRegionQuota.findMany({ where: { cohortId: cohort.id, regionId: { in: regionIds } } }) : [],
    cohort
      ? prisma.application.groupBy({ by: ['regionId', 'status'], where: { cohortId: cohort.id, regionId: { in: regionIds } }, _count: { _all: true } })
      : [],
    scoreDistribution(prisma, user, cohort?.id, regionIds),
    pendingReviews(prisma, user, regionIds),
  ]);
  const recheck = await documentsToCheckAgain(prisma, user, regionIds);
  const statusLabels = applicationStatuses.map((status) => translate(`applicationStatus.${status}`));
  const overviews: RegionOverview[] = regions.map((region) => {
    const countsByStatus = Object.fromEntries(applicationStatuses.map((status) => [status, 0])) as Record<ApplicationStatus, number>;
    for (const row of counts.filter((count) => count.regionId === region.id)) countsByStatus[row.status] = row._count._all;
    const bandCount = (band: number) => bands.find((entry) => entry.regionId === region.id && entry.band === band)?.count ?? 0;
    return {
      region,
      isChair: user.committeeRegions.some((membership) => membership.regionId === region.id && membership.isChair),
      quota: quotas.find((quota) => quota.regionId === region.id)?.quota ?? null,
      countsByStatus,
      total: Object.values(countsByStatus).reduce((sum, value) => sum + value, 0),
      charts: {
        statuses: { labels: statusLabels, values: applicationStatuses.map((status) => countsByStatus[status]), label: translate('committee.home.byStatus') },
        scores: { labels: scoreBands.map((entry) => entry.label), values: scoreBands.map((entry) => bandCount(entry.band)), label: translate('review:home.scoreDistribution') },
      },
    };
  });
  return { cohort, regions: overviews, pendingReviews: pending, documentsToRecheck: recheck };
}

/**
 * How many candidates of each region have a result in each band (1-2, 2-3, 3-4, 4-5), counting only
 * the results this user may see (blind scoring: otherScoresVisibleWhere, the list's rule).
 */
async function scoreDistribution(prisma: PrismaClient, user: SessionUser, cohortId: number | undefined, regionIds: number[]) {
  if (cohortId === undefined || regionIds.length === 0) return [];
  const rows = await prisma.application.findMany({
    where: { AND: [{ cohortId, regionId: { in: regionIds }, resultScore: { not: null } }, otherScoresVisibleWhere(user)] },
    select: { regionId: true, resultScore: true },
  });
  const counts = new Map<string, { regionId: number; band: number; count: number }>();
  for (const row of rows) {
    const band = Math.min(Math.max(Math.floor(Number(row.resultScore)), 1), 4);
    const key = `${row.regionId}:${band}`;
    const entry = counts.get(key) ?? { regionId: row.regionId, band, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

/** Interviewed candidates of the member's regions that still wait for the member's own score. */
function pendingReviews(prisma: PrismaClient, user: SessionUser, regionIds: number[]) {
  return prisma.application.findMany({
    where: {
      regionId: { in: regionIds },
      // Open for scoring, or opening once the interview has taken place (the page says when).
      status: 'INTERVIEW',
      interview: { isNot: null },
      scores: { none: { reviewerId: user.id } },
      conflicts: { none: { userId: user.id } },
    },
    orderBy: { submittedAt: 'asc' },
    take: 20,
    select: { id: true, number: true, fullName: true, interview: { select: { scheduledAt: true } } },
  });
}

/**
 * The queue "documents to check again": applications of the member's regions (not decided, no
 * conflict of the member) with a document the applicant uploaded again that waits for a check
 * (isReuploadToCheck), the oldest upload first, each with the files and when they came.
 */
async function documentsToCheckAgain(prisma: PrismaClient, user: SessionUser, regionIds: number[]) {
  if (regionIds.length === 0) return [];
  const candidates = await prisma.application.findMany({
    where: {
      regionId: { in: regionIds },
      status: { in: ['SUBMITTED', 'SCREENING', 'INCOMPLETE', 'INTERVIEW', 'SCORED'] },
      conflicts: { none: { userId: user.id } },
      documents: { some: { replacedAt: null, checkStatus: 'PENDING' } },
    },
    select: {
      id: true,
      number: true,
      fullName: true,
      submittedAt: true,
      documents: { where: { OR: [{ replacedAt: { not: null } }, { checkStatus: 'PENDING' }] }, select: { id: true, kind: true, checkStatus: true, uploadedAt: true, replacedAt: true } },
    },
  });
  return candidates
    .map((application) => {
      const replaced = application.documents.filter((document) => document.replacedAt !== null);
      const documents = application.documents.filter((document) => isReuploadToCheck(document, application, replaced)).sort((a, b) => a.uploadedAt.getTime() - b.uploadedAt.getTime());
      return { id: application.id, number: application.number, fullName: application.fullName, documents };
    })
    .filter((application) => application.documents.length > 0)
    .sort((a, b) => a.documents[0].uploadedAt.getTime() - b.documents[0].uploadedAt.getTime())
    .slice(0, 50);
}

import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { ApplicationStatus } from '../../generated/prisma/enums.ts';
import type { SessionUser } from '../../http/guards.ts';

export interface RegionOverview {
  region: { id: number; nameRu: string; nameKk: string; nameEn: string };
  isChair: boolean;
  quota: number | null;
  countsByStatus: Partial<Record<ApplicationStatus, number>>;
  total: number;
}

/** The committee member's regions, each with the latest cohort's quota and applications by status. */
export async function committeeOverview(prisma: PrismaClient, user: SessionUser) {
  const regionIds = user.committeeRegions.map((membership) => membership.regionId);
  const cohort = await prisma.cohort.findFirst({ orderBy: { applicationOpensAt: 'desc' }, select: { id: true, name: true } });
  const [regions, quotas, counts] = await Promise.all([
    prisma.region.findMany({ where: { id: { in: regionIds } }, orderBy: { sortOrder: 'asc' } }),
    cohort ? prisma.cohortRegionQuota.findMany({ where: { cohortId: cohort.id, regionId: { in: regionIds } } }) : [],
    cohort
      ? prisma.application.groupBy({ by: ['regionId', 'status'], where: { cohortId: cohort.id, regionId: { in: regionIds } }, _count: { _all: true } })
      : [],
  ]);
  const overviews: RegionOverview[] = regions.map((region) => {
    const countsByStatus: RegionOverview['countsByStatus'] = {};
    for (const row of counts.filter((count) => count.regionId === region.id)) countsByStatus[row.status] = row._count._all;
    return {
      region,
      isChair: user.committeeRegions.some((membership) => membership.regionId === region.id && membership.isChair),
      quota: quotas.find((quota) => quota.regionId === region.id)?.quota ?? null,
      countsByStatus,
      total: Object.values(countsByStatus).reduce((sum, value) => sum + (value ?? 0), 0),
    };
  });
  return { cohort, regions: overviews, scoreDistribution: await scoreDistribution(prisma, cohort?.id, regionIds), pendingReviews: await pendingReviews(prisma, user, regionIds) };
}

/** How many candidates of each region have a result in each band (1-2, 2-3, 3-4, 4-5). */
async function scoreDistribution(prisma: PrismaClient, cohortId: number | undefined, regionIds: number[]) {
  if (cohortId === undefined || regionIds.length === 0) return [];
  const rows = await prisma.$queryRaw<{ regionId: number; band: number; count: bigint }[]>`
    SELECT "regionId", LEAST(GREATEST(FLOOR("resultScore")::int, 1), 4) AS band, COUNT(*) AS count
    FROM "Application"
    WHERE "cohortId" = ${cohortId} AND "regionId" = ANY(${regionIds}) AND "resultScore" IS NOT NULL
    GROUP BY 1, 2`;
  return rows.map((row) => ({ regionId: Number(row.regionId), band: Number(row.band), count: Number(row.count) }));
}

/** Interviewed candidates of the member's regions that still wait for the member's own score. */
function pendingReviews(prisma: PrismaClient, user: SessionUser, regionIds: number[]) {
  return prisma.application.findMany({
    where: {
      regionId: { in: regionIds },
      status: { in: ['INTERVIEW', 'SCORED'] },
      interview: { isNot: null },
      scores: { none: { reviewerId: user.id } },
      conflicts: { none: { userId: user.id } },
    },
    orderBy: { submittedAt: 'asc' },
    take: 20,
    select: { id: true, number: true, fullName: true, interview: { select: { scheduledAt: true } } },
  });
}

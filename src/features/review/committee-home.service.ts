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
  return { cohort, regions: overviews };
}

import type { PrismaClient } from '../../generated/prisma/client.ts';
import { findCurrentCohort } from '../applications/cohorts.service.ts';

/** The coordinator's overview: the latest cohort, people by role, groups and e-mails waiting. */
export async function adminOverview(prisma: PrismaClient) {
  const cohort = await findCurrentCohort(prisma);
  const [applicationsByRegion, usersByRole, groupCount, pendingEmails, regions] = await Promise.all([
    cohort ? prisma.application.groupBy({ by: ['regionId'], where: { cohortId: cohort.id }, _count: { _all: true } }) : [],
    prisma.user.groupBy({ by: ['role'], where: { isActive: true }, _count: { _all: true } }),
    prisma.youthGroup.count(),
    prisma.outboxEmail.count({ where: { status: { in: ['PENDING', 'FAILED'] } } }),
    prisma.region.findMany({
      orderBy: { sortOrder: 'asc' },
      include: { quotas: cohort ? { where: { cohortId: cohort.id } } : { take: 0 } },
    }),
  ]);
  return {
    cohort,
    regions: regions.map((region) => ({
      region,
      quota: region.quotas[0]?.quota ?? null,
      applications: applicationsByRegion.find((row) => row.regionId === region.id)?._count._all ?? 0,
    })),
    usersByRole: Object.fromEntries(usersByRole.map((row) => [row.role, row._count._all])) as Record<string, number>,
    groupCount,
    pendingEmails,
  };
}

import type { PrismaClient } from '../../generated/prisma/client.ts';

/** The cohort whose application window contains `now`, if any (the latest-opened one wins). */
export function findOpenCohort(prisma: PrismaClient, now = new Date()) {
  return prisma.cohort.findFirst({
    where: { applicationOpensAt: { lte: now }, applicationClosesAt: { gt: now } },
    orderBy: { applicationOpensAt: 'desc' },
    include: { quotas: { include: { region: true }, orderBy: { region: { sortOrder: 'asc' } } } },
  });
}

/** The next cohort whose window has not opened yet, if one is planned. */
export function findNextCohort(prisma: PrismaClient, now = new Date()) {
  return prisma.cohort.findFirst({ where: { applicationOpensAt: { gt: now } }, orderBy: { applicationOpensAt: 'asc' } });
}

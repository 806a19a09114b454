import type { PrismaClient } from '../../generated/prisma/client.ts';

/** Cohorts whose application window contains `now`. */
function windowOpenAt(now: Date) {
  return { applicationOpensAt: { lte: now }, applicationClosesAt: { gt: now } };
}

/** The cohort whose application window contains `now`, if any (the latest-opened one wins). */
export function findOpenCohort(prisma: PrismaClient, now = new Date()) {
  return prisma.cohort.findFirst({
    where: windowOpenAt(now),
    orderBy: { applicationOpensAt: 'desc' },
    include: { quotas: { include: { region: true }, orderBy: { region: { sortOrder: 'asc' } } } },
  });
}

/** Only the dates of the open cohort's application window and results (the home page shows nothing else). */
export function findOpenApplicationWindow(prisma: PrismaClient, now = new Date()) {
  return prisma.cohort.findFirst({
    where: windowOpenAt(now),
    orderBy: { applicationOpensAt: 'desc' },
    select: { applicationOpensAt: true, applicationClosesAt: true, resultsAt: true },
  });
}

/** The next cohort whose window has not opened yet, if one is planned. */
export function findNextCohort(prisma: PrismaClient, now = new Date()) {
  return prisma.cohort.findFirst({ where: { applicationOpensAt: { gt: now } }, orderBy: { applicationOpensAt: 'asc' } });
}

/** The newest cohort (latest window): the committee and the coordinator's overview work on one selection round at a time. */
export function findCurrentCohort(prisma: PrismaClient) {
  return prisma.cohort.findFirst({ orderBy: { applicationOpensAt: 'desc' }, select: { id: true, name: true, applicationOpensAt: true, applicationClosesAt: true, resultsAt: true } });
}

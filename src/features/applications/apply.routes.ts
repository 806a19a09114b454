import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { formatDate } from '../../lib/dates.ts';
import { findNextCohort, findOpenCohort } from './cohorts.service.ts';

/** "Mentors → Apply": who can apply, what to prepare, and whether the window is open now. */
export function applyRouter(prisma: PrismaClient): Router {
  const router = Router();
  router.get('/apply', async (request, response) => {
    const language = response.locals.lang as string;
    const openCohort = await findOpenCohort(prisma);
    const nextCohort = openCohort ? null : await findNextCohort(prisma);
    response.render('applications/before-you-apply', {
      titleKey: 'apply.title',
      openCohort: openCohort && {
        name: openCohort.name,
        opens: formatDate(openCohort.applicationOpensAt, language),
        closes: formatDate(openCohort.applicationClosesAt, language),
        results: formatDate(openCohort.resultsAt, language),
        regions: openCohort.quotas.map((quota) => quota.region),
        requiredDocuments: openCohort.requiredDocuments,
      },
      nextOpens: nextCohort ? formatDate(nextCohort.applicationOpensAt, language) : null,
    });
  });
  return router;
}

import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { formatDate } from '../../lib/dates.ts';
import { findCurrentCohort, findOpenApplicationWindow } from '../applications/cohorts.service.ts';
import { currentRetentionPeriods } from '../retention/retention.service.ts';

/** The pages every visitor sees alike (app.ts serves them to visitors from a short cache). */
export const publicPagePaths = ['/', '/about', '/faq', '/privacy'];

export function publicRouter(prisma: PrismaClient): Router {
  const router = Router();

  router.get('/', async (_request, response) => {
    const language = response.locals.lang as string;
    const cohort = await findOpenApplicationWindow(prisma);
    response.render('public/home', {
      titleKey: 'public:home.title',
      applyUrl: '/apply',
      applyWindow: cohort && {
        opens: formatDate(cohort.applicationOpensAt, language),
        closes: formatDate(cohort.applicationClosesAt, language),
        results: formatDate(cohort.resultsAt, language),
      },
    });
  });
  router.get('/about', (_request, response) => response.render('public/about', { titleKey: 'public:about.title' }));
  // How long documents and applications are kept: the current cohort's periods.
  router.get('/privacy', async (_request, response) => response.render('public/privacy', { titleKey: 'public:privacy.title', retention: await currentRetentionPeriods(prisma) }));
  router.get('/faq', async (_request, response) => {
    const language = response.locals.lang as string;
    const cohort = await findCurrentCohort(prisma);
    // The answers about dates name the current cohort's own dates.
    const cohortDates = cohort && {
      name: cohort.name,
      opens: formatDate(cohort.applicationOpensAt, language),
      closes: formatDate(cohort.applicationClosesAt, language),
      results: formatDate(cohort.resultsAt, language),
    };
    response.render('public/faq', { titleKey: 'public:faq.title', cohortDates });
  });
  return router;
}

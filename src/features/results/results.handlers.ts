import type { RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { addFlash } from '../../http/flash.ts';
import { currentUser } from '../../http/guards.ts';
import { idParam } from '../../http/request-params.ts';
import { formatDate, formatDateTime } from '../../lib/dates.ts';
import { publicationPreview, publishingBlockers, publishResults, resultsOverview } from './results.service.ts';

export function resultsHandlers(prisma: PrismaClient, config: Config) {
  async function renderPage(response: Response, cohortId: number, status: number, problem: { key: string; count?: number } | null) {
    const [overview, blockers] = await Promise.all([resultsOverview(prisma, cohortId), publishingBlockers(prisma, cohortId)]);
    const language = response.locals.lang as string;
    response.status(status).render('results/results', {
      titleKey: 'admin:results.title',
      ...overview,
      blockers,
      resultsDate: formatDate(overview.cohort.resultsAt, language),
      publishedAt: overview.cohort.resultsPublishedAt ? formatDateTime(overview.cohort.resultsPublishedAt, language) : null,
      tooEarly: new Date() < overview.cohort.resultsAt,
      problem,
    });
  }

  const show: RequestHandler = async (request, response) => {
    await renderPage(response, idParam(request), 200, null);
  };

  const publish: RequestHandler = async (request, response) => {
    const cohortId = idParam(request);
    if (request.body?.confirmed !== 'yes') {
      // First what publishing will do, counted from the data; the real POST carries confirmed=yes.
      const overview = await resultsOverview(prisma, cohortId);
      if (new Date() < overview.cohort.resultsAt) return renderPage(response, cohortId, 409, { key: 'admin:results.errors.tooEarly' });
      if (overview.undecided > 0) return renderPage(response, cohortId, 409, { key: 'admin:results.errors.undecided', count: overview.undecided });
      return response.render('results/confirm-publish', {
        titleKey: 'admin:results.confirm.title',
        cohort: overview.cohort,
        preview: await publicationPreview(prisma, cohortId),
      });
    }
    const result = await publishResults(prisma, { cohortId, actorId: currentUser(request)!.id, baseUrl: config.baseUrl });
    if (!result.ok) {
      const problem = result.reason === 'tooEarly' ? { key: 'admin:results.errors.tooEarly' } : { key: 'admin:results.errors.undecided', count: result.undecided };
      return renderPage(response, cohortId, 409, problem);
    }
    if (result.notified === 0 && !result.firstPublication) addFlash(request, 'info', 'admin:results.flash.nothingNew');
    else addFlash(request, 'success', 'admin:results.flash.published');
    if (result.existingAccounts.length > 0) addFlash(request, 'info', 'admin:results.flash.existingAccounts');
    response.redirect(303, `/admin/cohorts/${cohortId}/results`);
  };

  return { show, publish };
}

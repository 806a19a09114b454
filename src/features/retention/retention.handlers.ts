import type { RequestHandler } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { currentUser } from '../../http/guards.ts';
import { addFlash } from '../../http/flash.ts';
import { formatDate } from '../../lib/dates.ts';
import type { DocumentStore } from '../documents/document-storage.ts';
import { retentionOverview, runRetention, type CohortRetention } from './retention.service.ts';

function forPage(cohort: CohortRetention, language: string) {
  return {
    ...cohort,
    published: cohort.resultsPublishedAt ? formatDate(cohort.resultsPublishedAt, language) : null,
    documentsOn: cohort.documentsDueAt ? formatDate(cohort.documentsDueAt, language) : null,
    anonymiseOn: cohort.anonymiseDueAt ? formatDate(cohort.anonymiseDueAt, language) : null,
  };
}

/** The coordinator's retention page: what goes when, per cohort, and a run now (after a confirmation). */
export function retentionHandlers(prisma: PrismaClient, store: DocumentStore) {
  const show: RequestHandler = async (_request, response) => {
    const language = response.locals.lang as string;
    const cohorts = await retentionOverview(prisma);
    response.set('Cache-Control', 'no-store');
    response.render('retention/retention', { titleKey: 'admin:retention.title', cohorts: cohorts.map((cohort) => forPage(cohort, language)) });
  };

  const run: RequestHandler = async (request, response) => {
    if (request.body?.confirmed !== 'yes') {
      // First what will go now; the real POST carries confirmed=yes.
      const cohorts = await retentionOverview(prisma);
      const documents = cohorts.reduce((sum, cohort) => sum + (cohort.documentsDue || cohort.anonymiseDue ? cohort.documentsToDelete : 0), 0);
      const applications = cohorts.reduce((sum, cohort) => sum + (cohort.anonymiseDue ? cohort.applicationsToAnonymise : 0), 0);
      response.set('Cache-Control', 'no-store');
      return response.render('retention/confirm-run', { titleKey: 'admin:retention.confirm.title', documents, applications });
    }
    const report = await runRetention(prisma, store, { actorId: currentUser(request)!.id });
    addFlash(request, 'success', report.documentsDeleted + report.applicationsAnonymised > 0 ? 'admin:retention.flash.done' : 'admin:retention.flash.nothing');
    response.redirect(303, '/admin/retention');
  };

  return { show, run };
}

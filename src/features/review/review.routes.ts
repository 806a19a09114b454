import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { currentUser, requireRole } from '../../http/guards.ts';
import { formatDate, formatDateTime } from '../../lib/dates.ts';
import { committeeOverview } from './committee-home.service.ts';
import { interviewCalendarHandler } from './interview-calendar.handlers.ts';
import { useInterviewCalendarSettings } from './interviews.service.ts';
import { reviewHandlers } from './review.handlers.ts';

/** The committee's work: dashboard, list, application page, scoring, ranking, decisions. */
export function reviewRouter(prisma: PrismaClient, config: Config): Router {
  useInterviewCalendarSettings({ organizerEmail: config.interviewOrganizerEmail, mailFromAddress: config.mailFrom.replace(/^.*<|>.*$/g, '').trim(), baseHost: new URL(config.baseUrl).host });
  const handlers = reviewHandlers(prisma, config);
  const router = Router();
  router.get('/committee', requireRole('COMMITTEE'), async (request, response) => {
    const overview = await committeeOverview(prisma, currentUser(request)!, response.locals.t);
    response.render('review/committee-home', { titleKey: 'committee.home.title', ...overview, formatDate, formatDateTime });
  });

  // Committee members see their regions; the coordinator sees every region.
  const review = Router();
  review.use(requireRole('COMMITTEE', 'COORDINATOR'));
  review.get('/applications', handlers.list);
  review.get('/applications/export.csv', handlers.exportCsv);
  review.get('/applications/export.xlsx', handlers.exportXlsx);
  review.get('/applications/:applicationId', handlers.show);
  review.get('/applications/:applicationId/documents/:documentId', handlers.document);
  review.post('/applications/:applicationId/documents/:documentId/check', handlers.check);
  review.post('/applications/:applicationId/notes', handlers.note);
  review.post('/applications/:applicationId/request-document', handlers.requestMissing);
  review.post('/applications/:applicationId/status', handlers.transition);
  review.post('/applications/:applicationId/conflict', handlers.conflict);
  review.post('/applications/:applicationId/interview', handlers.interview);
  review.post('/applications/:applicationId/interview/held', handlers.interviewHeld);
  review.post('/applications/:applicationId/conflicts/:userId/lift', handlers.liftConflict);
  review.post('/applications/:applicationId/score', handlers.score);
  review.post('/applications/:applicationId/decision', handlers.decision);
  review.get('/regions/:regionId/ranking', handlers.ranking);
  review.get('/interviews', interviewCalendarHandler(prisma));
  router.use('/committee', review);
  return router;
}

import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { currentUser, requireRole } from '../../http/guards.ts';
import { committeeOverview } from './committee-home.service.ts';

export function reviewRouter(prisma: PrismaClient): Router {
  const router = Router();
  router.use('/committee', requireRole('COMMITTEE'));
  router.get('/committee', async (request, response) => {
    const overview = await committeeOverview(prisma, currentUser(request)!);
    response.render('review/committee-home', { titleKey: 'committee.home.title', ...overview });
  });
  return router;
}

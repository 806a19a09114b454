import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { currentUser, requireRole } from '../../http/guards.ts';
import { mentorGroups } from './mentor-home.service.ts';

export function mentoringRouter(prisma: PrismaClient): Router {
  const router = Router();
  router.use('/mentor', requireRole('MENTOR'));
  router.get('/mentor', async (request, response) => {
    response.render('mentoring/mentor-home', { titleKey: 'mentor.home.title', groups: await mentorGroups(prisma, currentUser(request)!.id) });
  });
  return router;
}

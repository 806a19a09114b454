import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { requireRole } from '../../http/guards.ts';
import { adminOverview } from './admin-home.service.ts';

export function adminRouter(prisma: PrismaClient): Router {
  const router = Router();
  router.use('/admin', requireRole('COORDINATOR'));
  router.get('/admin', async (_request, response) => {
    response.render('admin/admin-home', { titleKey: 'admin.home.title', ...(await adminOverview(prisma)) });
  });
  return router;
}

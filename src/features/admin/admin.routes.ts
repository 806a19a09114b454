import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { adminOverview } from './admin-home.service.ts';

/** The coordinator's overview; app.ts lets only the coordinator into /admin. */
export function adminRouter(prisma: PrismaClient): Router {
  const router = Router();
  router.get('/admin', async (_request, response) => {
    response.render('admin/admin-home', { titleKey: 'admin.home.title', ...(await adminOverview(prisma)) });
  });
  return router;
}

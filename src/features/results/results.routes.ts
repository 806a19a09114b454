import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { requireRole } from '../../http/guards.ts';
import { resultsHandlers } from './results.handlers.ts';

/** The coordinator's page to publish a cohort's results (CSRF-checked POST). */
export function resultsRouter(prisma: PrismaClient, config: Config): Router {
  const handlers = resultsHandlers(prisma, config);
  const router = Router();
  router.get('/admin/cohorts/:id/results', requireRole('COORDINATOR'), handlers.show);
  router.post('/admin/cohorts/:id/results/publish', requireRole('COORDINATOR'), handlers.publish);
  return router;
}

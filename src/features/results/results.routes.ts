import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { resultsHandlers } from './results.handlers.ts';

/** The coordinator's page to publish a cohort's results (CSRF-checked POST; app.ts guards /admin). */
export function resultsRouter(prisma: PrismaClient, config: Config): Router {
  const handlers = resultsHandlers(prisma, config);
  const router = Router();
  router.get('/admin/cohorts/:id/results', handlers.show);
  router.post('/admin/cohorts/:id/results/publish', handlers.publish);
  return router;
}

import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { documentStoreOf } from '../documents/document-storage.ts';
import { retentionHandlers } from './retention.handlers.ts';

/** The coordinator's retention page (app.ts lets only the coordinator into /admin). */
export function retentionRouter(prisma: PrismaClient, config: Config): Router {
  const retention = retentionHandlers(prisma, documentStoreOf(config));
  const router = Router();
  router.get('/admin/retention', retention.show);
  router.post('/admin/retention/run', retention.run);
  return router;
}

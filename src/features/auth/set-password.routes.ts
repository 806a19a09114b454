import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { setPasswordHandlers } from './set-password.handlers.ts';

/** The page behind an invitation or password-reset link (public: the secret link is the key). */
export function setPasswordRouter(prisma: PrismaClient): Router {
  const handlers = setPasswordHandlers(prisma);
  const router = Router();
  router.get('/account/set-password/:token', handlers.show);
  router.post('/account/set-password/:token', handlers.submit);
  return router;
}

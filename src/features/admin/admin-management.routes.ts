import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { auditPageHandlers } from './audit-page.handlers.ts';
import { cohortHandlers } from './cohorts.handlers.ts';
import { regionHandlers } from './regions.handlers.ts';
import { userHandlers } from './users.handlers.ts';

/** The coordinator's administration: cohorts (quotas, rubric), regions, users and memberships, audit log (app.ts guards /admin). */
export function adminManagementRouter(prisma: PrismaClient, config: Config): Router {
  const cohorts = cohortHandlers(prisma);
  const regions = regionHandlers(prisma);
  const users = userHandlers(prisma, config.baseUrl);
  const audit = auditPageHandlers(prisma);

  const router = Router();
  router.get('/admin/cohorts', cohorts.list);
  router.get('/admin/cohorts/new', cohorts.showNew);
  router.post('/admin/cohorts', cohorts.create);
  router.get('/admin/cohorts/:id', cohorts.show);
  router.post('/admin/cohorts/:id', cohorts.update);
  router.post('/admin/cohorts/:id/quotas', cohorts.saveQuotas);
  router.post('/admin/cohorts/:id/criteria', cohorts.addCriterion);
  router.get('/admin/cohorts/:id/criteria/:criterionId', cohorts.showCriterion);
  router.post('/admin/cohorts/:id/criteria/:criterionId', cohorts.updateCriterion);
  router.post('/admin/cohorts/:id/criteria/:criterionId/delete', cohorts.removeCriterion);

  router.get('/admin/regions', regions.list);
  router.get('/admin/regions/new', regions.showNew);
  router.post('/admin/regions', regions.create);
  router.get('/admin/regions/:id', regions.showEdit);
  router.post('/admin/regions/:id', regions.update);

  router.get('/admin/users', users.list);
  router.get('/admin/users/new', users.showInvite);
  router.post('/admin/users', users.invite);
  router.get('/admin/users/:id', users.show);
  router.post('/admin/users/:id', users.update);
  router.post('/admin/users/:id/deactivate', users.deactivate);
  router.post('/admin/users/:id/reactivate', users.reactivate);
  router.post('/admin/users/:id/two-factor/reset', users.resetSecondFactor);
  router.post('/admin/users/:id/password-link', users.sendLink);
  router.post('/admin/users/:id/memberships', users.addMembership);
  router.post('/admin/users/:id/memberships/:regionId/chair', users.toggleChair);
  router.post('/admin/users/:id/memberships/:regionId/delete', users.removeMembership);

  router.get('/admin/audit', audit.show);
  router.get('/admin/audit/export.xlsx', audit.exportXlsx);
  return router;
}

import type { Request } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { currentUser } from '../../http/guards.ts';
import { recordAudit } from './audit-log.service.ts';

/** A committee member or the coordinator opened an application's page. */
export function recordApplicationView(prisma: PrismaClient, userId: number, applicationId: number) {
  return recordAudit(prisma, { actorId: userId, action: 'application.viewed', entityType: 'Application', entityId: applicationId });
}

const guardedAreas = /^\/(committee|admin)(\/|$)/;

/**
 * For the error handler: a signed-in user refused (403) or not shown (404: a record of another
 * region) a committee or admin page is recorded once, with the route only — no query string, which
 * may carry a searched name or IIN.
 */
export function refusedAccessRecorder(prisma: PrismaClient) {
  return async (request: Request, status: number): Promise<void> => {
    if (status !== 403 && status !== 404) return;
    const user = currentUser(request);
    const path = (request.originalUrl ?? request.url).split('?')[0].slice(0, 200);
    if (!user || !guardedAreas.test(path)) return;
    const application = /^\/committee\/applications\/(\d{1,9})(\/|$)/.exec(path);
    await recordAudit(prisma, {
      actorId: user.id,
      action: 'access.refused',
      entityType: application ? 'Application' : 'Route',
      entityId: application ? application[1] : path,
      details: { status, method: request.method, path },
    });
  };
}

import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { SessionUser } from '../../http/guards.ts';
import { ForbiddenError, NotFoundError } from '../../lib/errors.ts';
import { canReviewRegion, chairsRegion } from './review.policy.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** Loads an application by a URL's id for a user who may review it; another region's answers 404 as if it did not exist. */
async function loadReviewable<T extends { regionId: number }>(user: SessionUser, applicationId: number, load: (id: number) => Promise<T | null>): Promise<T> {
  if (!Number.isSafeInteger(applicationId) || applicationId <= 0) throw new NotFoundError();
  const application = await load(applicationId);
  if (!application || !canReviewRegion(user, application.regionId)) throw new NotFoundError();
  return application;
}

/** The application if the user may review it. */
export function findReviewableApplication(db: Db, user: SessionUser, applicationId: number) {
  return loadReviewable(user, applicationId, (id) => db.application.findUnique({ where: { id }, select: { id: true, regionId: true, status: true, cohortId: true } }));
}

/** The application if the user chairs its region (or is the coordinator): 404 for another region, 403 for a member. */
export async function requireChair(db: Db, user: SessionUser, applicationId: number) {
  const application = await findReviewableApplication(db, user, applicationId);
  if (!chairsRegion(user, application.regionId)) throw new ForbiddenError('only the chair of the region or the coordinator may do this');
  return application;
}

/** Everything the application page shows, if this user may review it (otherwise "not found"). */
export function loadApplicationPage(prisma: PrismaClient, user: SessionUser, applicationId: number) {
  return loadReviewable(user, applicationId, (id) =>
    prisma.application.findUnique({
      where: { id },
      include: {
        cohort: { include: { rubricCriteria: { orderBy: { sortOrder: 'asc' } }, quotas: true } },
        region: true,
        documents: { where: { replacedAt: null }, orderBy: [{ kind: 'asc' }, { uploadedAt: 'asc' }], include: { checkedBy: { select: { fullName: true } } } },
        requests: { orderBy: { requestedAt: 'desc' } },
        interview: true,
        conflicts: { include: { user: { select: { id: true, fullName: true } } } },
        decision: { include: { decidedBy: { select: { fullName: true } } } },
        statusChanges: { orderBy: { changedAt: 'asc' }, include: { changedBy: { select: { fullName: true } } } },
      },
    }),
  );
}

import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { ApplicationStatus, DocumentKind } from '../../generated/prisma/enums.ts';
import type { SessionUser } from '../../http/guards.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { canMove } from '../applications/application-status.ts';
import { newStatusToken, statusUrl } from '../applications/status-token.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import type { EmailLanguage } from '../mail/email-templates.ts';
import { canReviewRegion, chairsRegion } from './review.policy.ts';
import { refreshResult } from './scoring.service.ts';

type Tx = Prisma.TransactionClient;

/** Loads an application by a URL's id for a user who may review it; another region's answers 404 as if it did not exist. */
async function loadReviewable<T extends { regionId: number }>(user: SessionUser, applicationId: number, load: (id: number) => Promise<T | null>): Promise<T> {
  if (!Number.isSafeInteger(applicationId) || applicationId <= 0) throw new NotFoundError();
  const application = await load(applicationId);
  if (!application || !canReviewRegion(user, application.regionId)) throw new NotFoundError();
  return application;
}

/** The application if the user may review it. */
export function findReviewableApplication(prisma: PrismaClient | Tx, user: SessionUser, applicationId: number) {
  return loadReviewable(user, applicationId, (id) => prisma.application.findUnique({ where: { id }, select: { id: true, regionId: true, status: true, cohortId: true } }));
}

export async function requireChair(prisma: PrismaClient | Tx, user: SessionUser, applicationId: number) {
  const application = await findReviewableApplication(prisma, user, applicationId);
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

/** Moves the status along an allowed transition only; the condition on the old status makes races lose cleanly. */
export async function changeStatus(tx: Tx, actor: SessionUser | null, applicationId: number, to: ApplicationStatus, comment?: string, extra: Prisma.ApplicationUpdateManyMutationInput = {}) {
  const current = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { status: true } });
  if (!canMove(current.status, to)) throw new ConflictError(`transition ${current.status} → ${to} is not allowed`, 'review:errors.transitionNotAllowed');
  const updated = await tx.application.updateMany({ where: { id: applicationId, status: current.status }, data: { status: to, ...extra } });
  if (updated.count !== 1) throw new ConflictError('status changed meanwhile', 'review:errors.transitionNotAllowed');
  await tx.applicationStatusChange.create({ data: { applicationId, fromStatus: current.status, toStatus: to, changedById: actor?.id ?? null, comment: comment || null } });
  await recordAudit(tx, { actorId: actor?.id ?? null, action: 'application.status_changed', entityType: 'Application', entityId: applicationId, details: { from: current.status, to, comment: comment || undefined } });
  return current.status;
}

/** The chair's moves on the application page: start screening, mark complete (→ interview), close scoring, reject. */
export async function moveApplication(prisma: PrismaClient, user: SessionUser, applicationId: number, to: 'SCREENING' | 'INTERVIEW' | 'SCORED' | 'REJECTED', comment: string) {
  await requireChair(prisma, user, applicationId);
  await prisma.$transaction(async (tx) => {
    if (to === 'SCORED' && (await tx.score.count({ where: { applicationId } })) === 0) throw new ConflictError('no scores yet', 'review:errors.noScoresYet');
    await changeStatus(tx, user, applicationId, to, comment, to === 'INTERVIEW' ? { completeAt: new Date() } : {});
  });
}

/** A document of an application the user may review, with the file to stream; every access is audited. */
export async function openDocument(prisma: PrismaClient, user: SessionUser, applicationId: number, documentId: string, disposition: 'inline' | 'attachment') {
  await findReviewableApplication(prisma, user, applicationId);
  if (!/^[0-9a-f-]{36}$/.test(documentId)) throw new NotFoundError();
  const document = await prisma.applicationDocument.findFirst({ where: { id: documentId, applicationId } });
  if (!document) throw new NotFoundError();
  await recordAudit(prisma, { actorId: user.id, action: disposition === 'inline' ? 'document.viewed' : 'document.downloaded', entityType: 'Application', entityId: applicationId, details: { documentId, kind: document.kind } });
  return document;
}

export async function checkDocument(prisma: PrismaClient, user: SessionUser, applicationId: number, documentId: string, checkStatus: 'ACCEPTED' | 'REJECTED' | 'MISSING', reason: string) {
  await findReviewableApplication(prisma, user, applicationId);
  await prisma.$transaction(async (tx) => {
    const updated = await tx.applicationDocument.updateMany({
      where: { id: documentId, applicationId, replacedAt: null },
      data: { checkStatus, rejectionReason: checkStatus === 'ACCEPTED' ? null : reason, checkedById: user.id, checkedAt: new Date() },
    });
    if (updated.count !== 1) throw new NotFoundError();
    await recordAudit(tx, { actorId: user.id, action: 'document.checked', entityType: 'Application', entityId: applicationId, details: { documentId, checkStatus, reason: reason || undefined } });
    // Checking the first document starts the screening.
    const application = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { status: true } });
    if (application.status === 'SUBMITTED') await changeStatus(tx, user, applicationId, 'SCREENING');
  });
}

/** The chair asks for a missing or unreadable document: the applicant gets a fresh status link by e-mail. */
export async function requestDocument(prisma: PrismaClient, user: SessionUser, applicationId: number, kind: DocumentKind, message: string, baseUrl: string, documentName: (language: EmailLanguage) => string) {
  await requireChair(prisma, user, applicationId);
  await prisma.$transaction(async (tx) => {
    const application = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { status: true, email: true, fullName: true, number: true, locale: true, statusTokenExpiresAt: true } });
    if (application.status === 'SUBMITTED') await changeStatus(tx, user, applicationId, 'SCREENING');
    if (application.status === 'SUBMITTED' || application.status === 'SCREENING') await changeStatus(tx, user, applicationId, 'INCOMPLETE', message);
    else if (application.status !== 'INCOMPLETE') throw new ConflictError('documents can be requested only during screening', 'review:errors.transitionNotAllowed');
    await tx.documentRequest.create({ data: { applicationId, kind, message: message || null, requestedById: user.id } });
    // The old link's token is only stored hashed, so a new one is issued for this e-mail.
    const { token, hash } = newStatusToken();
    const validUntil = new Date(Math.max(application.statusTokenExpiresAt.getTime(), Date.now() + 90 * 24 * 3_600_000));
    await tx.application.update({ where: { id: applicationId }, data: { statusTokenHash: hash, statusTokenExpiresAt: validUntil } });
    await enqueueEmail(tx, {
      to: application.email,
      locale: application.locale,
      template: 'document-requested',
      data: { fullName: application.fullName, number: application.number, statusUrl: statusUrl(baseUrl, token), documentName: documentName(application.locale), message },
      applicationId,
    });
    await recordAudit(tx, { actorId: user.id, action: 'document.requested', entityType: 'Application', entityId: applicationId, details: { kind } });
  });
}

export async function declareConflict(prisma: PrismaClient, user: SessionUser, applicationId: number, reason: string) {
  await findReviewableApplication(prisma, user, applicationId);
  await prisma.$transaction(async (tx) => {
    const existing = await tx.conflictOfInterest.findUnique({ where: { applicationId_userId: { applicationId, userId: user.id } } });
    if (existing) return;
    await tx.conflictOfInterest.create({ data: { applicationId, userId: user.id, reason: reason || null } });
    // A conflict declared after scoring withdraws that score: it must not shape the result.
    const withdrawn = await tx.score.deleteMany({ where: { applicationId, reviewerId: user.id } });
    if (withdrawn.count > 0) await refreshResult(tx, applicationId);
    await recordAudit(tx, { actorId: user.id, action: 'conflict.declared', entityType: 'Application', entityId: applicationId, details: { reason: reason || undefined, scoreWithdrawn: withdrawn.count > 0 } });
  });
}

import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { DocumentCheckStatus, DocumentKind } from '../../generated/prisma/enums.ts';
import type { SessionUser } from '../../http/guards.ts';
import { formatDate, programmeCalendarDay, programmeDayStartsAt, toDateInputValue } from '../../lib/dates.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { changeStatus } from '../applications/application-status.service.ts';
import { issueStatusLink } from '../applications/status-links.service.ts';
import { statusUrl } from '../applications/status-token.ts';
import { enqueueApplicantNotice } from '../sms/applicant-notice.service.ts';
import type { EmailLanguage } from '../mail/email-templates.ts';
import { documentsNotAccepted, isReuploadToCheck, mayRequestDocument } from './review.policy.ts';
import { defaultDocumentRequestDays } from './review.schemas.ts';
import { cancelInterviewIfScheduled } from './interviews.service.ts';
import { findReviewableApplication, requireChair } from './reviewable-application.ts';
import { requireNoConflict, scoringProgress } from './scoring.service.ts';

/**
 * Closing scoring before every member without a conflict has scored: the chair is shown how many have
 * (the handler renders review/close-scoring), then confirms with a reason.
 */
export class EarlyCloseNeedsConfirmation extends Error {
  constructor(
    readonly progress: { scored: number; expected: number; missing: string[] },
    /** True when the chair confirmed without giving the reason. */
    readonly reasonMissing: boolean,
  ) {
    super('closing scoring early needs a confirmation and a reason');
  }
}

/**
 * The chair's moves on the application page: start screening, mark complete (→ interview), close
 * scoring, reject. Closing scoring with fewer scores than expected needs `confirmEarlyClose` and the
 * comment as its reason, and is audited with the count.
 */
export async function moveApplication(
  prisma: PrismaClient,
  user: SessionUser,
  applicationId: number,
  to: 'SCREENING' | 'INTERVIEW' | 'SCORED' | 'REJECTED',
  comment: string,
  options: { confirmEarlyClose?: boolean; documentOverride?: boolean; documentOverrideReason?: string } = {},
) {
  const application = await requireChair(prisma, user, applicationId);
  await prisma.$transaction(async (tx) => {
    // The document gate: to the interview only with every required document accepted, or the chair's override with a reason.
    if (to === 'INTERVIEW' && application.status === 'SCREENING') {
      const notAccepted = documentsNotAccepted(await tx.applicationDocument.findMany({ where: { applicationId, replacedAt: null }, select: { kind: true, checkStatus: true } }));
      if (notAccepted.length > 0) {
        if (!options.documentOverride) throw new ValidationError('documents not accepted', { to: 'review:documentGate.notAccepted' });
        if (!options.documentOverrideReason) throw new ValidationError('override needs a reason', { documentOverrideReason: 'review:documentGate.reasonRequired' });
        await recordAudit(tx, { actorId: user.id, action: 'application.document_gate_overridden', entityType: 'Application', entityId: applicationId, details: { notAccepted, reason: options.documentOverrideReason } });
      }
    }
    if (to === 'SCORED' && application.status === 'INTERVIEW') {
      const progress = await scoringProgress(tx, applicationId, application.regionId);
      if (progress.scored === 0) throw new ConflictError('no scores yet', 'review:errors.noScoresYet');
      if (progress.scored < progress.expected) {
        if (!options.confirmEarlyClose || !comment) throw new EarlyCloseNeedsConfirmation(progress, options.confirmEarlyClose === true);
        await recordAudit(tx, { actorId: user.id, action: 'scoring.closed_early', entityType: 'Application', entityId: applicationId, details: { scored: progress.scored, expected: progress.expected, reason: comment } });
      }
    }
    await changeStatus(tx, applicationId, { actorId: user.id, to, comment, data: to === 'INTERVIEW' ? { completeAt: new Date() } : {} });
    if (to === 'REJECTED') await cancelInterviewIfScheduled(tx, applicationId, user.id);
  });
}

/** A document of an application the user may review, with the file to stream; every access is audited. */
export async function openDocument(prisma: PrismaClient, user: SessionUser, applicationId: number, documentId: string, disposition: 'inline' | 'attachment') {
  await findReviewableApplication(prisma, user, applicationId);
  await requireNoConflict(prisma, user, applicationId);
  if (!/^[0-9a-f-]{36}$/.test(documentId)) throw new NotFoundError();
  const document = await prisma.applicationDocument.findFirst({ where: { id: documentId, applicationId } });
  // A file deleted by the retention rule is gone: nothing to view, nothing to audit as viewed.
  if (!document || document.fileDeletedAt) throw new NotFoundError();
  await recordAudit(prisma, { actorId: user.id, action: disposition === 'inline' ? 'document.viewed' : 'document.downloaded', entityType: 'Application', entityId: applicationId, details: { documentId, kind: document.kind } });
  return document;
}

/**
 * The documents part of the application page: the replaced files (the history of each kind: which
 * file, uploaded and replaced when, how it was checked) and the ids of current files uploaded again
 * that wait for a check (isReuploadToCheck).
 */
export async function documentHistory(prisma: PrismaClient, application: { id: number; submittedAt: Date; documents: readonly { id: string; kind: DocumentKind; checkStatus: DocumentCheckStatus; uploadedAt: Date; replacedAt: Date | null }[] }) {
  const replaced = await prisma.applicationDocument.findMany({
    where: { applicationId: application.id, replacedAt: { not: null } },
    orderBy: [{ uploadedAt: 'desc' }],
    select: { id: true, kind: true, originalName: true, uploadedAt: true, replacedAt: true, checkStatus: true, rejectionReason: true, fileDeletedAt: true },
  });
  const toCheck = new Set(application.documents.filter((document) => isReuploadToCheck(document, application, replaced)).map((document) => document.id));
  return { replaced, toCheck };
}

export async function checkDocument(prisma: PrismaClient, user: SessionUser, applicationId: number, documentId: string, checkStatus: 'ACCEPTED' | 'REJECTED' | 'MISSING', reason: string) {
  await findReviewableApplication(prisma, user, applicationId);
  await requireNoConflict(prisma, user, applicationId);
  await prisma.$transaction(async (tx) => {
    const updated = await tx.applicationDocument.updateMany({
      where: { id: documentId, applicationId, replacedAt: null },
      data: { checkStatus, rejectionReason: checkStatus === 'ACCEPTED' ? null : reason, checkedById: user.id, checkedAt: new Date() },
    });
    if (updated.count !== 1) throw new NotFoundError();
    await recordAudit(tx, { actorId: user.id, action: 'document.checked', entityType: 'Application', entityId: applicationId, details: { documentId, checkStatus, reason: reason || undefined } });
    // Checking the first document starts the screening.
    const application = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { status: true } });
    if (application.status === 'SUBMITTED') await changeStatus(tx, applicationId, { actorId: user.id, to: 'SCREENING' });
  });
}

export interface DocumentRequestInput {
  kind: DocumentKind;
  message: string;
  /** The day (Asia/Almaty) by which it is needed; null: a week from today. */
  dueOn: Date | null;
}

/** The chair asks for a missing or unreadable document, by a day: the applicant gets a fresh status link by e-mail. */
export async function requestDocument(prisma: PrismaClient, user: SessionUser, applicationId: number, input: DocumentRequestInput, baseUrl: string, documentName: (language: EmailLanguage) => string) {
  const { kind, message } = input;
  const today = programmeCalendarDay(new Date());
  const dueAt = input.dueOn ?? programmeDayStartsAt(new Date(today.getTime() + defaultDocumentRequestDays * 24 * 3_600_000));
  await requireChair(prisma, user, applicationId);
  await prisma.$transaction(async (tx) => {
    const application = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { status: true, email: true, fullName: true, number: true, locale: true, statusTokenExpiresAt: true } });
    if (!mayRequestDocument(application.status)) throw new ConflictError('documents can be requested only during screening', 'review:errors.transitionNotAllowed');
    if (application.status === 'SUBMITTED') await changeStatus(tx, applicationId, { actorId: user.id, to: 'SCREENING' });
    if (application.status !== 'INCOMPLETE') await changeStatus(tx, applicationId, { actorId: user.id, to: 'INCOMPLETE', comment: message });
    await tx.documentRequest.create({ data: { applicationId, kind, message: message || null, requestedById: user.id, dueAt } });
    // Tokens are stored only hashed, so this e-mail carries a new link; the older ones keep working.
    const token = await issueStatusLink(tx, applicationId, 'document-requested');
    const validUntil = new Date(Math.max(application.statusTokenExpiresAt.getTime(), Date.now() + 90 * 24 * 3_600_000));
    await tx.application.update({ where: { id: applicationId }, data: { statusTokenExpiresAt: validUntil } });
    await enqueueApplicantNotice(tx, {
      to: application.email,
      locale: application.locale,
      template: 'document-requested',
      data: { fullName: application.fullName, number: application.number, statusUrl: statusUrl(baseUrl, token, application.locale), documentName: documentName(application.locale), message, dueDate: formatDate(dueAt, application.locale) },
      applicationId,
    });
    await recordAudit(tx, { actorId: user.id, action: 'document.requested', entityType: 'Application', entityId: applicationId, details: { kind, dueOn: toDateInputValue(dueAt) } });
  });
}

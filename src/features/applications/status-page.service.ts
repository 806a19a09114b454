import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { DocumentKind } from '../../generated/prisma/enums.ts';
import { ConflictError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import { documentRecord, type UploadedDocument } from '../documents/document-upload.ts';
import { maxFilesOf } from '../documents/document-kinds.ts';
import { canWithdraw } from './application-status.ts';
import { changeStatus } from './application-status.service.ts';
import { cancelInterviewIfScheduled } from '../review/interviews.service.ts';
import { endStatusLinks, withStatusToken } from './status-links.service.ts';
import { looksLikeStatusToken } from './status-token.ts';

/** The application behind a status link, or null for a wrong or expired link (the caller cannot tell which). */
export async function findByStatusToken(prisma: PrismaClient, token: string, now = new Date()) {
  if (!looksLikeStatusToken(token)) return null;
  const application = await prisma.application.findFirst({
    where: withStatusToken(token),
    include: {
      cohort: { select: { name: true, applicationOpensAt: true, applicationClosesAt: true, resultsAt: true, resultsPublishedAt: true, requiredDocuments: true } },
      region: true,
      documents: { where: { replacedAt: null }, orderBy: [{ kind: 'asc' }, { uploadedAt: 'asc' }] },
      requests: { where: { fulfilledAt: null }, orderBy: { requestedAt: 'asc' } },
      interview: true,
    },
  });
  if (!application || application.statusTokenExpiresAt <= now || application.status === 'WITHDRAWN') return null;
  return application;
}

export type StatusPageApplication = NonNullable<Awaited<ReturnType<typeof findByStatusToken>>>;

function windowIsOpen(application: StatusPageApplication, now: Date): boolean {
  return application.cohort.applicationOpensAt <= now && now < application.cohort.applicationClosesAt;
}

/**
 * Which kinds the applicant may upload now: any while the window is open, afterwards only those the
 * committee asked for; nothing once withdrawn or decided.
 */
export function uploadableKinds(application: StatusPageApplication, now = new Date()): DocumentKind[] | 'all' {
  if (!canWithdraw(application.status)) return [];
  if (windowIsOpen(application, now)) return 'all';
  return [...new Set(application.requests.map((request) => request.kind))];
}

/**
 * New files of a one-file kind replace its current file; files of a kind that takes several
 * (certificates, letters) are added beside the current ones, up to its limit. Replaced files are
 * kept, marked replaced, for the record.
 */
export async function replaceDocuments(prisma: PrismaClient, application: StatusPageApplication, documents: UploadedDocument[], now = new Date()): Promise<Record<string, string>> {
  const allowed = uploadableKinds(application, now);
  const problems: Record<string, string> = {};
  if (documents.length === 0) problems._documents = 'apply:errors.noFileChosen';
  for (const document of documents) {
    if (allowed !== 'all' && !allowed.includes(document.kind)) problems[document.kind] = 'apply:errors.uploadNotAllowed';
    const kept = keepsCurrentFiles(document.kind) ? application.documents.filter((current) => current.kind === document.kind).length : 0;
    if (kept + documents.filter((other) => other.kind === document.kind).length > maxFilesOf(document.kind)) {
      problems[document.kind] = kept > 0 ? 'apply:errors.tooManyFilesRemoveOne' : 'apply:errors.tooManyFiles';
    }
  }
  if (Object.keys(problems).length > 0) return problems;

  const kinds = [...new Set(documents.map((document) => document.kind))];
  const replacedKinds = kinds.filter((kind) => !keepsCurrentFiles(kind));
  await prisma.$transaction(async (tx) => {
    const current = await tx.application.findUniqueOrThrow({ where: { id: application.id }, select: { status: true } });
    if (!canWithdraw(current.status)) throw new ConflictError('application already decided or withdrawn');
    await tx.applicationDocument.updateMany({ where: { applicationId: application.id, kind: { in: replacedKinds }, replacedAt: null }, data: { replacedAt: now } });
    await tx.applicationDocument.createMany({
      data: documents.map((document) => ({ ...documentRecord(document), applicationId: application.id, uploadedAt: now })),
    });
    await tx.documentRequest.updateMany({ where: { applicationId: application.id, kind: { in: kinds }, fulfilledAt: null }, data: { fulfilledAt: now } });
    await recordAudit(tx, { actorId: null, action: 'document.uploaded_by_applicant', entityType: 'Application', entityId: application.id, details: { kinds } });
  });
  return {};
}

/** A kind that takes several files gets new ones added; a one-file kind has its file replaced. */
function keepsCurrentFiles(kind: DocumentKind): boolean {
  return maxFilesOf(kind) > 1;
}

/**
 * The applicant removes one file of a kind that takes several, while uploads of that kind are
 * allowed and another file of it remains (kept in the record, marked replaced).
 */
export async function removeDocument(prisma: PrismaClient, application: StatusPageApplication, documentId: string, now = new Date()): Promise<boolean> {
  const document = application.documents.find((current) => current.id === documentId);
  if (!document || !canRemove(application, document.kind, now)) return false;
  await prisma.$transaction(async (tx) => {
    const removed = await tx.applicationDocument.updateMany({ where: { id: document.id, applicationId: application.id, replacedAt: null }, data: { replacedAt: now } });
    if (removed.count !== 1) throw new ConflictError('document changed meanwhile');
    await recordAudit(tx, { actorId: null, action: 'document.removed_by_applicant', entityType: 'Application', entityId: application.id, details: { documentId: document.id, kind: document.kind } });
  });
  return true;
}

/** Whether the status page offers to remove a file of this kind. */
export function canRemove(application: StatusPageApplication, kind: DocumentKind, now = new Date()): boolean {
  const allowed = uploadableKinds(application, now);
  const uploadable = allowed === 'all' || allowed.includes(kind);
  return uploadable && keepsCurrentFiles(kind) && application.documents.filter((current) => current.kind === kind).length > 1;
}

/** The applicant withdraws; allowed until the decision, recorded as a status change. It ends every status link and is confirmed by e-mail. */
export async function withdrawApplication(prisma: PrismaClient, applicationId: number, now = new Date()): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await changeStatus(tx, applicationId, {
      actorId: null,
      to: 'WITHDRAWN',
      comment: 'withdrawn by the applicant',
      data: { withdrawnAt: now },
      auditAction: 'application.withdrawn',
      auditDetails: (from) => ({ from }),
      refusalMessageKey: 'apply:status.cannotWithdraw',
    });
    await endStatusLinks(tx, applicationId);
    await cancelInterviewIfScheduled(tx, applicationId, null, now);
    const application = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { email: true, locale: true, fullName: true, number: true, cohort: { select: { name: true } } } });
    await enqueueEmail(tx, {
      to: application.email,
      locale: application.locale,
      template: 'application-withdrawn',
      data: { fullName: application.fullName, number: application.number, cohortName: application.cohort.name },
      applicationId,
    });
  });
}

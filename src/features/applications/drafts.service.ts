import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { Locale } from '../../generated/prisma/enums.ts';
import { formatDate } from '../../lib/dates.ts';
import type { UploadedDocument } from '../documents/document-upload.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import { applicationTextFields } from './application.schemas.ts';
import { hashStatusToken, looksLikeStatusToken, newStatusToken } from './status-token.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** A held document as the session keeps it (without a path: the file is in the documents folder). */
export type HeldDocument = Omit<UploadedDocument, 'path'>;

/** The fields a draft keeps: the form's text fields, the languages and the declarations, as typed. */
const draftFieldNames = [...applicationTextFields, 'languages', 'declaresNotYouthGroupMember', 'declaresNotHostOrgHeadOrAccountant', 'consentsToDataProcessing'];

/** The typed values worth keeping (strings and lists of strings of the form's own fields, nothing else). */
export function draftValuesOf(values: Record<string, unknown>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const name of draftFieldNames) {
    const value = values[name];
    if (typeof value === 'string') kept[name] = value.slice(0, 10_000);
    else if (Array.isArray(value)) kept[name] = value.filter((item): item is string => typeof item === 'string').slice(0, 10);
  }
  return kept;
}

/** The continue link e-mailed to the applicant; it carries the form's language. */
export function draftContinueUrl(baseUrl: string, token: string, language: string): string {
  return `${baseUrl}/apply/continue/${token}?lang=${language}`;
}

export interface DraftToSave {
  cohort: { id: number; name: string; applicationClosesAt: Date };
  email: string;
  locale: Locale;
  values: Record<string, string | string[]>;
  documents: HeldDocument[];
  /** The draft this session continues (saving again updates it and e-mails the same link). */
  continued?: { id: number; token: string } | null;
}

/**
 * Saves the whole form as a draft with its held documents, and e-mails the private continue link in
 * the same transaction. A draft continued in this session is updated in place (same link); it lives
 * until the cohort's window closes. Returns the draft and its token (stored only hashed).
 */
export async function saveDraft(prisma: PrismaClient, draft: DraftToSave, baseUrl: string, now = new Date()): Promise<{ draftId: number; token: string }> {
  return prisma.$transaction(async (tx) => {
    const documents = draft.documents.map(({ kind, originalName, storedName, mimeType, sizeBytes, sha256 }) => ({ kind, originalName, storedName, mimeType, sizeBytes, sha256 }));
    const existing = draft.continued
      ? await tx.applicationDraft.findFirst({ where: { id: draft.continued.id, tokenHash: hashStatusToken(draft.continued.token), cohortId: draft.cohort.id, expiresAt: { gt: now } }, select: { id: true } })
      : null;
    let draftId: number;
    let token: string;
    if (existing && draft.continued) {
      token = draft.continued.token;
      draftId = existing.id;
      await tx.draftDocument.deleteMany({ where: { draftId } });
      await tx.applicationDraft.update({
        where: { id: draftId },
        data: { email: draft.email, locale: draft.locale, values: draft.values, expiresAt: draft.cohort.applicationClosesAt, documents: { create: documents } },
      });
    } else {
      const fresh = newStatusToken();
      token = fresh.token;
      // A file held by an older draft of this visitor moves to this one.
      await tx.draftDocument.deleteMany({ where: { storedName: { in: documents.map((document) => document.storedName) } } });
      const created = await tx.applicationDraft.create({
        data: {
          cohortId: draft.cohort.id,
          tokenHash: fresh.hash,
          email: draft.email,
          locale: draft.locale,
          values: draft.values,
          expiresAt: draft.cohort.applicationClosesAt,
          documents: { create: documents },
        },
        select: { id: true },
      });
      draftId = created.id;
    }
    await enqueueEmail(tx, {
      to: draft.email,
      locale: draft.locale,
      template: 'draft-continue',
      data: {
        cohortName: draft.cohort.name,
        closes: formatDate(draft.cohort.applicationClosesAt, draft.locale),
        documents: documents.length,
        continueUrl: draftContinueUrl(baseUrl, token, draft.locale),
      },
    });
    return { draftId, token };
  });
}

/** The draft behind a continue link, while its cohort's window is open; null for a wrong, deleted or expired link. */
export async function findDraftByToken(prisma: PrismaClient, token: string, now = new Date()) {
  if (!looksLikeStatusToken(token)) return null;
  return prisma.applicationDraft.findFirst({
    where: { tokenHash: hashStatusToken(token), expiresAt: { gt: now }, cohort: { applicationOpensAt: { lte: now }, applicationClosesAt: { gt: now } } },
    include: { documents: { orderBy: { id: 'asc' } } },
  });
}

/** The values of a draft still there (for the form of the session that continues it), or null. */
export async function draftValues(prisma: PrismaClient, draftId: number, now = new Date()): Promise<Record<string, unknown> | null> {
  const draft = await prisma.applicationDraft.findFirst({ where: { id: draftId, expiresAt: { gt: now } }, select: { values: true } });
  return draft ? ((draft.values ?? {}) as Record<string, unknown>) : null;
}

/** A held document taken off the form is no longer part of the draft that kept it. */
export async function forgetDraftDocument(db: Db, storedName: string): Promise<void> {
  await db.draftDocument.deleteMany({ where: { storedName } });
}

/**
 * Sending the application ends its draft: the files are now the application's documents. A draft that
 * holds one of those files goes too (continued in a session that has since expired, say).
 */
export async function deleteDraftsOf(db: Db, draftId: number | undefined, storedNames: string[]): Promise<void> {
  const holdingAFile = storedNames.length > 0 ? [{ documents: { some: { storedName: { in: storedNames } } } }] : [];
  const continued = draftId !== undefined ? [{ id: draftId }] : [];
  if (holdingAFile.length + continued.length === 0) return;
  await db.applicationDraft.deleteMany({ where: { OR: [...continued, ...holdingAFile] } });
}

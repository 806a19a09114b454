/**
 * Photos and scans attached to a session protocol (an attendance sheet, a photo of the session).
 * They pass the checks of the applicants' documents (checkDocumentFile: PDF, JPEG or PNG by content),
 * are stored encrypted in the same document store, and are served only to the protocol's mentor, the coordinator and
 * the committee chair of the group's region.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { documentMasterKey, type DocumentKeySettings } from '../documents/document-encryption.ts';
import { checkDocumentFile } from '../documents/document-upload.ts';
import { storeEncryptedFile, type DocumentStore } from '../documents/document-storage.ts';
import { monthParam } from './month-rules.ts';

/** At most this many files per protocol; the size of one file is the documents' limit (MAX_FILE_MB). */
export const maxAttachmentsPerProtocol = 5;

export interface AttachmentSettings extends DocumentKeySettings {
  /** Files are received and checked in its incoming folder (local disk). */
  uploadDir: string;
  store: DocumentStore;
  maxFileBytes: number;
}

/** The limits as the form shows them, and as the messages next to the field quote them. */
export function attachmentLimits(settings: Pick<AttachmentSettings, 'maxFileBytes'>) {
  return { maxFiles: maxAttachmentsPerProtocol, megabytes: Math.round((settings.maxFileBytes / 1024 / 1024) * 10) / 10 };
}

export interface IncomingAttachment {
  /** The plain file multer wrote, under a temporary name in the incoming folder. */
  path: string;
  /** The stored name it gets once checked (a random UUID name). */
  storedName: string;
  originalName: string;
  sizeBytes: number;
}

/** Checks the plain file (content, size, the protocol's count); the message key of a problem, or null. */
export async function checkAttachment(prisma: PrismaClient, settings: AttachmentSettings, protocolId: number | null, file: IncomingAttachment) {
  if (protocolId !== null && (await prisma.protocolAttachment.count({ where: { protocolId } })) >= maxAttachmentsPerProtocol) {
    return { problem: 'mentoring:attachments.errors.tooMany' } as const;
  }
  // The kind only labels an applicant's document; a protocol's file has none, the checks are the same.
  const checked = await checkDocumentFile({ kind: 'ID_CARD', originalName: file.originalName, path: file.path, storedName: file.storedName, sizeBytes: file.sizeBytes }, settings.maxFileBytes);
  if ('problem' in checked) {
    return { problem: checked.problem === 'apply:errors.fileTooLarge' ? 'mentoring:attachments.errors.tooLarge' : checked.problem } as const;
  }
  return { document: checked.document } as const;
}

/** Encrypts the checked file into the document store and records it on the protocol (audited as protocol.attachment_added). */
export async function storeAttachment(
  prisma: PrismaClient,
  settings: AttachmentSettings,
  input: { protocolId: number; mentorId: number; file: IncomingAttachment; mimeType: string; sha256: string },
) {
  await storeEncryptedFile(settings.store, input.file.storedName, input.file.path, documentMasterKey(settings));
  try {
    return await prisma.$transaction(async (tx) => {
      const created = await tx.protocolAttachment.create({
        data: { protocolId: input.protocolId, originalName: input.file.originalName, storedName: input.file.storedName, mimeType: input.mimeType, sizeBytes: input.file.sizeBytes, sha256: input.sha256 },
      });
      await recordAudit(tx, { actorId: input.mentorId, action: 'protocol.attachment_added', entityType: 'ProtocolAttachment', entityId: created.id, details: { protocolId: input.protocolId, mimeType: input.mimeType, sizeBytes: input.file.sizeBytes } });
      return created;
    });
  } catch (error) {
    await settings.store.remove([input.file.storedName]);
    throw error;
  }
}

interface AttachmentViewer {
  id: number;
  role: string;
  committeeRegions: { regionId: number; isChair: boolean }[];
}

/** Who may open a protocol's file: its mentor (or the group's current mentor), the coordinator, the region's chair. */
export function canViewProtocolAttachment(user: AttachmentViewer, protocol: { mentorId: number; group: { mentorId: number | null; regionId: number } }): boolean {
  if (user.role === 'COORDINATOR') return true;
  if (user.role === 'MENTOR') return protocol.mentorId === user.id || protocol.group.mentorId === user.id;
  if (user.role === 'COMMITTEE') return user.committeeRegions.some((membership) => membership.regionId === protocol.group.regionId && membership.isChair);
  return false;
}

const attachmentIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The attachment for a viewer allowed to see it (recorded as protocol.attachment_viewed), or 404. */
export async function openProtocolAttachment(prisma: PrismaClient, user: AttachmentViewer, attachmentId: string) {
  const attachment = attachmentIdPattern.test(attachmentId)
    ? await prisma.protocolAttachment.findUnique({ where: { id: attachmentId }, include: { protocol: { select: { id: true, month: true, mentorId: true, groupId: true, group: { select: { mentorId: true, regionId: true } } } } } })
    : null;
  // Someone else's file does not exist for them.
  if (!attachment || !canViewProtocolAttachment(user, attachment.protocol)) throw new NotFoundError(`No protocol attachment ${attachmentId} for user ${user.id}`);
  await recordAudit(prisma, {
    actorId: user.id,
    action: 'protocol.attachment_viewed',
    entityType: 'ProtocolAttachment',
    entityId: attachment.id,
    details: { protocolId: attachment.protocol.id, groupId: attachment.protocol.groupId, month: monthParam(attachment.protocol.month) },
  });
  return attachment;
}

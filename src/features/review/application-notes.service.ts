import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { SessionUser } from '../../http/guards.ts';
import { ValidationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { findReviewableApplication } from './reviewable-application.ts';

/** The longest note, in characters (the form's counter and the server's check). */
export const noteMaxLength = 2000;

/**
 * Notes the members leave for one another on an application: the region's committee and the
 * coordinator read them on the application page (another region answers 404); the applicant's
 * pages never load them.
 */
export async function applicationNotes(prisma: PrismaClient, user: SessionUser, applicationId: number) {
  await findReviewableApplication(prisma, user, applicationId);
  return prisma.applicationNote.findMany({
    where: { applicationId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, text: true, createdAt: true, author: { select: { id: true, fullName: true } } },
  });
}

/** Adds a note; the audit keeps who added one and how long, not its words. */
export async function addApplicationNote(prisma: PrismaClient, user: SessionUser, applicationId: number, rawText: unknown) {
  await findReviewableApplication(prisma, user, applicationId);
  const text = typeof rawText === 'string' ? rawText.replace(/\u0000/g, '').replace(/\r\n/g, '\n').trim() : '';
  if (text === '') throw new ValidationError('empty note', { noteText: 'review:notes.required' });
  if (text.length > noteMaxLength) throw new ValidationError('note too long', { noteText: 'review:notes.tooLong' });
  await prisma.$transaction(async (tx) => {
    const note = await tx.applicationNote.create({ data: { applicationId, authorId: user.id, text }, select: { id: true } });
    await recordAudit(tx, { actorId: user.id, action: 'application.note_added', entityType: 'Application', entityId: applicationId, details: { noteId: note.id, length: text.length } });
  });
}

import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Logger } from '../../lib/logger.ts';
import path from 'node:path';
import { incomingDir, sweepOrphanDocuments, sweepStagingFolder, type DocumentStore } from './document-storage.ts';

export interface OrphanSweepOptions {
  prisma: PrismaClient;
  /** Its local staging folders (incoming, tus) are swept on every instance. */
  uploadDir: string;
  /** The finished documents (shared by all instances with DOCUMENT_STORE=s3). */
  store: DocumentStore;
  logger: Logger;
  /** Files younger than this may belong to a submission in progress or to a held attempt. */
  graceMs?: number;
  intervalMs?: number;
}

/** The folder of unfinished resumable (tus) uploads of the application form. */
export function resumableStagingDir(uploadDir: string): string {
  return path.join(uploadDir, 'tus');
}

/**
 * Drafts whose cohort's window has closed go, with their files (a draft lives until then). Returns
 * how many drafts were deleted.
 */
export async function deleteExpiredDrafts(prisma: PrismaClient, store: DocumentStore, now = new Date()): Promise<number> {
  const expired = await prisma.applicationDraft.findMany({ where: { expiresAt: { lte: now } }, select: { id: true, documents: { select: { storedName: true } } } });
  if (expired.length === 0) return 0;
  await prisma.applicationDraft.deleteMany({ where: { id: { in: expired.map((draft) => draft.id) } } });
  // A file that meanwhile became an application's document (sent in the last minute) stays.
  const names = expired.flatMap((draft) => draft.documents.map((document) => document.storedName));
  const stillUsed = new Set((await prisma.applicationDocument.findMany({ where: { storedName: { in: names } }, select: { storedName: true } })).map((row) => row.storedName));
  await store.remove(names.filter((name) => !stillUsed.has(name)));
  return expired.length;
}

/**
 * Removes expired drafts with their files, stored files that no document or draft row points to (left
 * by a crash mid-submission or an abandoned attempt), and this instance's unfinished uploads: files of
 * forms cut off while being received (incoming) and resumable uploads never finished (tus).
 */
export async function sweepOnce({ prisma, uploadDir, store, logger, graceMs = 45 * 60_000 }: OrphanSweepOptions): Promise<string[]> {
  const drafts = await deleteExpiredDrafts(prisma, store);
  if (drafts > 0) logger.info({ drafts }, 'expired application drafts removed');
  const removed = await sweepOrphanDocuments(
    store,
    async (names) => {
      const [documents, draftDocuments, protocolAttachments] = await Promise.all([
        prisma.applicationDocument.findMany({ where: { storedName: { in: names } }, select: { storedName: true } }),
        prisma.draftDocument.findMany({ where: { storedName: { in: names } }, select: { storedName: true } }),
        prisma.protocolAttachment.findMany({ where: { storedName: { in: names } }, select: { storedName: true } }),
      ]);
      return new Set([...documents, ...draftDocuments, ...protocolAttachments].map((row) => row.storedName));
    },
    graceMs,
  );
  if (removed.length > 0) logger.info({ removed: removed.length }, 'orphan document files removed');
  const staged = await sweepStagingFolder(resumableStagingDir(uploadDir), graceMs);
  if (staged.length > 0) logger.info({ removed: staged.length }, 'unfinished resumable uploads removed');
  const incoming = await sweepStagingFolder(incomingDir(uploadDir), graceMs);
  if (incoming.length > 0) logger.info({ removed: incoming.length }, 'unfinished form uploads removed');
  return removed;
}

/** At start-up and then every `intervalMs` (15 minutes by default): with a 45-minute grace, no orphan lives an hour. */
export function startOrphanDocumentSweep(options: OrphanSweepOptions): { stop(): void } {
  const run = () => sweepOnce(options).catch((error: unknown) => options.logger.error({ err: error }, 'orphan document sweep failed'));
  void run();
  const timer = setInterval(run, options.intervalMs ?? 15 * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

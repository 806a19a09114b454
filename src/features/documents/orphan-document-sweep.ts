import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Logger } from '../../lib/logger.ts';
import fs from 'node:fs';
import path from 'node:path';
import { documentsDir, removeFiles, sweepOrphanDocuments } from './document-storage.ts';

export interface OrphanSweepOptions {
  prisma: PrismaClient;
  uploadDir: string;
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
export async function deleteExpiredDrafts(prisma: PrismaClient, uploadDir: string, now = new Date()): Promise<number> {
  const expired = await prisma.applicationDraft.findMany({ where: { expiresAt: { lte: now } }, select: { id: true, documents: { select: { storedName: true } } } });
  if (expired.length === 0) return 0;
  await prisma.applicationDraft.deleteMany({ where: { id: { in: expired.map((draft) => draft.id) } } });
  // A file that meanwhile became an application's document (sent in the last minute) stays.
  const names = expired.flatMap((draft) => draft.documents.map((document) => document.storedName));
  const stillUsed = new Set((await prisma.applicationDocument.findMany({ where: { storedName: { in: names } }, select: { storedName: true } })).map((row) => row.storedName));
  await removeFiles(names.filter((name) => !stillUsed.has(name)).map((name) => path.join(documentsDir(uploadDir), name)));
  return expired.length;
}

/** Unfinished tus uploads (a file and its .json) untouched for longer than the grace. */
async function sweepResumableStaging(uploadDir: string, graceMs: number, now: number): Promise<string[]> {
  const directory = resumableStagingDir(uploadDir);
  const entries = await fs.promises.readdir(directory).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of entries) {
    const stat = await fs.promises.stat(path.join(directory, name)).catch(() => null);
    if (stat?.isFile() && now - stat.mtimeMs > graceMs) removed.push(name);
  }
  await removeFiles(removed.map((name) => path.join(directory, name)));
  return removed;
}

/**
 * Removes expired drafts with their files, files that no document or draft row points to (left by a
 * crash mid-submission or an abandoned attempt), and unfinished resumable uploads.
 */
export async function sweepOnce({ prisma, uploadDir, logger, graceMs = 45 * 60_000 }: OrphanSweepOptions): Promise<string[]> {
  const drafts = await deleteExpiredDrafts(prisma, uploadDir);
  if (drafts > 0) logger.info({ drafts }, 'expired application drafts removed');
  const removed = await sweepOrphanDocuments(
    uploadDir,
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
  const staged = await sweepResumableStaging(uploadDir, graceMs, Date.now());
  if (staged.length > 0) logger.info({ removed: staged.length }, 'unfinished resumable uploads removed');
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

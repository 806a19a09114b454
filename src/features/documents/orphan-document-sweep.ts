import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Logger } from '../../lib/logger.ts';
import { sweepOrphanDocuments } from './document-storage.ts';

export interface OrphanSweepOptions {
  prisma: PrismaClient;
  uploadDir: string;
  logger: Logger;
  /** Files younger than this may belong to a submission in progress or to a held attempt. */
  graceMs?: number;
  intervalMs?: number;
}

/** Removes files that no document row points to (left by a crash mid-submission or an abandoned attempt). */
export function sweepOnce({ prisma, uploadDir, logger, graceMs = 45 * 60_000 }: OrphanSweepOptions): Promise<string[]> {
  return sweepOrphanDocuments(
    uploadDir,
    async (names) => {
      const rows = await prisma.applicationDocument.findMany({ where: { storedName: { in: names } }, select: { storedName: true } });
      return new Set(rows.map((row) => row.storedName));
    },
    graceMs,
  ).then((removed) => {
    if (removed.length > 0) logger.info({ removed: removed.length }, 'orphan document files removed');
    return removed;
  });
}

/** At start-up and then every `intervalMs` (15 minutes by default): with a 45-minute grace, no orphan lives an hour. */
export function startOrphanDocumentSweep(options: OrphanSweepOptions): { stop(): void } {
  const run = () => sweepOnce(options).catch((error: unknown) => options.logger.error({ err: error }, 'orphan document sweep failed'));
  void run();
  const timer = setInterval(run, options.intervalMs ?? 15 * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

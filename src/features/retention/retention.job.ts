import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Logger } from '../../lib/logger.ts';
import { runRetention, type RetentionRunReport } from './retention.service.ts';

export interface RetentionJobOptions {
  prisma: PrismaClient;
  uploadDir: string;
  logger: Logger;
  /** Once a day by default. */
  intervalMs?: number;
}

/** The daily run of the retention rule (documents deleted, applications anonymised when due). */
export function startRetentionJob(options: RetentionJobOptions): { stop(): Promise<void>; runOnce(): Promise<RetentionRunReport | null> } {
  let running: Promise<RetentionRunReport | null> | null = null;
  const runOnce = () => {
    running ??= runRetention(options.prisma, options.uploadDir)
      .then((report) => {
        // Counts only: nothing personal in the log.
        if (report.documentsDeleted > 0 || report.applicationsAnonymised > 0) options.logger.info(report, 'retention: documents deleted, applications anonymised');
        return report;
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'retention run failed');
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  void runOnce();
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 24 * 3_600_000);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      if (running) await running;
    },
  };
}

import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Logger } from '../../lib/logger.ts';
import type { DocumentStore } from '../documents/document-storage.ts';
import { startPeriodicJob, type PeriodicJob } from '../../lib/periodic-job.ts';
import { runRetention, type RetentionRunReport } from './retention.service.ts';

export interface RetentionJobOptions {
  prisma: PrismaClient;
  store: DocumentStore;
  logger: Logger;
  /** Once a day by default. */
  intervalMs?: number;
}

/** The daily run of the retention rule (documents deleted, applications anonymised when due). */
export function startRetentionJob(options: RetentionJobOptions): PeriodicJob<RetentionRunReport | null> {
  return startPeriodicJob<RetentionRunReport | null>({
    name: 'retention run',
    logger: options.logger,
    intervalMs: options.intervalMs ?? 24 * 3_600_000,
    run: () => runRetention(options.prisma, options.store),
    onError: null,
    // Counts only: nothing personal in the log.
    report: (report) => {
      if (report && (report.documentsDeleted > 0 || report.applicationsAnonymised > 0)) options.logger.info(report, 'retention: documents deleted, applications anonymised');
    },
  });
}

import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { ApplicationStatus } from '../../generated/prisma/enums.ts';
import { toProgrammeTime } from '../../lib/dates.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { findCurrentCohort } from '../applications/cohorts.service.ts';
import type { DocumentStore } from '../documents/document-storage.ts';

/**
 * Applicants who were not selected: their documents go N months after the cohort's results are
 * published, their applications are anonymised after M months (both set per cohort). Selected
 * candidates (who become mentors) and applications still in the selection are kept.
 */
export const notSelectedStatuses: ApplicationStatus[] = ['REJECTED', 'RESERVE', 'WITHDRAWN'];

/** The same calendar day N months later, in Almaty time (31 January + 1 month: 28/29 February). */
export function monthsAfter(date: Date, months: number): Date {
  return toProgrammeTime(date).plus({ months }).toJSDate();
}

export interface CohortRetention {
  cohortId: number;
  name: string;
  resultsPublishedAt: Date | null;
  documentRetentionMonths: number;
  anonymiseAfterMonths: number;
  /** When the documents of those not selected are deleted (null until the results are published). */
  documentsDueAt: Date | null;
  anonymiseDueAt: Date | null;
  /** Files of those not selected still on disk, and already deleted. */
  documentsToDelete: number;
  documentsDeleted: number;
  applicationsToAnonymise: number;
  applicationsAnonymised: number;
  documentsDue: boolean;
  anonymiseDue: boolean;
}

const notSelected = (cohortId: number): Prisma.ApplicationWhereInput => ({ cohortId, status: { in: notSelectedStatuses } });

/** What the retention rule will delete and anonymise, per cohort, and when. */
export async function retentionOverview(prisma: PrismaClient, now = new Date()): Promise<CohortRetention[]> {
  const cohorts = await prisma.cohort.findMany({ orderBy: [{ applicationOpensAt: 'desc' }], select: { id: true, name: true, resultsPublishedAt: true, documentRetentionMonths: true, anonymiseAfterMonths: true } });
  return Promise.all(
    cohorts.map(async (cohort) => {
      const [documentsToDelete, documentsDeleted, applicationsToAnonymise, applicationsAnonymised] = await Promise.all([
        prisma.applicationDocument.count({ where: { fileDeletedAt: null, application: notSelected(cohort.id) } }),
        prisma.applicationDocument.count({ where: { fileDeletedAt: { not: null }, application: { cohortId: cohort.id } } }),
        prisma.application.count({ where: { ...notSelected(cohort.id), anonymisedAt: null } }),
        prisma.application.count({ where: { cohortId: cohort.id, anonymisedAt: { not: null } } }),
      ]);
      const documentsDueAt = cohort.resultsPublishedAt && monthsAfter(cohort.resultsPublishedAt, cohort.documentRetentionMonths);
      const anonymiseDueAt = cohort.resultsPublishedAt && monthsAfter(cohort.resultsPublishedAt, cohort.anonymiseAfterMonths);
      return {
        cohortId: cohort.id,
        name: cohort.name,
        resultsPublishedAt: cohort.resultsPublishedAt,
        documentRetentionMonths: cohort.documentRetentionMonths,
        anonymiseAfterMonths: cohort.anonymiseAfterMonths,
        documentsDueAt,
        anonymiseDueAt,
        documentsToDelete,
        documentsDeleted,
        applicationsToAnonymise,
        applicationsAnonymised,
        documentsDue: Boolean(documentsDueAt && documentsDueAt <= now),
        anonymiseDue: Boolean(anonymiseDueAt && anonymiseDueAt <= now),
      };
    }),
  );
}

export interface RetentionRunReport {
  documentsDeleted: number;
  applicationsAnonymised: number;
}

/** The placeholders of an anonymised application; the IIN and e-mail stay unique per application. */
function anonymisedFields(applicationId: number) {
  const placeholder = '—';
  return {
    fullName: `Анонимизировано ${applicationId}`,
    // Twelve characters like an IIN, never a valid one (an IIN starts with a birth date, not "X").
    iin: `X${String(applicationId).padStart(11, '0')}`.slice(-12),
    phone: placeholder,
    email: `anonymised-${applicationId}@invalid`,
    birthDate: new Date('1900-01-01T00:00:00Z'),
    occupation: placeholder,
    organisation: placeholder,
    education: placeholder,
    experienceDescription: placeholder,
    vulnerableYouthWork: placeholder,
    motivation: placeholder,
  };
}

/** Deletes the files of one application's documents (those not deleted yet), marks the rows and audits. */
async function deleteDocumentsOf(prisma: PrismaClient, store: DocumentStore, applicationId: number, actorId: number | null, reason: string, now: Date): Promise<number> {
  const documents = await prisma.applicationDocument.findMany({ where: { applicationId, fileDeletedAt: null }, select: { id: true, storedName: true } });
  if (documents.length === 0) return 0;
  await prisma.$transaction(async (tx) => {
    await tx.applicationDocument.updateMany({ where: { id: { in: documents.map((document) => document.id) } }, data: { fileDeletedAt: now } });
    await recordAudit(tx, { actorId, action: 'document.deleted_by_retention', entityType: 'Application', entityId: applicationId, details: { documents: documents.length, reason } });
  });
  // After the rows say so: a crash in between leaves an orphan file, which the orphan sweep keeps (the row exists); the next run removes it.
  await store.remove(documents.map((document) => document.storedName));
  return documents.length;
}

/**
 * Runs what is due now: deletes the documents of those not selected in cohorts whose retention period
 * has passed, and anonymises their applications after the longer period. Each step is audited.
 */
export async function runRetention(prisma: PrismaClient, store: DocumentStore, options: { actorId?: number | null; now?: Date } = {}): Promise<RetentionRunReport> {
  const now = options.now ?? new Date();
  const actorId = options.actorId ?? null;
  const report: RetentionRunReport = { documentsDeleted: 0, applicationsAnonymised: 0 };
  for (const cohort of await retentionOverview(prisma, now)) {
    if (cohort.documentsDue || cohort.anonymiseDue) {
      const applications = await prisma.application.findMany({ where: { ...notSelected(cohort.cohortId), documents: { some: { fileDeletedAt: null } } }, select: { id: true } });
      for (const application of applications) {
        report.documentsDeleted += await deleteDocumentsOf(prisma, store, application.id, actorId, cohort.documentsDue ? 'documentRetention' : 'anonymisation', now);
      }
    }
    if (cohort.anonymiseDue) {
      const applications = await prisma.application.findMany({ where: { ...notSelected(cohort.cohortId), anonymisedAt: null }, select: { id: true } });
      for (const application of applications) {
        await prisma.$transaction(async (tx) => {
          await tx.application.update({ where: { id: application.id }, data: { ...anonymisedFields(application.id), anonymisedAt: now } });
          // The links and the e-mails carried the name and address.
          await tx.applicationStatusLink.deleteMany({ where: { applicationId: application.id } });
          await tx.outboxEmail.updateMany({ where: { applicationId: application.id }, data: { toAddress: `anonymised-${application.id}@invalid`, subject: '—', textBody: '—', htmlBody: null, attachments: Prisma.DbNull } });
          await tx.applicationDocument.updateMany({ where: { applicationId: application.id }, data: { originalName: 'document', rejectionReason: null } });
          await recordAudit(tx, { actorId, action: 'application.anonymised', entityType: 'Application', entityId: application.id, details: { cohortId: cohort.cohortId } });
        });
        report.applicationsAnonymised += 1;
      }
    }
  }
  return report;
}

/** The periods of the current cohort, for the privacy page (null before any cohort exists). */
export async function currentRetentionPeriods(prisma: PrismaClient): Promise<{ cohort: string; documentRetentionMonths: number; anonymiseAfterMonths: number } | null> {
  const current = await findCurrentCohort(prisma);
  if (!current) return null;
  const periods = await prisma.cohort.findUniqueOrThrow({ where: { id: current.id }, select: { documentRetentionMonths: true, anonymiseAfterMonths: true } });
  return { cohort: current.name, ...periods };
}

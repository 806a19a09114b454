import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import type { ApplicationStatus } from '../../src/generated/prisma/enums.ts';
import { newStoredName } from '../../src/features/documents/document-storage.ts';
import { writeStoredDocument } from './stored-documents.ts';
import type { TestDocuments } from './test-document-store.ts';
import { newStatusToken } from '../../src/features/applications/status-token.ts';
import { freshApplicant } from './application-form.ts';
import { pdfBytes } from './document-fixtures.ts';

let counter = 0;

/**
 * An application written straight into the database, with one real PDF encrypted as the portal stores
 * it when `documents` (a test portal's store) or `uploadDir` (the disk store over that folder) is given.
 */
export async function createApplication(prisma: PrismaClient, options: { regionCode: string; status?: ApplicationStatus; uploadDir?: string; documents?: TestDocuments; fullName?: string; withInterview?: boolean }) {
  counter += 1;
  const cohort = await prisma.cohort.findFirstOrThrow({ orderBy: { applicationOpensAt: 'desc' } });
  const region = await prisma.region.findUniqueOrThrow({ where: { code: options.regionCode } });
  const applicant = freshApplicant();
  const storedName = newStoredName();
  const documents = options.documents ?? options.uploadDir;
  if (documents) await writeStoredDocument(documents, storedName, pdfBytes);
  const { hash } = newStatusToken();
  return prisma.application.create({
    data: {
      number: `ZM-TEST-${String(counter).padStart(5, '0')}-${Math.random().toString(36).slice(2, 6)}`,
      cohortId: cohort.id,
      regionId: region.id,
      status: options.status ?? 'SUBMITTED',
      fullName: options.fullName ?? `Кандидат ${counter}`,
      birthDate: new Date(`${applicant.birthDate}T00:00:00Z`),
      iin: applicant.iin,
      phone: '+77011234567',
      email: `candidate${counter}@example.kz`,
      residenceMonths: 24,
      occupation: 'Педагог',
      organisation: 'Школа',
      education: 'Университет',
      experienceYears: 7,
      experienceDescription: 'Опыт',
      vulnerableYouthWork: 'Опыт',
      availableForTrips: true,
      languages: ['ru'],
      motivation: 'Мотивация',
      declaresNotYouthGroupMember: true,
      declaresNotHostOrgHeadOrAccountant: true,
      consentsToDataProcessing: true,
      consentedAt: new Date(),
      statusLinks: { create: { tokenHash: hash, purpose: 'submitted' } },
      statusTokenExpiresAt: new Date(Date.now() + 30 * 24 * 3_600_000),
      documents: { create: { kind: 'ID_CARD', originalName: 'удостоверение.pdf', storedName, mimeType: 'application/pdf', sizeBytes: pdfBytes.length, sha256: '0'.repeat(64) } },
      ...(options.withInterview ? { interview: { create: { scheduledAt: new Date(Date.now() - 3_600_000), place: 'Астана' } } } : {}),
    },
    include: { documents: true },
  });
}

import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { DocumentKind, Locale } from '../../generated/prisma/enums.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { documentRecord, type UploadedDocument } from '../documents/document-upload.ts';
import { maxFilesOf } from '../documents/document-kinds.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import type { ApplicationForm } from './application.schemas.ts';
import type { findOpenCohort } from './cohorts.service.ts';
import { deleteDraftsOf } from './drafts.service.ts';
import { eligibilityProblems } from './eligibility.ts';
import type { StatusLinkPurpose } from './status-links.service.ts';
import { newStatusToken, statusUrl } from './status-token.ts';
import { isUniqueViolation } from '../../db/unique-violation.ts';
import type { FormResult } from '../../lib/form-result.ts';

export type OpenCohort = NonNullable<Awaited<ReturnType<typeof findOpenCohort>>>;

export interface SubmissionSettings {
  baseUrl: string;
  statusLinkValidDays: number;
  locale: Locale;
  now?: Date;
  /** The draft this application was continued from: deleted in the same transaction. */
  draftId?: number;
}


/** ZM-2026-00042: cohort year and a per-cohort counter. */
export function formatApplicationNumber(year: number, sequence: number): string {
  return `ZM-${year}-${String(sequence).padStart(5, '0')}`;
}

/** Documents missing or beyond the limit of their kind, as kind → message key. */
export function documentProblems(requiredKinds: DocumentKind[], documents: Pick<UploadedDocument, 'kind'>[]): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const kind of requiredKinds) {
    if (!documents.some((document) => document.kind === kind)) problems[kind] = 'apply:errors.documentRequired';
  }
  for (const document of documents) {
    if (documents.filter((other) => other.kind === document.kind).length > maxFilesOf(document.kind)) problems[document.kind] = 'apply:errors.tooManyFiles';
  }
  return problems;
}

/**
 * The programme's rules that need no database: documents, eligibility and the cohort's regions. On a
 * form with format errors it checks whatever was filled in correctly, so one round names everything.
 */
export function applicationRuleProblems(cohort: OpenCohort, form: Partial<ApplicationForm>, documents: Pick<UploadedDocument, 'kind'>[]): Record<string, string> {
  const errors: Record<string, string> = { ...documentProblems(cohort.requiredDocuments, documents), ...eligibilityProblems(form) };
  if (form.regionId !== undefined && !cohort.quotas.some((quota) => quota.regionId === form.regionId)) errors.regionId = 'apply:errors.regionNotInProgramme';
  return errors;
}

/**
 * Checks every rule, then saves the application, its documents (already on disk), its first status
 * and the confirmation e-mail in one transaction. The caller removes the files when this fails.
 */
export async function submitApplication(
  prisma: PrismaClient,
  cohort: OpenCohort,
  form: ApplicationForm,
  documents: UploadedDocument[],
  settings: SubmissionSettings,
): Promise<FormResult<{ applicationId: number; number: string; statusToken: string }>> {
  const now = settings.now ?? new Date();
  const errors = applicationRuleProblems(cohort, form, documents);
  // Only a complete, valid application is checked against youth groups and earlier applications: a
  // stranger must not learn from a bare form whose IIN that is.
  if (Object.keys(errors).length === 0) {
    const [youthGroupMember, existing] = await Promise.all([
      prisma.groupParticipant.findFirst({ where: { iin: form.iin }, select: { id: true } }),
      prisma.application.findUnique({ where: { cohortId_iin: { cohortId: cohort.id, iin: form.iin } }, select: { status: true } }),
    ]);
    if (youthGroupMember) errors.iin = 'apply:errors.iin.youthGroupMember';
    else if (existing) errors.iin = existing.status === 'WITHDRAWN' ? 'apply:errors.iin.withdrawnBefore' : 'apply:errors.iin.duplicate';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const { token, hash } = newStatusToken();
  try {
    const application = await prisma.$transaction(async (tx) => {
      const sequence = await tx.applicationNumberSequence.upsert({
        where: { cohortId: cohort.id },
        create: { cohortId: cohort.id, lastNumber: 1 },
        update: { lastNumber: { increment: 1 } },
      });
      const number = formatApplicationNumber(cohort.year, sequence.lastNumber);
      const created = await tx.application.create({
        data: {
          number,
          cohortId: cohort.id,
          regionId: form.regionId,
          locale: settings.locale,
          fullName: form.fullName,
          birthDate: new Date(`${form.birthDate}T00:00:00Z`),
          iin: form.iin,
          phone: form.phone,
          email: form.email,
          residenceMonths: form.residenceMonths,
          occupation: form.occupation,
          organisation: form.organisation,
          education: form.education,
          experienceYears: form.experienceYears,
          experienceDescription: form.experienceDescription,
          vulnerableYouthWork: form.vulnerableYouthWork,
          availableForTrips: form.availableForTrips === 'yes',
          languages: form.languages,
          motivation: form.motivation,
          declaresNotYouthGroupMember: form.declaresNotYouthGroupMember,
          declaresNotHostOrgHeadOrAccountant: form.declaresNotHostOrgHeadOrAccountant,
          consentsToDataProcessing: form.consentsToDataProcessing,
          consentedAt: now,
          statusLinks: { create: { tokenHash: hash, purpose: 'submitted' satisfies StatusLinkPurpose } },
          statusTokenExpiresAt: new Date(now.getTime() + settings.statusLinkValidDays * 24 * 3_600_000),
          submittedAt: now,
          documents: {
            create: documents.map(documentRecord),
          },
          statusChanges: { create: { toStatus: 'SUBMITTED' } },
        },
        select: { id: true, number: true },
      });
      await enqueueEmail(tx, {
        to: form.email,
        locale: settings.locale,
        template: 'application-received',
        data: { fullName: form.fullName, number, statusUrl: statusUrl(settings.baseUrl, token, settings.locale), cohortName: cohort.name },
        applicationId: created.id,
      });
      await deleteDraftsOf(tx, settings.draftId, documents.map((document) => document.storedName));
      await recordAudit(tx, { actorId: null, action: 'application.submitted', entityType: 'Application', entityId: created.id, details: { documents: documents.length } });
      return created;
    });
    return { ok: true, applicationId: application.id, number: application.number, statusToken: token };
  } catch (error) {
    // Two submissions with one IIN at the same moment: the database's unique key decides.
    if (isUniqueViolation(error)) return { ok: false, errors: { iin: 'apply:errors.iin.duplicate' } };
    throw error;
  }
}

import type { PrismaClient } from '../../generated/prisma/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { documentKindNames } from '../documents/document-kinds.ts';
import { changedFields } from './admin-request.ts';
import { levelsOfForm, type CohortForm, type CriterionForm } from './cohorts.schemas.ts';
import { isUniqueViolation } from '../../db/unique-violation.ts';
import type { FieldErrors, FormResult } from '../../lib/form-result.ts';


/** Every cohort, newest window first, with its number of applications. */
export function listCohorts(prisma: PrismaClient) {
  return prisma.cohort.findMany({
    orderBy: [{ applicationOpensAt: 'desc' }, { id: 'desc' }],
    include: { _count: { select: { applications: true, quotas: true, rubricCriteria: true } } },
  });
}

/** A cohort with its quotas, its rubric (and whether scores use each criterion) and every region. */
export async function findCohortForEditing(prisma: PrismaClient, cohortId: number) {
  const cohort = await prisma.cohort.findUnique({
    where: { id: cohortId },
    include: {
      quotas: true,
      rubricCriteria: { orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }], include: { _count: { select: { scores: true } } } },
    },
  });
  if (!cohort) throw new NotFoundError('No such cohort');
  const [regions, applicationsByRegion, scoreCount] = await Promise.all([
    prisma.region.findMany({ orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }] }),
    prisma.application.groupBy({ by: ['regionId'], where: { cohortId }, _count: { _all: true } }),
    prisma.score.count({ where: { application: { cohortId } } }),
  ]);
  return {
    cohort,
    // Inactive regions are listed only while they still have a quota in this cohort.
    quotaRows: regions
      .filter((region) => region.isActive || cohort.quotas.some((quota) => quota.regionId === region.id))
      .map((region) => ({
        region,
        quota: cohort.quotas.find((quota) => quota.regionId === region.id)?.quota ?? null,
        applications: applicationsByRegion.find((row) => row.regionId === region.id)?._count._all ?? 0,
      })),
    criteria: cohort.rubricCriteria.map(({ _count, ...criterion }) => ({ ...criterion, inUse: _count.scores > 0 })),
    scoringStarted: scoreCount > 0,
  };
}

export type CohortForEditing = Awaited<ReturnType<typeof findCohortForEditing>>;

function cohortData(form: CohortForm) {
  return {
    name: form.name,
    year: form.year,
    applicationOpensAt: form.applicationOpensAt,
    applicationClosesAt: form.applicationClosesAt,
    resultsAt: form.resultsAt,
    // In the FAQ's order, so that ticking the same boxes again is no change.
    requiredDocuments: documentKindNames.filter((kind) => form.requiredDocuments.includes(kind)),
    contactEmail: form.contactEmail,
    contactPhone: form.contactPhone,
    documentRetentionMonths: form.documentRetentionMonths,
    anonymiseAfterMonths: form.anonymiseAfterMonths,
  };
}

export async function createCohort(prisma: PrismaClient, form: CohortForm, actorId: number): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const cohort = await tx.cohort.create({ data: { ...cohortData(form), applicationSeqs: { create: {} } } });
    await recordAudit(tx, { actorId, action: 'cohort.created', entityType: 'Cohort', entityId: cohort.id, details: JSON.parse(JSON.stringify(cohortData(form))) });
    return cohort.id;
  });
}

export async function updateCohort(prisma: PrismaClient, cohortId: number, form: CohortForm, actorId: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const before = await tx.cohort.findUnique({ where: { id: cohortId } });
    if (!before) throw new NotFoundError('No such cohort');
    const data = cohortData(form);
    const ordered = { ...before, requiredDocuments: documentKindNames.filter((kind) => before.requiredDocuments.includes(kind)) };
    const changes = changedFields(ordered, data);
    if (Object.keys(changes).length === 0) return;
    await tx.cohort.update({ where: { id: cohortId }, data });
    await recordAudit(tx, { actorId, action: 'cohort.updated', entityType: 'Cohort', entityId: cohortId, details: { changes } as Prisma.InputJsonValue });
  });
}

/**
 * Sets the quota of each region (null: the region takes no part in this cohort). A region that
 * already has applications in the cohort cannot be taken out of it.
 */
export async function updateQuotas(prisma: PrismaClient, cohortId: number, quotas: Map<number, number | null>, actorId: number): Promise<FormResult> {
  return prisma.$transaction(async (tx) => {
    const cohort = await tx.cohort.findUnique({ where: { id: cohortId }, include: { quotas: true } });
    if (!cohort) throw new NotFoundError('No such cohort');
    const regions = await tx.region.findMany({ where: { id: { in: [...quotas.keys()] } }, select: { id: true, code: true } });
    const errors: FieldErrors = {};
    const changes: Record<string, { from: number | null; to: number | null }> = {};
    for (const region of regions) {
      const from = cohort.quotas.find((quota) => quota.regionId === region.id)?.quota ?? null;
      const to = quotas.get(region.id) ?? null;
      if (from === to) continue;
      if (to === null && (await tx.application.count({ where: { cohortId, regionId: region.id } })) > 0) {
        errors[`quota-${region.id}`] = 'admin:cohorts.errors.quotaRegionHasApplications';
        continue;
      }
      changes[region.code] = { from, to };
    }
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    for (const region of regions) {
      const change = changes[region.code];
      if (!change) continue;
      if (change.to === null) await tx.cohortRegionQuota.delete({ where: { cohortId_regionId: { cohortId, regionId: region.id } } });
      else {
        await tx.cohortRegionQuota.upsert({
          where: { cohortId_regionId: { cohortId, regionId: region.id } },
          create: { cohortId, regionId: region.id, quota: change.to },
          update: { quota: change.to },
        });
      }
    }
    if (Object.keys(changes).length > 0) {
      await recordAudit(tx, { actorId, action: 'cohort.quotas_updated', entityType: 'Cohort', entityId: cohortId, details: { changes } });
    }
    return { ok: true };
  });
}

function criterionData(form: CriterionForm) {
  return { code: form.code, nameRu: form.nameRu, nameKk: form.nameKk, nameEn: form.nameEn, weight: new Prisma.Decimal(form.weight), ...criterionLevels(form) };
}

/** What each score means, per language, as compared and audited (null when none). */
function criterionLevels(form: CriterionForm) {
  return { levelsRu: levelsOfForm(form, 'Ru'), levelsKk: levelsOfForm(form, 'Kk'), levelsEn: levelsOfForm(form, 'En') };
}

/** The same, as written: a JSON column is emptied with DbNull. */
function levelsForDatabase<T extends { levelsRu: Record<string, string> | null; levelsKk: Record<string, string> | null; levelsEn: Record<string, string> | null }>(data: T) {
  const column = (levels: Record<string, string> | null) => levels ?? Prisma.DbNull;
  return { ...data, levelsRu: column(data.levelsRu), levelsKk: column(data.levelsKk), levelsEn: column(data.levelsEn) };
}

/** Adds a criterion (scale 1-5); refused once members have started scoring the cohort. */
export async function addCriterion(prisma: PrismaClient, cohortId: number, form: CriterionForm, actorId: number): Promise<FormResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      if (!(await tx.cohort.findUnique({ where: { id: cohortId }, select: { id: true } }))) throw new NotFoundError('No such cohort');
      if ((await tx.score.count({ where: { application: { cohortId } } })) > 0) {
        throw new ConflictError('scoring has started', 'admin:rubric.errors.scoringStarted');
      }
      if (await tx.rubricCriterion.findUnique({ where: { cohortId_code: { cohortId, code: form.code } }, select: { id: true } })) {
        return { ok: false, errors: { code: 'admin:rubric.errors.codeTaken' } };
      }
      const last = await tx.rubricCriterion.aggregate({ where: { cohortId }, _max: { sortOrder: true } });
      const criterion = await tx.rubricCriterion.create({
        data: { cohortId, ...levelsForDatabase(criterionData(form)), minScore: 1, maxScore: 5, sortOrder: form.sortOrder ?? (last._max.sortOrder ?? -1) + 1 },
      });
      await recordAudit(tx, {
        actorId,
        action: 'rubric.criterion_added',
        entityType: 'Cohort',
        entityId: cohortId,
        details: { criterionId: criterion.id, code: form.code, weight: form.weight, nameRu: form.nameRu, nameKk: form.nameKk, nameEn: form.nameEn },
      });
      return { ok: true as const };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { code: 'admin:rubric.errors.codeTaken' } };
    throw error;
  }
}

async function criterionOfCohort(tx: Prisma.TransactionClient, cohortId: number, criterionId: number) {
  const criterion = await tx.rubricCriterion.findFirst({ where: { id: criterionId, cohortId }, include: { _count: { select: { scores: true } } } });
  if (!criterion) throw new NotFoundError('No such criterion');
  return criterion;
}

export async function findCriterion(prisma: PrismaClient, cohortId: number, criterionId: number) {
  const criterion = await prisma.rubricCriterion.findFirst({ where: { id: criterionId, cohortId }, include: { cohort: { select: { id: true, name: true } }, _count: { select: { scores: true } } } });
  if (!criterion) throw new NotFoundError('No such criterion');
  return criterion;
}

/** Changes a criterion while no score uses it. */
export async function updateCriterion(prisma: PrismaClient, cohortId: number, criterionId: number, form: CriterionForm, actorId: number): Promise<FormResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await criterionOfCohort(tx, cohortId, criterionId);
      if (before._count.scores > 0) throw new ConflictError('criterion in use', 'admin:rubric.errors.inUse');
      const clash = await tx.rubricCriterion.findUnique({ where: { cohortId_code: { cohortId, code: form.code } }, select: { id: true } });
      if (clash && clash.id !== criterionId) return { ok: false, errors: { code: 'admin:rubric.errors.codeTaken' } };
      const data = { ...criterionData(form), sortOrder: form.sortOrder ?? before.sortOrder };
      const changes = changedFields(before, data);
      if (Object.keys(changes).length === 0) return { ok: true as const };
      await tx.rubricCriterion.update({ where: { id: criterionId }, data: levelsForDatabase(data) });
      await recordAudit(tx, { actorId, action: 'rubric.criterion_updated', entityType: 'Cohort', entityId: cohortId, details: { criterionId, code: before.code, changes } as Prisma.InputJsonValue });
      return { ok: true as const };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { code: 'admin:rubric.errors.codeTaken' } };
    throw error;
  }
}

/** Removes a criterion while no score uses it. */
export async function removeCriterion(prisma: PrismaClient, cohortId: number, criterionId: number, actorId: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const criterion = await criterionOfCohort(tx, cohortId, criterionId);
    if (criterion._count.scores > 0) throw new ConflictError('criterion in use', 'admin:rubric.errors.inUse');
    await tx.rubricCriterion.delete({ where: { id: criterionId } });
    await recordAudit(tx, {
      actorId,
      action: 'rubric.criterion_removed',
      entityType: 'Cohort',
      entityId: cohortId,
      details: { criterionId, code: criterion.code, weight: criterion.weight.toString(), nameRu: criterion.nameRu },
    });
  });
}

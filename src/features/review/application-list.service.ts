import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { SessionUser } from '../../http/guards.ts';
import { countedPage } from '../../lib/pagination.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { regionScope, reviewableRegionIds } from './review.policy.ts';
import type { ApplicationListQuery } from './review.schemas.ts';

export const applicationsPerPage = 50;

/** The filters of the committee's list as a Prisma `where`, always inside the user's regions. */
export function applicationListWhere(user: SessionUser, query: ApplicationListQuery, cohortId: number | undefined): Prisma.ApplicationWhereInput {
  const conditions: Prisma.ApplicationWhereInput[] = [regionScope(user)];
  if (cohortId !== undefined) conditions.push({ cohortId });
  if (query.regionId !== undefined) conditions.push({ regionId: query.regionId });
  if (query.status) conditions.push({ status: query.status });
  if (query.documents === 'complete') conditions.push({ completeAt: { not: null } });
  if (query.documents === 'missing') {
    conditions.push({
      OR: [
        { status: 'INCOMPLETE' },
        { requests: { some: { fulfilledAt: null } } },
        { documents: { some: { replacedAt: null, checkStatus: { in: ['REJECTED', 'MISSING'] } } } },
      ],
    });
  }
  if (query.scoreMin !== undefined) conditions.push({ resultScore: { gte: query.scoreMin } });
  if (query.scoreMax !== undefined) conditions.push({ resultScore: { lte: query.scoreMax } });
  if (query.q) {
    const text = query.q;
    conditions.push({
      OR: [
        { fullName: { contains: text, mode: 'insensitive' } },
        { number: { contains: text.toUpperCase() } },
        ...(/^\d{4,12}$/.test(text) ? [{ iin: { startsWith: text } }] : []),
      ],
    });
  }
  return { AND: conditions };
}

function orderBy(query: ApplicationListQuery): Prisma.ApplicationOrderByWithRelationInput[] {
  const direction = query.direction;
  switch (query.sort) {
    case 'name':
      return [{ fullName: direction }, { id: direction }];
    case 'number':
      return [{ number: direction }];
    case 'score':
      return [{ resultScore: { sort: direction, nulls: 'last' } }, { id: direction }];
    case 'status':
      return [{ status: direction }, { id: direction }];
    default:
      return [{ submittedAt: direction }, { id: direction }];
  }
}

const listSelect = {
  id: true,
  number: true,
  fullName: true,
  status: true,
  submittedAt: true,
  resultScore: true,
  scoreCount: true,
  completeAt: true,
  experienceYears: true,
  region: { select: { id: true, nameRu: true, nameKk: true, nameEn: true } },
} satisfies Prisma.ApplicationSelect;

/** One page of the list: two queries whatever the page size (rows and count), none per row. */
export async function listApplications(prisma: PrismaClient, user: SessionUser, query: ApplicationListQuery, cohortId: number | undefined) {
  const where = applicationListWhere(user, query, cohortId);
  const rowsOf = (skip: number) => prisma.application.findMany({ where, orderBy: orderBy(query), skip, take: applicationsPerPage, select: listSelect });
  const [rows, total] = await Promise.all([rowsOf((query.page - 1) * applicationsPerPage), prisma.application.count({ where })]);
  const pager = countedPage(query.page, total, applicationsPerPage);
  // A page past the end (an old link, a typed URL) shows the last page: one more query, only then.
  return { rows: pager.page === query.page ? rows : await rowsOf(pager.skip), total, pager };
}

/** Every row of the filtered list for export (in batches, so memory stays flat). */
export async function* exportApplications(prisma: PrismaClient, user: SessionUser, query: ApplicationListQuery, cohortId: number | undefined) {
  const where = applicationListWhere(user, query, cohortId);
  let cursor: number | undefined;
  for (;;) {
    const batch = await prisma.application.findMany({
      where,
      orderBy: { id: 'asc' },
      take: 500,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { ...listSelect, email: true, phone: true, residenceMonths: true, organisation: true, occupation: true, scoreSpread: true },
    });
    if (batch.length === 0) return;
    yield* batch;
    cursor = batch[batch.length - 1].id;
  }
}

function regionIdsOf(user: SessionUser): Prisma.RegionWhereInput {
  const regionIds = reviewableRegionIds(user);
  return regionIds === 'all' ? {} : { id: { in: regionIds } };
}

/** The regions the list can be filtered by: those the user reviews. */
export function reviewableRegions(prisma: PrismaClient, user: SessionUser) {
  return prisma.region.findMany({ where: regionIdsOf(user), orderBy: { sortOrder: 'asc' } });
}

/** Every export is audited: who took which rows out of the portal, in which format. */
export function recordApplicationsExport(prisma: PrismaClient, user: SessionUser, cohortId: number | undefined, format: 'csv' | 'xlsx', query: ApplicationListQuery) {
  return recordAudit(prisma, { actorId: user.id, action: 'applications.exported', entityType: 'Cohort', entityId: cohortId ?? 0, details: { format, query: { ...query } } });
}

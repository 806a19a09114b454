import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { ApplicationStatus, DocumentKind } from '../../generated/prisma/enums.ts';
import type { SessionUser } from '../../http/guards.ts';
import { compareText } from '../../lib/collation.ts';
import { countedPage } from '../../lib/pagination.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { documentKindNames } from '../documents/document-kinds.ts';
import { documentsStateWhere, maySeeOtherScoresOf, otherScoresVisibleWhere, regionScope, reviewableRegionIds, scoreVisibilitySelect } from './review.policy.ts';
import type { ApplicationListQuery } from './review.schemas.ts';

export const applicationsPerPage = 50;

/** The filters of the committee's list as a Prisma `where`, always inside the user's regions. */
export function applicationListWhere(user: SessionUser, query: ApplicationListQuery, cohortId: number | undefined, requiredDocuments: readonly DocumentKind[] = documentKindNames): Prisma.ApplicationWhereInput {
  const conditions: Prisma.ApplicationWhereInput[] = [regionScope(user)];
  if (cohortId !== undefined) conditions.push({ cohortId });
  if (query.regionId !== undefined) conditions.push({ regionId: query.regionId });
  if (query.status) conditions.push({ status: query.status });
  // The rule of the document checks (documentsStateOf): the cohort's required kinds, current files, their checks.
  if (query.documents) conditions.push(documentsStateWhere(requiredDocuments, query.documents));
  // Blind scoring: a score the user may not see counts as no score, so it never matches a score filter.
  if (query.scoreMin !== undefined || query.scoreMax !== undefined) conditions.push(otherScoresVisibleWhere(user));
  if (query.scoreMin !== undefined) conditions.push({ resultScore: { gte: query.scoreMin } });
  if (query.scoreMax !== undefined) conditions.push({ resultScore: { lte: query.scoreMax } });
  if (query.q) {
    const text = query.q;
    // "Surname Name" in any order: every word must be in the name (case-insensitive, Cyrillic too).
    const words = text.split(/\s+/).filter(Boolean);
    conditions.push({
      OR: [
        { AND: words.map((word) => ({ fullName: { contains: word, mode: 'insensitive' as const } })) },
        { number: { contains: text.toUpperCase() } },
        ...(/^\d{4,12}$/.test(text) ? [{ iin: { startsWith: text } }] : []),
      ],
    });
  }
  return { AND: conditions };
}

/** The surname: the first word of fullName, which the form asks as "Surname Name Patronymic". */
export function surnameOf(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? '';
}

/** Sorting by name in the alphabet of `language`: by surname, then by the rest of the name. */
export function compareNames(a: string, b: string, language: string): number {
  const compare = compareText(language);
  return compare(surnameOf(a), surnameOf(b)) || compare(a, b);
}

/**
 * The ids of the filtered list sorted by name in the page's language: the database's collation cannot
 * be relied on for the Kazakh alphabet (PGlite sorts by code point, Ә after Я), so the names are sorted
 * here (src/lib/collation.ts), all of them, before the page is cut.
 */
async function idsSortedByName(prisma: PrismaClient, where: Prisma.ApplicationWhereInput, direction: 'asc' | 'desc', language: string): Promise<number[]> {
  const names = await prisma.application.findMany({ where, select: { id: true, fullName: true } });
  const sign = direction === 'asc' ? 1 : -1;
  return names.sort((a, b) => sign * (compareNames(a.fullName, b.fullName, language) || a.id - b.id)).map((row) => row.id);
}

/** Rows of the given ids in the order of the ids. */
async function rowsInOrder<S extends Prisma.ApplicationSelect>(prisma: PrismaClient, ids: number[], select: S) {
  if (ids.length === 0) return [];
  const rows = (await prisma.application.findMany({ where: { id: { in: ids } }, select: { ...select, id: true } })) as unknown as ({ id: number } & Prisma.ApplicationGetPayload<{ select: S }>)[];
  const position = new Map(ids.map((id, index) => [id, index]));
  return rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
}

/** The cohort's required documents (all kinds when there is no cohort), for the documents filter. */
async function requiredDocumentsOf(prisma: PrismaClient, cohortId: number | undefined): Promise<readonly DocumentKind[]> {
  if (cohortId === undefined) return documentKindNames;
  const cohort = await prisma.cohort.findUnique({ where: { id: cohortId }, select: { requiredDocuments: true } });
  return cohort?.requiredDocuments ?? documentKindNames;
}

function orderBy(query: ApplicationListQuery): Prisma.ApplicationOrderByWithRelationInput[] {
  const direction = query.direction;
  switch (query.sort) {
    case 'name':
      // Only a fallback: the list and the exports sort names by idsSortedByName.
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

/**
 * A row as the user may see it: the result, count and spread of scores the user may not see yet
 * (blind scoring, maySeeOtherScores) are blanked here, before any view or export gets them.
 */
function asSeenBy<T extends { status: ApplicationStatus; resultScore: unknown; scoreCount: number; scores: unknown[]; conflicts: unknown[] }>(user: SessionUser, row: T) {
  const { scores: _ownScores, conflicts: _ownConflicts, ...rest } = row;
  const scoresVisible = maySeeOtherScoresOf(user, row);
  return scoresVisible ? { ...rest, scoresVisible } : { ...rest, resultScore: null, scoreCount: 0, ...('scoreSpread' in rest ? { scoreSpread: null } : {}), scoresVisible };
}

/**
 * One page of the list: a few queries whatever the page size, none per row. Sorted by score, the rows
 * whose scores the user may not see come after all others, as if unscored, so their order reveals nothing.
 */
export async function listApplications(prisma: PrismaClient, user: SessionUser, query: ApplicationListQuery, cohortId: number | undefined, language: string) {
  const where = applicationListWhere(user, query, cohortId, await requiredDocumentsOf(prisma, cohortId));
  const select = { ...listSelect, ...scoreVisibilitySelect(user) };
  let nameOrder: Promise<number[]> | undefined;
  const rowsOf = async (skip: number) => {
    if (query.sort === 'name') {
      nameOrder ??= idsSortedByName(prisma, where, query.direction, language);
      return rowsInOrder(prisma, (await nameOrder).slice(skip, skip + applicationsPerPage), select);
    }
    if (query.sort !== 'score') return prisma.application.findMany({ where, orderBy: orderBy(query), skip, take: applicationsPerPage, select });
    const visible = otherScoresVisibleWhere(user);
    const visibleWhere = { AND: [where, visible] };
    const visibleCount = await prisma.application.count({ where: visibleWhere });
    const first = skip < visibleCount ? await prisma.application.findMany({ where: visibleWhere, orderBy: orderBy(query), skip, take: applicationsPerPage, select }) : [];
    const remaining = applicationsPerPage - first.length;
    if (remaining === 0) return first;
    const rest = await prisma.application.findMany({ where: { AND: [where, { NOT: visible }] }, orderBy: [{ id: query.direction }], skip: Math.max(0, skip - visibleCount), take: remaining, select });
    return [...first, ...rest];
  };
  const [rows, total] = await Promise.all([rowsOf((query.page - 1) * applicationsPerPage), prisma.application.count({ where })]);
  const pager = countedPage(query.page, total, applicationsPerPage);
  // A page past the end (an old link, a typed URL) shows the last page: one more query, only then.
  const pageRows = pager.page === query.page ? rows : await rowsOf(pager.skip);
  return { rows: pageRows.map((row) => asSeenBy(user, row)), total, pager };
}

/**
 * Every row of the filtered list for export, in the list's order (sorted by score, the rows whose
 * scores the user may not see come last, as on the list), in batches so memory stays flat. Rows the
 * user may see scores of carry each member's score (memberScores); the others carry none.
 */
export async function* exportApplications(prisma: PrismaClient, user: SessionUser, query: ApplicationListQuery, cohortId: number | undefined, language: string) {
  const where = applicationListWhere(user, query, cohortId, await requiredDocumentsOf(prisma, cohortId));
  const select = {
    ...listSelect,
    ...scoreVisibilitySelect(user),
    email: true,
    phone: true,
    residenceMonths: true,
    organisation: true,
    occupation: true,
    scoreSpread: true,
    birthDate: true,
    interview: { select: { scheduledAt: true, cancelledAt: true } },
    decision: { select: { outcome: true } },
  } satisfies Prisma.ApplicationSelect;
  const visible = otherScoresVisibleWhere(user);
  const parts: { where: Prisma.ApplicationWhereInput; orderBy: Prisma.ApplicationOrderByWithRelationInput[] }[] =
    query.sort === 'score'
      ? [{ where: { AND: [where, visible] }, orderBy: orderBy(query) }, { where: { AND: [where, { NOT: visible }] }, orderBy: [{ id: query.direction }] }]
      : [{ where, orderBy: orderBy(query) }];
  const nameOrder = query.sort === 'name' ? await idsSortedByName(prisma, where, query.direction, language) : null;
  for (const part of nameOrder ? [parts[0]] : parts) {
    for (let skip = 0; ; skip += 500) {
      const batch = nameOrder ? await rowsInOrder(prisma, nameOrder.slice(skip, skip + 500), select) : await prisma.application.findMany({ where: part.where, orderBy: part.orderBy, skip, take: 500, select });
      if (batch.length === 0) break;
      const seen = batch.map((row) => asSeenBy(user, row));
      const visibleIds = seen.filter((row) => row.scoresVisible).map((row) => row.id);
      const scores = visibleIds.length
        ? await prisma.score.findMany({
            where: { applicationId: { in: visibleIds } },
            orderBy: { id: 'asc' },
            select: { applicationId: true, reviewer: { select: { id: true, fullName: true } }, items: { select: { value: true, criterion: { select: { id: true, code: true, nameRu: true, nameKk: true, nameEn: true, weight: true, sortOrder: true } } } } },
          })
        : [];
      for (const row of seen) yield { ...row, memberScores: scores.filter((score) => score.applicationId === row.id) };
      if (batch.length < 500) break;
    }
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

/** Every export is audited: who took how many rows out of the portal, with which filters, in which format. */
export function recordApplicationsExport(prisma: PrismaClient, user: SessionUser, cohortId: number | undefined, format: 'csv' | 'xlsx', query: ApplicationListQuery, rows: number) {
  // The search text may be a name or the start of an IIN: the log keeps only that there was one.
  const { page: _page, q, ...rest } = query;
  const filters = { ...rest, ...(q ? { search: true } : {}) };
  return recordAudit(prisma, { actorId: user.id, action: 'applications.exported', entityType: 'Cohort', entityId: cohortId ?? 0, details: { format, rows, filters: JSON.parse(JSON.stringify(filters)) } });
}

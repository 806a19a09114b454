import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { compareText } from '../../lib/collation.ts';
import { userRoles } from '../../lib/enum-lists.ts';
import { uncountedPage } from '../../lib/pagination.ts';
import type { AuditNames } from '../audit/audit-labels.ts';
import { resolveAuditNames } from '../audit/audit-names.ts';

export const auditPageSize = 50;

/** What the filters of the audit page ask for; every part optional. */
export interface AuditQuery {
  /** A user id, or "none" for entries without a user (the applicant or the system). */
  actor?: number | 'none';
  /** An application's number (ZM-2026-00042) or internal id. */
  application?: string;
  action?: string;
  /** Inclusive range of instants (the handler turns Almaty days into these). */
  from?: Date;
  until?: Date;
  page?: number;
}

/** Actions done by an applicant through their status link; other entries without a user are the system's. */
const applicantActions = new Set(['application.submitted', 'application.withdrawn', 'document.uploaded_by_applicant']);

export function actorKindOf(entry: { actorId: number | null; action: string }): 'user' | 'applicant' | 'system' {
  if (entry.actorId !== null) return 'user';
  return applicantActions.has(entry.action) || entry.action.endsWith('_by_applicant') ? 'applicant' : 'system';
}

/** "key: value; key: value" — readable in a table cell and wraps at the spaces. */
export function describeDetails(details: unknown): string {
  if (details === null || details === undefined) return '';
  if (typeof details !== 'object' || Array.isArray(details)) return JSON.stringify(details);
  return Object.entries(details as Record<string, unknown>)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
}

/**
 * The distinct actions, found by skipping through the (action, createdAt) index one action at a
 * time: a few index probes however many rows the log holds.
 */
export async function knownActions(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ action: string }[]>`
    WITH RECURSIVE actions AS (
      (SELECT "action" FROM "AuditLogEntry" ORDER BY "action" LIMIT 1)
      UNION ALL
      SELECT (SELECT e."action" FROM "AuditLogEntry" e WHERE e."action" > actions."action" ORDER BY e."action" LIMIT 1)
      FROM actions WHERE actions."action" IS NOT NULL
    )
    SELECT "action" FROM actions WHERE "action" IS NOT NULL`;
  return rows.map((row) => row.action);
}

/** Users who may appear as actors, for the filter: by role (staff first), then by name in the page's language. */
export async function actorChoices(prisma: PrismaClient, language: string) {
  const users = await prisma.user.findMany({ select: { id: true, fullName: true, role: true, email: true } });
  const compareNames = compareText(language);
  return users.sort((a, b) => userRoles.indexOf(a.role) - userRoles.indexOf(b.role) || compareNames(a.fullName, b.fullName) || a.id - b.id);
}

/** The application id behind a number or id typed into the filter, or null when there is none. */
async function applicationIdOf(prisma: PrismaClient, text: string): Promise<number | null> {
  const value = text.trim();
  if (/^[0-9]{1,9}$/.test(value)) return Number(value);
  const application = await prisma.application.findUnique({ where: { number: value.toUpperCase() }, select: { id: true } });
  return application?.id ?? null;
}

/** The filters as a Prisma `where` (an unknown application number matches nothing). */
async function auditLogWhere(prisma: PrismaClient, query: AuditQuery) {
  const where: Prisma.AuditLogEntryWhereInput = {};
  let applicationNotFound = false;
  if (query.actor === 'none') where.actorId = null;
  else if (query.actor !== undefined) where.actorId = query.actor;
  if (query.application?.trim()) {
    const applicationId = await applicationIdOf(prisma, query.application);
    if (applicationId === null) applicationNotFound = true;
    where.entityType = 'Application';
    where.entityId = String(applicationId ?? -1);
  }
  if (query.action) where.action = query.action;
  if (query.from || query.until) where.createdAt = { ...(query.from ? { gte: query.from } : {}), ...(query.until ? { lt: query.until } : {}) };
  return { where, applicationNotFound };
}

/**
 * One page of the log, newest first. Fetches one row more than the page to know whether another page
 * follows, so no count of a table that may hold millions of rows is needed. Measured on PostgreSQL
 * with 500,000 rows: every filter answers in a few milliseconds.
 */
export async function searchAuditLog(prisma: PrismaClient, query: AuditQuery) {
  const { where, applicationNotFound } = await auditLogWhere(prisma, query);
  const slice = uncountedPage(query.page, auditPageSize);
  const { rows: entries, pager } = slice.finish(
    applicationNotFound
      ? []
      : await prisma.auditLogEntry.findMany({
          where,
          // Ids grow with time: walking the primary key backwards gives newest first without sorting
          // the table (createdAt alone has no index); the filters' indexes still narrow the rows.
          orderBy: { id: 'desc' },
          skip: slice.skip,
          take: slice.take,
          include: { actor: { select: { id: true, fullName: true, role: true } } },
        }),
  );
  // The names behind the ids of the whole page (applications, people, criteria, documents...): a few queries.
  const names = await resolveAuditNames(prisma, entries);
  return { entries: entries.map((entry) => shownEntry(entry, names)), names, pager, applicationNotFound };
}

function shownEntry(entry: { id: bigint; createdAt: Date; action: string; entityType: string; entityId: string; actorId: number | null; details: unknown; actor: { id: number; fullName: string; role: string } | null }, names: AuditNames) {
  const applicationId = Number(entry.entityId);
  return {
    id: entry.id.toString(),
    createdAt: entry.createdAt,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    applicationNumber: entry.entityType === 'Application' ? (names.applications.get(applicationId) ?? null) : null,
    actor: entry.actor,
    actorKind: actorKindOf(entry),
    details: describeDetails(entry.details),
    rawDetails: entry.details,
  };
}

/** Most entries one export of the log holds (newest first); a narrower filter gives the rest. */
export const auditExportLimit = 20_000;

/** The filtered log for an export, newest first, in batches of 500 with the names each batch mentions. */
export async function* auditLogForExport(prisma: PrismaClient, query: AuditQuery) {
  const { where, applicationNotFound } = await auditLogWhere(prisma, query);
  if (applicationNotFound) return;
  let cursor: bigint | undefined;
  for (let taken = 0; taken < auditExportLimit; ) {
    const batch = await prisma.auditLogEntry.findMany({
      where: cursor === undefined ? where : { AND: [where, { id: { lt: cursor } }] },
      orderBy: { id: 'desc' },
      take: Math.min(500, auditExportLimit - taken),
      include: { actor: { select: { id: true, fullName: true, role: true } } },
    });
    if (batch.length === 0) return;
    const names = await resolveAuditNames(prisma, batch);
    yield { entries: batch.map((entry) => shownEntry(entry, names)), names };
    taken += batch.length;
    cursor = batch[batch.length - 1].id;
  }
}

import type { RequestHandler } from 'express';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** Whom an applicant writes or calls: the current cohort's contact, or the region's own where it has one. */
export interface ProgrammeContact {
  email: string | null;
  phone: string | null;
}

function contactOf(cohort: ProgrammeContact | null, region: ProgrammeContact | null): ProgrammeContact | null {
  const email = region?.email ?? cohort?.email ?? null;
  const phone = region?.phone ?? cohort?.phone ?? null;
  return email || phone ? { email, phone } : null;
}

/** The current cohort's own contact fields. */
async function cohortContact(db: Db): Promise<ProgrammeContact | null> {
  const cohort = await db.cohort.findFirst({ orderBy: { applicationOpensAt: 'desc' }, select: { contactEmail: true, contactPhone: true } });
  return cohort && { email: cohort.contactEmail, phone: cohort.contactPhone };
}

/** The contact for each of these regions' applicants, for a run of e-mails (two queries, not two per e-mail). */
export async function findContactsByRegion(db: Db, regionIds: number[]): Promise<Map<number, ProgrammeContact | null>> {
  const [cohort, regions] = await Promise.all([
    cohortContact(db),
    db.region.findMany({ where: { id: { in: [...new Set(regionIds)] } }, select: { id: true, contactEmail: true, contactPhone: true } }),
  ]);
  return new Map(regions.map((region) => [region.id, contactOf(cohort, { email: region.contactEmail, phone: region.contactPhone })]));
}

/** The contact for a region's applicants (or, without a region, the programme's), or null when none is set. */
export async function findProgrammeContact(db: Db, regionId?: number | null): Promise<ProgrammeContact | null> {
  if (regionId) return (await findContactsByRegion(db, [regionId])).get(regionId) ?? contactOf(await cohortContact(db), null);
  return contactOf(await cohortContact(db), null);
}

/** The contact of an application's region, for the e-mails about it. */
export async function findApplicationContact(db: Db, applicationId: number): Promise<ProgrammeContact | null> {
  const application = await db.application.findUnique({ where: { id: applicationId }, select: { regionId: true } });
  return findProgrammeContact(db, application?.regionId);
}

/**
 * The programme's contact for every page's footer (`programmeContact`), looked up at most every
 * `ttlMs` rather than on each request; a failed lookup leaves the footer without it.
 */
export function programmeContactLocals(prisma: PrismaClient, ttlMs = 30_000): RequestHandler {
  let cached: { contact: ProgrammeContact | null; until: number } | null = null;
  let loading: Promise<ProgrammeContact | null> | null = null;
  return async (_request, response, next) => {
    if (!cached || cached.until <= Date.now()) {
      loading ??= findProgrammeContact(prisma)
        .then((contact) => {
          cached = { contact, until: Date.now() + ttlMs };
          return contact;
        })
        .catch(() => cached?.contact ?? null)
        .finally(() => {
          loading = null;
        });
      response.locals.programmeContact = await loading;
    } else {
      response.locals.programmeContact = cached.contact;
    }
    next();
  };
}

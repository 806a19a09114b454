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

/** The contact for a region's applicants (or, without a region, the programme's), or null when none is set. */
export async function findProgrammeContact(db: Db, regionId?: number | null): Promise<ProgrammeContact | null> {
  const [cohort, region] = await Promise.all([
    db.cohort.findFirst({ orderBy: { applicationOpensAt: 'desc' }, select: { contactEmail: true, contactPhone: true } }),
    regionId ? db.region.findUnique({ where: { id: regionId }, select: { contactEmail: true, contactPhone: true } }) : null,
  ]);
  return contactOf(cohort && { email: cohort.contactEmail, phone: cohort.contactPhone }, region && { email: region.contactEmail, phone: region.contactPhone });
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

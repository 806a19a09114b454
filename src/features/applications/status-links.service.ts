import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import { hashStatusToken, looksLikeStatusToken, newStatusToken, statusUrl } from './status-token.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** Why a link was e-mailed (kept for the record and the audit). */
export type StatusLinkPurpose = 'submitted' | 'document-requested' | 'lost-link';

/**
 * A new secret link to the status page, for an e-mail about to be sent. The application's older links
 * keep working: each e-mail told its reader to keep its link. Returns the token (stored only hashed).
 */
export async function issueStatusLink(db: Db, applicationId: number, purpose: StatusLinkPurpose): Promise<string> {
  const { token, hash } = newStatusToken();
  await db.applicationStatusLink.create({ data: { applicationId, tokenHash: hash, purpose } });
  return token;
}

/** Withdrawal ends every link of the application. */
export async function endStatusLinks(db: Db, applicationId: number): Promise<void> {
  await db.applicationStatusLink.deleteMany({ where: { applicationId } });
}

/** A Prisma `where` for the application behind a token; a malformed token matches nothing. */
export function withStatusToken(token: string): Prisma.ApplicationWhereInput {
  return { statusLinks: { some: { tokenHash: looksLikeStatusToken(token) ? hashStatusToken(token) : '' } } };
}

/** At most this many "I lost my link" e-mails a day for one application. */
export const lostLinkEmailsPerDay = 3;

/**
 * "I lost my link": a fresh link goes to the e-mail address on file, only when the IIN and that
 * address belong to an application whose links still work (the newest one, if several cohorts).
 * The caller answers the same whatever happens here, so no stranger learns who applied.
 */
export async function resendStatusLink(prisma: PrismaClient, request: { iin: string; email: string }, baseUrl: string, now = new Date()): Promise<void> {
  const application = await prisma.application.findFirst({
    where: { iin: request.iin, email: { equals: request.email, mode: 'insensitive' }, status: { not: 'WITHDRAWN' }, statusTokenExpiresAt: { gt: now } },
    orderBy: { submittedAt: 'desc' },
    select: { id: true, number: true, fullName: true, email: true, locale: true },
  });
  if (!application) return;
  await prisma.$transaction(async (tx) => {
    // A quiet cap, so that nobody can flood an applicant's mailbox with links from many addresses.
    // Counted under the application's row lock: requests arriving together must not all pass it.
    await tx.$executeRaw`SELECT 1 FROM "Application" WHERE "id" = ${application.id} FOR UPDATE`;
    const sentToday = await tx.applicationStatusLink.count({ where: { applicationId: application.id, purpose: 'lost-link', createdAt: { gt: new Date(now.getTime() - 24 * 3_600_000) } } });
    if (sentToday >= lostLinkEmailsPerDay) return;
    const token = await issueStatusLink(tx, application.id, 'lost-link');
    await enqueueEmail(tx, {
      to: application.email,
      locale: application.locale,
      template: 'status-link',
      data: { fullName: application.fullName, number: application.number, statusUrl: statusUrl(baseUrl, token, application.locale) },
      applicationId: application.id,
    });
    await recordAudit(tx, { actorId: null, action: 'status_link.resent', entityType: 'Application', entityId: application.id });
  });
}

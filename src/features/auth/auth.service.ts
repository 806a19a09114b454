import type { PrismaClient } from '../../generated/prisma/client.ts';
import { sqlThroughPrisma, type SqlQuery } from '../../db/database.ts';
import type { SessionUser } from '../../http/guards.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { spendTimeLikeAVerification, verifyPassword } from './password-hashing.ts';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The signed-in user for a valid, active account and matching password; otherwise null. Each attempt
 * is audited: a failure on an existing account under that account, one on an unknown address
 * without the address typed (it may be anyone's).
 */
export async function verifyCredentials(prisma: PrismaClient, email: string, password: string): Promise<SessionUser | null> {
  const user = await prisma.user.findUnique({ where: { email: normaliseEmail(email) }, select: { id: true, passwordHash: true, isActive: true } });
  if (!user || !user.passwordHash || !user.isActive) {
    await spendTimeLikeAVerification(password);
    await recordAudit(prisma, { actorId: null, action: 'auth.login_failed', entityType: 'User', entityId: user?.id ?? 'unknown', details: { reason: user ? 'inactive' : 'unknown-account' } });
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    await recordAudit(prisma, { actorId: null, action: 'auth.login_failed', entityType: 'User', entityId: user.id, details: { reason: 'wrong-password' } });
    return null;
  }
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(tx, { actorId: user.id, action: 'auth.login', entityType: 'User', entityId: user.id });
  });
  return loadSessionUser(prisma, user.id);
}

/** The signed-in user, in one statement (every signed-in request runs it): role, regions, two-factor state. */
const sessionUserSql = `
  SELECT u.id, u.email, u."fullName", u.role::text AS role, u.locale::text AS locale, u."isActive", u."totpEnabledAt" IS NOT NULL AS "twoFactorEnabled",
    COALESCE((SELECT json_agg(json_build_object('regionId', m."regionId", 'isChair', m."isChair") ORDER BY m."regionId")
              FROM "CommitteeMembership" m WHERE m."userId" = u.id), '[]'::json) AS "committeeRegions"
  FROM "User" u WHERE u.id = $1`;

/**
 * Reloaded on every request, so a deactivated user or a changed role takes effect at once. A `PrismaClient`
 * runs the statement through Prisma; the request path passes the database's own `sql` (database.ts).
 */
export async function loadSessionUser(database: PrismaClient | SqlQuery, userId: number): Promise<SessionUser | null> {
  const sql = typeof database === 'function' ? database : sqlThroughPrisma(database);
  const [user] = await sql<SessionUser & { isActive: boolean }>(sessionUserSql, [userId]);
  if (!user || !user.isActive) return null;
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    role: user.role,
    locale: user.locale,
    committeeRegions: user.committeeRegions,
    twoFactorEnabled: user.twoFactorEnabled,
  };
}

export function landingPathFor(user: SessionUser): string {
  switch (user.role) {
    case 'COORDINATOR':
      return '/admin';
    case 'COMMITTEE':
      return '/committee';
    case 'MENTOR':
      return '/mentor';
  }
}

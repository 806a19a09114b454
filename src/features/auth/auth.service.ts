import type { PrismaClient } from '../../generated/prisma/client.ts';
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

/** Reloaded on every request, so a deactivated user or a changed role takes effect at once. */
export async function loadSessionUser(prisma: PrismaClient, userId: number): Promise<SessionUser | null> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      fullName: true,
      role: true,
      locale: true,
      isActive: true,
      totpEnabledAt: true,
      memberships: { select: { regionId: true, isChair: true }, orderBy: { regionId: 'asc' } },
    },
  });
  if (!user || !user.isActive) return null;
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    role: user.role,
    locale: user.locale,
    committeeRegions: user.memberships,
    twoFactorEnabled: user.totpEnabledAt !== null,
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

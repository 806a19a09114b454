import type { PrismaClient } from '../../generated/prisma/client.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { hashUserToken, findUsableToken, looksLikeUserToken } from './invitation-tokens.ts';
import { hashPassword } from './password-hashing.ts';

export { findUsableToken as findSetPasswordLink };

/**
 * Sets the password behind a one-time link and uses the link up. Returns the user's id, or null when
 * the link is wrong, used, expired or its account deactivated (a second tab racing this one loses).
 * Every other unused link of the user stops working too.
 */
export async function setPasswordWithToken(prisma: PrismaClient, token: string, password: string, now = new Date()): Promise<{ userId: number } | null> {
  if (!looksLikeUserToken(token)) return null;
  // Hashed before the transaction: argon2 takes a while and needs no database.
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const link = await findUsableToken(tx, token, now);
    if (!link) return null;
    // The conditions make two submissions of one link succeed at most once.
    const used = await tx.userToken.updateMany({
      where: { id: link.id, tokenHash: hashUserToken(token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (used.count !== 1) return null;
    await tx.userToken.updateMany({ where: { userId: link.user.id, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    await tx.user.update({ where: { id: link.user.id }, data: { passwordHash, lastLoginAt: now } });
    // A new password ends every session of the account (a stolen cookie must not outlive a reset).
    await tx.session.deleteMany({ where: { data: { contains: `"passport":{"user":${link.user.id}}` } } });
    await recordAudit(tx, { actorId: link.user.id, action: 'user.password_set', entityType: 'User', entityId: link.user.id, details: { purpose: link.purpose } });
    return { userId: link.user.id };
  });
}

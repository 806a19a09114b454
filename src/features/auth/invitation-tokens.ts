/**
 * One-time links that let a person set their password: an invitation (new account) or a reset.
 * The token is 32 random bytes (base64url, 43 characters); only its sha256 is stored, so a copy of
 * the database opens no account. A token works once and until it expires.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { UserTokenPurpose } from '../../generated/prisma/enums.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** How long the links the portal sends stay valid. */
export const invitationValidHours = 7 * 24;
export const mentorInvitationValidHours = 14 * 24;
export const passwordResetValidHours = 72;

export function hashUserToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeUserToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

export function setPasswordUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/$/, '')}/account/set-password/${token}`;
}

/**
 * Issues a new link for the user and returns the token (the only time it exists in clear). Earlier
 * unused links of the same purpose stop working: only the latest link sent is valid.
 */
export async function createUserToken(db: Db, userId: number, purpose: UserTokenPurpose, ttlHours: number, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.userToken.updateMany({ where: { userId, purpose, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
  await db.userToken.create({
    data: { userId, purpose, tokenHash: hashUserToken(token), expiresAt: new Date(now.getTime() + ttlHours * 3_600_000), createdAt: now },
  });
  return token;
}

/** Every unused link of the user stops working (deactivation, or a password was just set). */
export async function expireUnusedTokens(db: Db, userId: number, now = new Date()): Promise<number> {
  const { count } = await db.userToken.updateMany({ where: { userId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
  return count;
}

/** The unused, unexpired link of an active user, or null (the caller must not tell which check failed). */
export async function findUsableToken(db: Db, token: string, now = new Date()) {
  if (!looksLikeUserToken(token)) return null;
  const row = await db.userToken.findUnique({
    where: { tokenHash: hashUserToken(token) },
    select: { id: true, purpose: true, expiresAt: true, usedAt: true, user: { select: { id: true, email: true, fullName: true, isActive: true } } },
  });
  if (!row || row.usedAt !== null || row.expiresAt <= now || !row.user.isActive) return null;
  return { id: row.id, purpose: row.purpose, expiresAt: row.expiresAt, user: { id: row.user.id, email: row.user.email, fullName: row.user.fullName } };
}

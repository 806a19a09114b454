import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { UserRole } from '../../generated/prisma/enums.ts';
import { recordAudit } from '../audit/audit-log.service.ts';

type Db = PrismaClient | Prisma.TransactionClient;

const issuer = 'Zhas mentors';
const stepSeconds = 30;
/** A code from the step before or after is accepted too: phones' clocks drift. */
const toleranceSeconds = stepSeconds;
export const recoveryCodeCount = 10;

/** Whether this role must sign in with a second factor (REQUIRE_TWO_FACTOR_ROLES). */
export function roleNeedsTwoFactor(role: UserRole, requiredRoles: readonly UserRole[]): boolean {
  return requiredRoles.includes(role);
}

/** A fresh secret and what the set-up page shows for it: the QR code and the otpauth:// address. */
export async function newTwoFactorSetup(accountName: string): Promise<{ secret: string; uri: string; qrDataUrl: string }> {
  const secret = generateSecret();
  const uri = generateURI({ issuer, label: accountName, secret });
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

/** The 30-second step a code belongs to, or null when it is not a current code of the secret. */
async function acceptedStep(secret: string, code: string, now: Date): Promise<number | null> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const epoch = Math.floor(now.getTime() / 1000);
  const result = await verify({ secret, token, epoch, epochTolerance: toleranceSeconds });
  if (!result.valid) return null;
  return Math.floor(epoch / stepSeconds) + result.delta;
}

/** Checks a code against a secret not yet saved (the set-up's confirmation). */
export async function isCurrentCode(secret: string, code: string, now = new Date()): Promise<boolean> {
  return (await acceptedStep(secret, code, now)) !== null;
}

function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');
}

/** Ten codes of 10 characters (about 50 bits each), shown once, grouped for reading: "k7q2m-x9d4p". */
function newRecoveryCodes(): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: recoveryCodeCount }, () => {
    const characters = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
    return `${characters.slice(0, 5)}-${characters.slice(5)}`;
  });
}

/** Saves the confirmed secret and returns the new recovery codes (older ones stop working). */
export async function enableTwoFactor(prisma: PrismaClient, userId: number, secret: string, now = new Date()): Promise<string[]> {
  const codes = newRecoveryCodes();
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { totpSecret: secret, totpEnabledAt: now, totpLastStep: null } });
    await tx.twoFactorRecoveryCode.deleteMany({ where: { userId } });
    await tx.twoFactorRecoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })) });
    await recordAudit(tx, { actorId: userId, action: 'auth.two_factor_enabled', entityType: 'User', entityId: userId });
  });
  return codes;
}

/**
 * The second step of signing in: a current code of the user's app (each code good once), or an
 * unused recovery code (then used up). Every outcome is audited.
 */
export async function verifySecondFactor(prisma: PrismaClient, userId: number, code: string, now = new Date()): Promise<'code' | 'recovery-code' | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { totpSecret: true, totpLastStep: true } });
  if (!user?.totpSecret) return null;
  const step = await acceptedStep(user.totpSecret, code, now);
  if (step !== null) {
    // The condition makes a replayed code (or two tabs sending the same one) succeed at most once.
    const taken = await prisma.user.updateMany({ where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] }, data: { totpLastStep: step } });
    if (taken.count === 1) {
      await recordAudit(prisma, { actorId: userId, action: 'auth.two_factor_passed', entityType: 'User', entityId: userId });
      return 'code';
    }
  } else {
    const used = await prisma.twoFactorRecoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(code), usedAt: null }, data: { usedAt: now } });
    if (used.count === 1) {
      await recordAudit(prisma, { actorId: userId, action: 'auth.two_factor_recovery_code_used', entityType: 'User', entityId: userId });
      return 'recovery-code';
    }
  }
  await recordAudit(prisma, { actorId: null, action: 'auth.two_factor_failed', entityType: 'User', entityId: userId });
  return null;
}

export async function unusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  return db.twoFactorRecoveryCode.count({ where: { userId, usedAt: null } });
}

/**
 * The coordinator's reset for someone who lost their phone: the second factor and its recovery codes
 * go, and so do the person's sessions; they set it up again at their next sign-in.
 */
export async function resetTwoFactor(prisma: PrismaClient, userId: number, actorId: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } });
    await tx.twoFactorRecoveryCode.deleteMany({ where: { userId } });
    await tx.session.deleteMany({ where: { data: { contains: `"passport":{"user":${userId}}` } } });
    await recordAudit(tx, { actorId, action: 'auth.two_factor_reset', entityType: 'User', entityId: userId });
  });
}

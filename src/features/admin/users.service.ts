import type { PrismaClient } from '../../generated/prisma/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Locale, UserRole, UserTokenPurpose } from '../../generated/prisma/enums.ts';
import { formatDateTime } from '../../lib/dates.ts';
import { compareText } from '../../lib/collation.ts';
import { userRoles } from '../../lib/enum-lists.ts';
import { countedPage } from '../../lib/pagination.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { normaliseEmail } from '../auth/auth.service.ts';
import { createUserToken, expireUnusedTokens, invitationValidHours, mentorInvitationValidHours, passwordResetValidHours, setPasswordUrl } from '../auth/invitation-tokens.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import { changedFields } from './admin-request.ts';
import type { InviteForm, MembershipForm, UserEditForm } from './users.schemas.ts';
import { isUniqueViolation } from '../../db/unique-violation.ts';
import type { FormResult } from '../../lib/form-result.ts';

type Tx = Prisma.TransactionClient;

export const userPageSize = 50;

export interface UserListQuery {
  role?: UserRole;
  status?: 'active' | 'inactive';
  /** Part of the name or e-mail. */
  search?: string;
  page?: number;
}

/**
 * Users by role (in the schema's order), then by name in the page's language, with their committee
 * regions. The names are sorted here, not by the database (src/lib/collation.ts): one light query
 * for the ids and names of every matching user (they are the programme's staff and mentors, a few
 * thousand at most), then one for the page's rows.
 */
export async function listUsers(prisma: PrismaClient, query: UserListQuery, language: string) {
  const where: Prisma.UserWhereInput = {};
  if (query.role) where.role = query.role;
  if (query.status) where.isActive = query.status === 'active';
  const search = query.search?.trim();
  if (search) where.OR = [{ fullName: { contains: search, mode: 'insensitive' } }, { email: { contains: search, mode: 'insensitive' } }];
  const keys = await prisma.user.findMany({ where, select: { id: true, role: true, fullName: true } });
  const compareNames = compareText(language);
  const ordered = keys.sort((a, b) => userRoles.indexOf(a.role) - userRoles.indexOf(b.role) || compareNames(a.fullName, b.fullName) || a.id - b.id).map((user) => user.id);
  const total = ordered.length;
  const pager = countedPage(query.page, total, userPageSize);
  const pageIds = ordered.slice(pager.skip, pager.skip + pager.take);
  const rows = await prisma.user.findMany({
    where: { id: { in: pageIds } },
    select: {
      id: true,
      email: true,
      fullName: true,
      role: true,
      isActive: true,
      passwordHash: true,
      lastLoginAt: true,
      memberships: { select: { isChair: true, region: true }, orderBy: { region: { sortOrder: 'asc' } } },
    },
  });
  const position = new Map(pageIds.map((id, index) => [id, index]));
  const users = rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  return {
    users: users.map(({ passwordHash, ...user }) => ({ ...user, hasPassword: passwordHash !== null })),
    total,
    pager,
  };
}

/** One user with memberships and the latest set-password link (never its token). */
export async function findUser(prisma: PrismaClient, userId: number) {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      fullName: true,
      phone: true,
      role: true,
      locale: true,
      isActive: true,
      passwordHash: true,
      lastLoginAt: true,
      totpEnabledAt: true,
      createdAt: true,
      sourceApplication: { select: { id: true, number: true } },
      memberships: { select: { isChair: true, addedAt: true, region: true }, orderBy: { region: { sortOrder: 'asc' } } },
      tokens: { orderBy: { createdAt: 'desc' }, take: 1, select: { purpose: true, createdAt: true, expiresAt: true, usedAt: true } },
    },
  });
  if (!user) throw new NotFoundError('No such user');
  const { passwordHash, tokens, ...rest } = user;
  return { ...rest, hasPassword: passwordHash !== null, latestLink: tokens[0] ?? null };
}

export type UserDetails = Awaited<ReturnType<typeof findUser>>;

/** Regions a member can be added to. */
export function activeRegions(prisma: PrismaClient) {
  return prisma.region.findMany({ where: { isActive: true }, orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }] });
}

/** Issues a set-password link for the user and puts the e-mail carrying it into the outbox. */
async function sendSetPasswordLink(
  tx: Tx,
  user: { id: number; email: string; fullName: string; role: UserRole; locale: Locale; hasPassword: boolean },
  baseUrl: string,
): Promise<UserTokenPurpose> {
  const purpose: UserTokenPurpose = user.hasPassword ? 'PASSWORD_RESET' : 'INVITATION';
  const hours = purpose === 'PASSWORD_RESET' ? passwordResetValidHours : user.role === 'MENTOR' ? mentorInvitationValidHours : invitationValidHours;
  const now = new Date();
  const token = await createUserToken(tx, user.id, purpose, hours, now);
  await enqueueEmail(tx, {
    to: user.email,
    locale: user.locale,
    template: purpose === 'PASSWORD_RESET' ? 'password-reset' : 'invitation',
    data: {
      fullName: user.fullName,
      email: user.email,
      role: user.role,
      setPasswordUrl: setPasswordUrl(baseUrl, token),
      expiresAt: formatDateTime(new Date(now.getTime() + hours * 3_600_000), user.locale),
    },
  });
  return purpose;
}

/**
 * Creates a committee member or coordinator without a password and e-mails them a one-time link to
 * set one. Returns the new user's id, or field problems (e-mail taken, unknown region).
 */
export async function inviteUser(prisma: PrismaClient, form: InviteForm, actorId: number, baseUrl: string): Promise<FormResult<{ id: number }>> {
  const email = normaliseEmail(form.email);
  try {
    return await prisma.$transaction(async (tx): Promise<FormResult<{ id: number }>> => {
      if (await tx.user.findUnique({ where: { email }, select: { id: true } })) return { ok: false, errors: { email: 'admin:users.errors.emailTaken' } };
      const regionId = form.role === 'COMMITTEE' ? form.regionId : null;
      if (regionId !== null && !(await tx.region.findFirst({ where: { id: regionId, isActive: true }, select: { id: true } }))) {
        return { ok: false, errors: { regionId: 'admin:users.errors.regionUnknown' } };
      }
      const user = await tx.user.create({
        data: {
          email,
          fullName: form.fullName,
          role: form.role,
          locale: form.locale,
          passwordHash: null,
          memberships: regionId !== null ? { create: { regionId, isChair: form.isChair } } : undefined,
        },
      });
      await sendSetPasswordLink(tx, { ...user, hasPassword: false }, baseUrl);
      await recordAudit(tx, {
        actorId,
        action: 'user.invited',
        entityType: 'User',
        entityId: user.id,
        details: { email, role: form.role, locale: form.locale, regionId, isChair: regionId !== null ? form.isChair : undefined },
      });
      return { ok: true as const, id: user.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { email: 'admin:users.errors.emailTaken' } };
    throw error;
  }
}

/** Name, language and (for staff) role. A coordinator cannot take the role away from themselves. */
export async function updateUser(prisma: PrismaClient, userId: number, form: UserEditForm, actorId: number): Promise<FormResult> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, include: { memberships: { include: { region: { select: { code: true } } } } } });
    if (!before) throw new NotFoundError('No such user');
    const role = before.role === 'MENTOR' || !form.role ? before.role : form.role;
    if (userId === actorId && role !== before.role) return { ok: false, errors: { role: 'admin:users.errors.cannotChangeOwnRole' } };
    const data = { fullName: form.fullName, locale: form.locale, role };
    const changes: Record<string, unknown> = changedFields(before, data);
    if (Object.keys(changes).length === 0) return { ok: true as const };
    await tx.user.update({ where: { id: userId }, data });
    // Committee membership means nothing for a coordinator; it is dropped, and recorded here.
    if (before.role === 'COMMITTEE' && role === 'COORDINATOR' && before.memberships.length > 0) {
      await tx.committeeMembership.deleteMany({ where: { userId } });
      changes.removedMemberships = before.memberships.map((membership) => ({ region: membership.region.code, isChair: membership.isChair }));
    }
    await recordAudit(tx, { actorId, action: role !== before.role ? 'user.role_changed' : 'user.updated', entityType: 'User', entityId: userId, details: { changes } as Prisma.InputJsonValue });
    return { ok: true as const };
  });
}

/**
 * What deactivating a user takes away, for the confirmation page: the committee memberships (which
 * stay, but give no access while inactive), the regions left without an active chair, the youth
 * groups they mentor (which stay assigned) and the unused set-password links that expire.
 */
export async function deactivationConsequences(prisma: PrismaClient, userId: number) {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      fullName: true,
      role: true,
      isActive: true,
      memberships: { select: { isChair: true, region: { select: { id: true, nameRu: true, nameKk: true, nameEn: true } } }, orderBy: { region: { sortOrder: 'asc' } } },
      _count: { select: { mentoredGroups: true, tokens: { where: { usedAt: null, expiresAt: { gt: new Date() } } } } },
    },
  });
  if (!user) throw new NotFoundError('No such user');
  const chaired = user.memberships.filter((membership) => membership.isChair).map((membership) => membership.region.id);
  const otherChairs = chaired.length === 0 ? [] : await prisma.committeeMembership.findMany({ where: { regionId: { in: chaired }, isChair: true, userId: { not: userId }, user: { isActive: true } }, select: { regionId: true } });
  const leftWithoutChair = user.memberships.filter((membership) => membership.isChair && !otherChairs.some((other) => other.regionId === membership.region.id)).map((membership) => membership.region);
  return { user: { id: user.id, fullName: user.fullName, role: user.role, isActive: user.isActive }, memberships: user.memberships, leftWithoutChair, youthGroups: user._count.mentoredGroups, openLinks: user._count.tokens };
}

/**
 * The account stops working at once: passport reloads the user on every request and drops an
 * inactive one, and the user's unused set-password links are expired.
 */
export async function deactivateUser(prisma: PrismaClient, userId: number, actorId: number): Promise<void> {
  if (userId === actorId) throw new ConflictError('a coordinator cannot deactivate themselves', 'admin:users.errors.cannotDeactivateSelf');
  await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { isActive: true } });
    if (!user) throw new NotFoundError('No such user');
    if (!user.isActive) return;
    await tx.user.update({ where: { id: userId }, data: { isActive: false } });
    const expiredLinks = await expireUnusedTokens(tx, userId);
    await recordAudit(tx, { actorId, action: 'user.deactivated', entityType: 'User', entityId: userId, details: { expiredLinks } });
  });
}

export async function reactivateUser(prisma: PrismaClient, userId: number, actorId: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { isActive: true } });
    if (!user) throw new NotFoundError('No such user');
    if (user.isActive) return;
    await tx.user.update({ where: { id: userId }, data: { isActive: true } });
    await recordAudit(tx, { actorId, action: 'user.reactivated', entityType: 'User', entityId: userId });
  });
}

/**
 * "Send a new link": an invitation again for someone who never set a password, otherwise a password
 * reset. Earlier links stop working. Never a password in an e-mail.
 */
export async function sendNewPasswordLink(prisma: PrismaClient, userId: number, actorId: number, baseUrl: string): Promise<UserTokenPurpose> {
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFoundError('No such user');
    if (!user.isActive) throw new ConflictError('user is deactivated', 'admin:users.errors.linkForInactive');
    const purpose = await sendSetPasswordLink(tx, { ...user, hasPassword: user.passwordHash !== null }, baseUrl);
    await recordAudit(tx, { actorId, action: 'user.password_link_sent', entityType: 'User', entityId: userId, details: { purpose } });
    return purpose;
  });
}

export async function addMembership(prisma: PrismaClient, userId: number, form: MembershipForm, actorId: number): Promise<FormResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: userId }, select: { role: true } });
      if (!user) throw new NotFoundError('No such user');
      if (user.role !== 'COMMITTEE') return { ok: false, errors: { regionId: 'admin:users.errors.notCommittee' } };
      const region = await tx.region.findFirst({ where: { id: form.regionId, isActive: true }, select: { id: true, code: true } });
      if (!region) return { ok: false, errors: { regionId: 'admin:users.errors.regionUnknown' } };
      if (await tx.committeeMembership.findUnique({ where: { userId_regionId: { userId, regionId: region.id } } })) {
        return { ok: false, errors: { regionId: 'admin:users.errors.alreadyMember' } };
      }
      await tx.committeeMembership.create({ data: { userId, regionId: region.id, isChair: form.isChair } });
      await recordAudit(tx, { actorId, action: 'membership.added', entityType: 'User', entityId: userId, details: { regionId: region.id, region: region.code, isChair: form.isChair } });
      return { ok: true as const };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { regionId: 'admin:users.errors.alreadyMember' } };
    throw error;
  }
}

async function membershipOf(tx: Tx, userId: number, regionId: number) {
  const membership = await tx.committeeMembership.findUnique({ where: { userId_regionId: { userId, regionId } }, include: { region: { select: { code: true } } } });
  if (!membership) throw new NotFoundError('No such membership');
  return membership;
}

export async function setChair(prisma: PrismaClient, userId: number, regionId: number, isChair: boolean, actorId: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const membership = await membershipOf(tx, userId, regionId);
    if (membership.isChair === isChair) return;
    await tx.committeeMembership.update({ where: { userId_regionId: { userId, regionId } }, data: { isChair } });
    await recordAudit(tx, { actorId, action: 'membership.chair_changed', entityType: 'User', entityId: userId, details: { regionId, region: membership.region.code, isChair } });
  });
}

export async function removeMembership(prisma: PrismaClient, userId: number, regionId: number, actorId: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const membership = await membershipOf(tx, userId, regionId);
    await tx.committeeMembership.delete({ where: { userId_regionId: { userId, regionId } } });
    await recordAudit(tx, { actorId, action: 'membership.removed', entityType: 'User', entityId: userId, details: { regionId, region: membership.region.code, wasChair: membership.isChair } });
  });
}

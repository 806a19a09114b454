import type { Request, RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { UserRole } from '../../generated/prisma/enums.ts';
import { addFlash } from '../../http/flash.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { formatDateTime } from '../../lib/dates.ts';
import { userRoles } from '../../lib/enum-lists.ts';
import { pageHrefs } from '../../lib/pagination.ts';
import { formValues } from '../../http/form-values.ts';
import { idParam, positiveInteger } from '../../http/request-params.ts';
import { actorId, attempt } from './admin-request.ts';
import { invitableRoles, inviteFormSchema, membershipFormSchema, userEditFormSchema } from './users.schemas.ts';
import {
  activeRegions,
  addMembership,
  deactivateUser,
  deactivationConsequences,
  findUser,
  inviteUser,
  listUsers,
  reactivateUser,
  removeMembership,
  sendNewPasswordLink,
  setChair,
  updateUser,
} from './users.service.ts';
import { resetTwoFactor } from '../auth/two-factor.service.ts';

interface FormState {
  values: Record<string, unknown>;
  errors: Record<string, string>;
}

function isRole(value: unknown): value is UserRole {
  return typeof value === 'string' && (userRoles as readonly string[]).includes(value);
}

export function userHandlers(prisma: PrismaClient, baseUrl: string) {
  async function renderInvite(response: Response, status: number, form: FormState) {
    response.status(status).render('admin/user-invite', { titleKey: 'admin:users.inviteTitle', roles: invitableRoles, regions: await activeRegions(prisma), ...form });
  }

  async function renderUserPage(request: Request, response: Response, userId: number, status: number, forms: Partial<Record<'details' | 'membership', FormState>> = {}) {
    const [user, regions] = await Promise.all([findUser(prisma, userId), activeRegions(prisma)]);
    const language = response.locals.lang as string;
    response.status(status).render('admin/user-page', {
      titleKey: 'admin:users.userTitle',
      user,
      isSelf: user.id === actorId(request),
      roles: invitableRoles,
      // Regions the user is not in yet.
      regionChoices: regions.filter((region) => !user.memberships.some((membership) => membership.region.id === region.id)),
      lastLogin: user.lastLoginAt ? formatDateTime(user.lastLoginAt, language) : null,
      latestLink: user.latestLink && {
        purpose: user.latestLink.purpose,
        sent: formatDateTime(user.latestLink.createdAt, language),
        expires: formatDateTime(user.latestLink.expiresAt, language),
        used: user.latestLink.usedAt ? formatDateTime(user.latestLink.usedAt, language) : null,
        expired: !user.latestLink.usedAt && user.latestLink.expiresAt <= new Date(),
      },
      details: forms.details ?? { values: { fullName: user.fullName, role: user.role, locale: user.locale }, errors: {} },
      membership: forms.membership ?? { values: {}, errors: {} },
    });
  }

  const list: RequestHandler = async (request, response) => {
    const role = isRole(request.query.role) ? request.query.role : undefined;
    const status = request.query.status === 'active' || request.query.status === 'inactive' ? request.query.status : undefined;
    const search = typeof request.query.q === 'string' ? request.query.q.slice(0, 100) : '';
    const result = await listUsers(prisma, { role, status, search, page: positiveInteger(request.query.page) ?? 1 }, response.locals.lang as string);
    const pageHref = pageHrefs('/admin/users', { role, status, q: search });
    response.render('admin/users-list', { titleKey: 'admin:users.title', ...result, roles: userRoles, filter: { role: role ?? '', status: status ?? '', q: search }, pageHref });
  };

  const showInvite: RequestHandler = async (_request, response) => {
    // The invitation's language starts as the page's: a coordinator working in Kazakh likely invites in Kazakh.
    await renderInvite(response, 200, { values: { role: 'COMMITTEE', locale: response.locals.lang }, errors: {} });
  };

  const invite: RequestHandler = async (request, response) => {
    const values = formValues(request.body);
    const parsed = inviteFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderInvite(response, 422, { values, errors: fieldErrorsOf(parsed.error) });
    const result = await inviteUser(prisma, parsed.data, actorId(request), baseUrl);
    if (!result.ok) return renderInvite(response, 422, { values, errors: result.errors });
    addFlash(request, 'success', 'admin:users.flash.invited');
    response.redirect(303, `/admin/users/${result.id}`);
  };

  const show: RequestHandler = async (request, response) => {
    await renderUserPage(request, response, idParam(request), 200);
  };

  const update: RequestHandler = async (request, response) => {
    const userId = idParam(request);
    const values = formValues(request.body);
    const parsed = userEditFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderUserPage(request, response, userId, 422, { details: { values, errors: fieldErrorsOf(parsed.error) } });
    const result = await updateUser(prisma, userId, parsed.data, actorId(request));
    if (!result.ok) return renderUserPage(request, response, userId, 422, { details: { values, errors: result.errors } });
    addFlash(request, 'success', 'admin:users.flash.updated');
    response.redirect(303, `/admin/users/${userId}`);
  };

  const deactivate: RequestHandler = async (request, response) => {
    const userId = idParam(request);
    if (request.body?.confirmed !== 'yes' && userId !== actorId(request)) {
      // First what the person loses; the real POST carries confirmed=yes.
      const consequences = await deactivationConsequences(prisma, userId);
      if (consequences.user.isActive) return response.render('admin/confirm-deactivate', { titleKey: 'admin:users.confirmDeactivate.title', ...consequences });
    }
    const attempted = await attempt(() => deactivateUser(prisma, userId, actorId(request)));
    if (attempted.ok) addFlash(request, 'success', 'admin:users.flash.deactivated');
    else addFlash(request, 'error', attempted.messageKey);
    response.redirect(303, `/admin/users/${userId}`);
  };

  const resetSecondFactor: RequestHandler = async (request, response) => {
    const userId = idParam(request);
    await findUser(prisma, userId); // 404 for an unknown id
    await resetTwoFactor(prisma, userId, actorId(request));
    addFlash(request, 'success', 'auth.twoFactor.flash.reset');
    response.redirect(303, `/admin/users/${userId}`);
  };

  const reactivate: RequestHandler = async (request, response) => {
    const userId = idParam(request);
    await reactivateUser(prisma, userId, actorId(request));
    addFlash(request, 'success', 'admin:users.flash.reactivated');
    response.redirect(303, `/admin/users/${userId}`);
  };

  const sendLink: RequestHandler = async (request, response) => {
    const userId = idParam(request);
    const attempted = await attempt(() => sendNewPasswordLink(prisma, userId, actorId(request), baseUrl));
    if (!attempted.ok) addFlash(request, 'error', attempted.messageKey);
    else if (attempted.value === 'INVITATION') addFlash(request, 'success', 'admin:users.flash.invitationSent');
    else addFlash(request, 'success', 'admin:users.flash.resetSent');
    response.redirect(303, `/admin/users/${userId}`);
  };

  const addMembershipHandler: RequestHandler = async (request, response) => {
    const userId = idParam(request);
    const values = formValues(request.body);
    const parsed = membershipFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderUserPage(request, response, userId, 422, { membership: { values, errors: fieldErrorsOf(parsed.error) } });
    const result = await addMembership(prisma, userId, parsed.data, actorId(request));
    if (!result.ok) return renderUserPage(request, response, userId, 422, { membership: { values, errors: result.errors } });
    addFlash(request, 'success', 'admin:users.flash.membershipAdded');
    response.redirect(303, `/admin/users/${userId}#memberships`);
  };

  const toggleChair: RequestHandler = async (request, response) => {
    const userId = idParam(request);
    const isChair = request.body?.isChair === 'yes';
    await setChair(prisma, userId, idParam(request, 'regionId'), isChair, actorId(request));
    addFlash(request, 'success', isChair ? 'admin:users.flash.chairSet' : 'admin:users.flash.chairUnset');
    response.redirect(303, `/admin/users/${userId}#memberships`);
  };

  const removeMembershipHandler: RequestHandler = async (request, response) => {
    const userId = idParam(request);
    await removeMembership(prisma, userId, idParam(request, 'regionId'), actorId(request));
    addFlash(request, 'success', 'admin:users.flash.membershipRemoved');
    response.redirect(303, `/admin/users/${userId}#memberships`);
  };

  return { resetSecondFactor,
    list,
    showInvite,
    invite,
    show,
    update,
    deactivate,
    reactivate,
    sendLink,
    addMembership: addMembershipHandler,
    toggleChair,
    removeMembership: removeMembershipHandler,
  };
}

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { UserRole } from '../../generated/prisma/enums.ts';
import { safeReturnPath } from '../../http/display-preferences.ts';
import { addFlash } from '../../http/flash.ts';
import { currentUser, type SessionUser } from '../../http/guards.ts';
import { keepFormAfterSignIn, keptFormOf } from '../../http/stale-form.ts';
import { landingPathFor, loadSessionUser } from './auth.service.ts';
import { enableTwoFactor, isCurrentCode, newTwoFactorSetup, roleNeedsTwoFactor, unusedRecoveryCodes, verifySecondFactor } from './two-factor.service.ts';

declare module 'express-session' {
  interface SessionData {
    /** Password checked, second factor not yet: who is signing in and where they go next. */
    secondFactor?: { userId: number; next: string; startedAt: number };
    /** The secret being set up, until its first code is confirmed. */
    twoFactorSetup?: { secret: string; uri: string; qrDataUrl: string };
  }
}

/** The code must follow the password within this time. */
const secondFactorWindowMs = 5 * 60_000;

export function pendingSecondFactor(request: Request): { userId: number; next: string } | null {
  const pending = request.session?.secondFactor;
  if (!pending || Date.now() - pending.startedAt > secondFactorWindowMs) return null;
  return pending;
}

/**
 * After the password: a user with a second factor is not signed in yet. The session is renewed and
 * remembers only who is half-way, so the code step cannot be skipped by opening another page.
 */
export function startSecondFactor(request: Request, userId: number, next: string, done: (error?: unknown) => void): void {
  const keptForm = keptFormOf(request);
  request.session.regenerate((error) => {
    if (error) return done(error);
    request.session.secondFactor = { userId, next, startedAt: Date.now() };
    keepFormAfterSignIn(request, keptForm);
    done();
  });
}

function renderCodeStep(response: Response, status: number, errors: Record<string, string>) {
  response.set('Cache-Control', 'no-store');
  response.status(status).render('auth/second-factor', { titleKey: 'auth.twoFactor.signIn.title', errors });
}

export function twoFactorHandlers(prisma: PrismaClient, requiredRoles: readonly UserRole[]) {
  const showCodeStep: RequestHandler = (request, response) => {
    if (!pendingSecondFactor(request)) return response.redirect(303, '/login');
    renderCodeStep(response, 200, {});
  };

  const checkCode: RequestHandler = async (request: Request, response: Response, next: NextFunction) => {
    const pending = pendingSecondFactor(request);
    if (!pending) {
      addFlash(request, 'info', 'auth.twoFactor.signIn.expired');
      return response.redirect(303, '/login');
    }
    const code = typeof request.body?.code === 'string' ? request.body.code.trim() : '';
    if (code === '') return renderCodeStep(response, 422, { code: 'auth.twoFactor.errors.codeRequired' });
    const passed = await verifySecondFactor(prisma, pending.userId, code);
    if (!passed) return renderCodeStep(response, 401, { code: 'auth.twoFactor.errors.wrongCode' });
    const user = await loadSessionUser(prisma, pending.userId);
    if (!user) return response.redirect(303, '/login');
    const keptForm = keptFormOf(request);
    request.logIn(user, (error) => {
      if (error) return next(error);
      keepFormAfterSignIn(request, keptForm);
      addFlash(request, 'success', 'auth.flash.loggedIn');
      if (passed === 'recovery-code') addFlash(request, 'info', 'auth.twoFactor.flash.recoveryCodeUsed');
      response.redirect(303, safeReturnPath(pending.next, landingPathFor(user)));
    });
  };

  const showSetup: RequestHandler = async (request, response) => {
    const user = currentUser(request)!;
    response.set('Cache-Control', 'no-store');
    if (user.twoFactorEnabled) {
      return response.render('auth/two-factor-status', { titleKey: 'auth.twoFactor.setup.title', unusedCodes: await unusedRecoveryCodes(prisma, user.id), landing: landingPathFor(user) });
    }
    request.session.twoFactorSetup ??= await newTwoFactorSetup(user.email);
    renderSetup(response, user, request.session.twoFactorSetup, 200, {});
  };

  function renderSetup(response: Response, user: SessionUser, setup: NonNullable<Request['session']['twoFactorSetup']>, status: number, errors: Record<string, string>) {
    response.set('Cache-Control', 'no-store');
    response.status(status).render('auth/two-factor-setup', {
      titleKey: 'auth.twoFactor.setup.title',
      required: roleNeedsTwoFactor(user.role, requiredRoles),
      qrDataUrl: setup.qrDataUrl,
      // Grouped by four for typing into an app by hand.
      secretGroups: setup.secret.match(/.{1,4}/g)!.join(' '),
      errors,
    });
  }

  const confirmSetup: RequestHandler = async (request, response) => {
    const user = currentUser(request)!;
    const setup = request.session.twoFactorSetup;
    if (user.twoFactorEnabled || !setup) return response.redirect(303, '/account/two-factor');
    const code = typeof request.body?.code === 'string' ? request.body.code : '';
    if (!(await isCurrentCode(setup.secret, code))) {
      return renderSetup(response, user, setup, 422, { code: code.trim() === '' ? 'auth.twoFactor.errors.codeRequired' : 'auth.twoFactor.errors.wrongCode' });
    }
    const codes = await enableTwoFactor(prisma, user.id, setup.secret);
    delete request.session.twoFactorSetup;
    response.set('Cache-Control', 'no-store');
    response.render('auth/two-factor-codes', { titleKey: 'auth.twoFactor.codes.title', codes, landing: landingPathFor(user) });
  };

  return { showCodeStep, checkCode, showSetup, confirmSetup };
}

/** Staff whose role needs a second factor see only its set-up page (and can sign out) until it is done. */
export function requireTwoFactorSetUp(requiredRoles: readonly UserRole[]): RequestHandler {
  return (request, response, next) => {
    const user = currentUser(request);
    if (!user || user.twoFactorEnabled || !roleNeedsTwoFactor(user.role, requiredRoles)) return next();
    if (/^\/(account\/two-factor|logout|preferences\/)/.test(request.path)) return next();
    response.redirect(303, '/account/two-factor');
  };
}

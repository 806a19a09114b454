import type { Request, RequestHandler, Response, NextFunction } from 'express';
import type { PassportStatic } from 'passport';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { safeReturnPath } from '../../http/display-preferences.ts';
import { addFlash } from '../../http/flash.ts';
import { keepFormAfterSignIn, keptFormOf } from '../../http/stale-form.ts';
import { currentUser, type SessionUser } from '../../http/guards.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { loginSchema } from './auth.schemas.ts';
import { landingPathFor } from './auth.service.ts';
import { startSecondFactor } from './two-factor.handlers.ts';

function renderLogin(response: Response, status: number, locals: { email?: string; errors?: Record<string, string>; next?: string }) {
  response.status(status).render('auth/login', {
    titleKey: 'auth.login.title',
    email: locals.email ?? '',
    errors: locals.errors ?? {},
    next: locals.next ?? '',
  });
}

export function authHandlers(passport: PassportStatic, prisma: PrismaClient) {
  const showLogin: RequestHandler = (request, response) => {
    const user = currentUser(request);
    if (user) return response.redirect(303, landingPathFor(user));
    renderLogin(response, 200, { next: typeof request.query.next === 'string' ? request.query.next : '' });
  };

  const logIn: RequestHandler = (request: Request, response: Response, next: NextFunction) => {
    const nextPath = typeof request.body?.next === 'string' ? request.body.next : '';
    const parsed = loginSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      return renderLogin(response, 422, { email: String(request.body?.email ?? ''), errors: fieldErrorsOf(parsed.error), next: nextPath });
    }
    passport.authenticate('local', (error: unknown, user: SessionUser | false) => {
      if (error) return next(error);
      if (!user) {
        return renderLogin(response, 401, { email: parsed.data.email, errors: { _form: 'auth.errors.invalidCredentials' }, next: nextPath });
      }
      if (user.twoFactorEnabled) {
        return startSecondFactor(request, user.id, nextPath, (error) => (error ? next(error) : response.redirect(303, '/login/second-factor')));
      }
      // passport regenerates the session here, so a session id planted before login is useless.
      const keptForm = keptFormOf(request);
      request.logIn(user, (loginError) => {
        if (loginError) return next(loginError);
        keepFormAfterSignIn(request, keptForm);
        addFlash(request, 'success', 'auth.flash.loggedIn');
        response.redirect(303, safeReturnPath(nextPath, landingPathFor(user)));
      });
    })(request, response, next);
  };

  const logOut: RequestHandler = async (request, response, next) => {
    const user = currentUser(request);
    if (user) await recordAudit(prisma, { actorId: user.id, action: 'auth.logout', entityType: 'User', entityId: user.id });
    request.logOut((error) => {
      if (error) return next(error);
      addFlash(request, 'info', 'auth.flash.loggedOut');
      response.redirect(303, '/');
    });
  };

  const landing: RequestHandler = (request, response) => {
    response.redirect(303, landingPathFor(currentUser(request)!));
  };

  return { showLogin, logIn, logOut, landing, renderLogin };
}

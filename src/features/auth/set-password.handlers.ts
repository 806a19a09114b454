import type { Request, RequestHandler, Response, NextFunction } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { addFlash } from '../../http/flash.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { landingPathFor, loadSessionUser } from './auth.service.ts';
import { passwordWeakness } from './password-strength.ts';
import { minimumPasswordLength, setPasswordSchema } from './set-password.schemas.ts';
import { findSetPasswordLink, setPasswordWithToken } from './set-password.service.ts';

function tokenOf(request: Request): string {
  return String(request.params.token ?? '');
}

/** Wrong, used and expired links and deactivated accounts all get this page: it reveals nothing. */
function renderInvalidLink(response: Response) {
  response.set('Cache-Control', 'no-store');
  response.status(404).render('auth/set-password-invalid', { titleKey: 'admin:setPassword.invalidTitle' });
}

function renderForm(response: Response, status: number, locals: { fullName: string; email: string; purpose: string; token: string; errors: Record<string, string> }) {
  response.set('Cache-Control', 'no-store');
  response.status(status).render('auth/set-password', { titleKey: 'admin:setPassword.title', minimumPasswordLength, ...locals });
}

export function setPasswordHandlers(prisma: PrismaClient) {
  const show: RequestHandler = async (request, response) => {
    const link = await findSetPasswordLink(prisma, tokenOf(request));
    if (!link) return renderInvalidLink(response);
    renderForm(response, 200, { fullName: link.user.fullName, email: link.user.email, purpose: link.purpose, token: tokenOf(request), errors: {} });
  };

  const submit: RequestHandler = async (request: Request, response: Response, next: NextFunction) => {
    const token = tokenOf(request);
    const link = await findSetPasswordLink(prisma, token);
    if (!link) return renderInvalidLink(response);
    const parsed = setPasswordSchema.safeParse(request.body ?? {});
    const errors = parsed.success ? {} : fieldErrorsOf(parsed.error);
    if (parsed.success || !errors.password) {
      const weakness = await passwordWeakness(String(request.body?.password ?? ''), [link.user.email, link.user.fullName]);
      if (weakness) errors.password = weakness;
    }
    if (!parsed.success || Object.keys(errors).length > 0) {
      return renderForm(response, 422, { fullName: link.user.fullName, email: link.user.email, purpose: link.purpose, token, errors });
    }
    const result = await setPasswordWithToken(prisma, token, parsed.data.password);
    if (!result) return renderInvalidLink(response);
    const user = await loadSessionUser(prisma, result.userId);
    if (!user) return renderInvalidLink(response);
    // passport regenerates the session here: whoever was signed in in this browser is signed out.
    request.logIn(user, (error) => {
      if (error) return next(error);
      addFlash(request, 'success', 'admin:setPassword.done');
      response.redirect(303, landingPathFor(user));
    });
  };

  return { show, submit };
}

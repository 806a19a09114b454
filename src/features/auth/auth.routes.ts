import { Router, type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { slowDown } from 'express-slow-down';
import type { PassportStatic } from 'passport';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { requireSignedIn } from '../../http/guards.ts';
import { keepSessionAlive } from '../../http/idle-timeout.ts';
import { authHandlers } from './auth.handlers.ts';
import { normaliseEmail } from './auth.service.ts';
import { pendingSecondFactor, twoFactorHandlers } from './two-factor.handlers.ts';
import type { UserRole } from '../../generated/prisma/enums.ts';

export interface AuthRouterOptions {
  passport: PassportStatic;
  prisma: PrismaClient;
  loginAttemptsPer15Min: number;
  loginFailuresPerAccountPer15Min: number;
  loginSlowdownMs: number;
  requireTwoFactorRoles: readonly UserRole[];
}

export function authRouter(options: AuthRouterOptions): Router {
  const handlers = authHandlers(options.passport, options.prisma);
  const twoFactor = twoFactorHandlers(options.prisma, options.requireTwoFactorRoles);
  // Only failed attempts count, so a user who mistypes once and then succeeds is not held back.
  const failedLoginLimit = (limit: number, keyGenerator?: (request: Request) => string) =>
    rateLimit({
      windowMs: 15 * 60 * 1000,
      limit,
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      ...(keyGenerator ? { keyGenerator } : {}),
      handler: (request, response) => {
        handlers.renderLogin(response, 429, {
          email: typeof request.body?.email === 'string' ? request.body.email : '',
          errors: { _form: 'auth.errors.tooManyAttempts' },
        });
      },
    });
  const loginRateLimit = failedLoginLimit(options.loginAttemptsPer15Min);
  // Per account too: guesses spread over many addresses (or forged X-Forwarded-For) still stop.
  const accountLoginLimit = failedLoginLimit(options.loginFailuresPerAccountPer15Min, (request) =>
    `account:${normaliseEmail(typeof request.body?.email === 'string' ? request.body.email : '')}`,
  );

  const router = Router();
  router.get('/login', handlers.showLogin);
  // After three failures from one address each further attempt waits longer (then the limit stops it).
  const loginSlowDown = slowDown({
    windowMs: 15 * 60 * 1000,
    delayAfter: 3,
    delayMs: (used) => (used - 3) * options.loginSlowdownMs,
    maxDelayMs: 10_000,
    skipSuccessfulRequests: true,
  });
  router.post('/login', loginSlowDown, loginRateLimit, accountLoginLimit, handlers.logIn);
  // Wrong codes count against the account half-way through signing in, like wrong passwords.
  const codeLimit = failedLoginLimit(options.loginFailuresPerAccountPer15Min, (request) => `second-factor:${pendingSecondFactor(request)?.userId ?? 'none'}`);
  router.get('/login/second-factor', twoFactor.showCodeStep);
  router.post('/login/second-factor', loginSlowDown, codeLimit, twoFactor.checkCode);
  router.get('/account/two-factor', requireSignedIn, twoFactor.showSetup);
  router.post('/account/two-factor', requireSignedIn, twoFactor.confirmSetup);
  router.post('/logout', requireSignedIn, handlers.logOut);
  router.post('/session/keepalive', requireSignedIn, keepSessionAlive);
  router.get('/dashboard', requireSignedIn, handlers.landing);
  return router;
}

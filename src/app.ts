import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';
import type { Config } from './config.ts';
import { projectRoot } from './project-root.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './lib/logger.ts';
import { formatDate, formatMonth } from './lib/dates.ts';
import { displayPreferencesLocals, displayPreferencesRouter } from './http/display-preferences.ts';
import { errorHandler, notFoundHandler } from './http/error-handlers.ts';
import { refusedAccessRecorder } from './features/audit/access-audit.ts';
import { createI18n, i18nMiddleware } from './http/i18n.ts';
import { requireRole } from './http/guards.ts';
import { pageLocals, viewHelpers } from './http/page-locals.ts';
import { requestLog } from './http/request-log.ts';
import { stripNullCharactersFromBody } from './http/strip-null-characters.ts';
import { createSessionStore, sessionCookieName } from './http/session-store.ts';
import { createLayoutEngine } from './http/render-with-layout.ts';
import { createPassport } from './features/auth/passport-setup.ts';
import { authRouter } from './features/auth/auth.routes.ts';
import { requireTwoFactorSetUp } from './features/auth/two-factor.handlers.ts';
import { staffIdleTimeout } from './http/idle-timeout.ts';
import { csrfTokenState } from './http/csrf-token-state.ts';
import { publicPagePaths, publicRouter } from './features/public/public.routes.ts';
import { visitorPageCache } from './http/visitor-page-cache.ts';
import { programmeContactLocals } from './features/contact/programme-contact.service.ts';
import { applicationsRouter } from './features/applications/applications.routes.ts';
import { reviewRouter } from './features/review/review.routes.ts';
import { adminRouter } from './features/admin/admin.routes.ts';
import { adminManagementRouter } from './features/admin/admin-management.routes.ts';
import { retentionRouter } from './features/retention/retention.routes.ts';
import { resultsRouter } from './features/results/results.routes.ts';
import { setPasswordRouter } from './features/auth/set-password.routes.ts';
import { mailAdminRouter } from './features/mail/mail-admin.routes.ts';
import { mentoringRouter } from './features/mentoring/mentoring.routes.ts';

export interface AppDependencies {
  config: Config;
  database: Database;
  logger: Logger;
  /** Remove expired sessions every few minutes (off in tests, which build many apps). */
  pruneExpiredSessions?: boolean;
}

export interface PortalApp {
  app: Express;
  /** Stops the timers this app started; the database is closed by whoever opened it. */
  stop(): Promise<void>;
}

/** Builds the portal's Express application. Never listens: server.ts and the tests do that. */
export async function createApp({ config, database, logger, pruneExpiredSessions = true }: AppDependencies): Promise<PortalApp> {
  const { prisma } = database;
  const app = express();
  const viewsDir = path.join(projectRoot, 'views');

  app.disable('x-powered-by');
  // A hop count, never `true`: trusting every X-Forwarded-For entry would let clients pick their IP and dodge rate limits.
  app.set('trust proxy', config.trustProxyHops);
  app.engine('ejs', createLayoutEngine(viewsDir, config.isProduction));
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  app.locals.formatMonth = formatMonth;
  app.locals.formatDate = formatDate;
  Object.assign(app.locals, viewHelpers);

  app.use(requestLog(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.isProduction ? [] : null,
        },
      },
      strictTransportSecurity: config.isProduction,
      // The portal's own pages tell it where a form came from (src/http/stale-form.ts sends a stale
      // form back there); no other site ever learns a page's address, secret status links included.
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.use('/static', express.static(path.join(projectRoot, 'public'), { maxAge: config.isProduction ? '1d' : 0, index: false }));
  // Front-end libraries come from node_modules (no CDN): only the files named here are exposed.
  app.get('/static/vendor/chart.umd.min.js', (_request, response) => response.sendFile(path.join(projectRoot, 'node_modules/chart.js/dist/chart.umd.min.js'), { maxAge: config.isProduction ? '1d' : 0 }));

  app.get('/health', async (_request, response) => {
    await prisma.$queryRaw`SELECT 1`;
    response.type('text/plain').send('ok');
  });

  // Only a request that can carry a form's body goes through the parser.
  const formBody = express.urlencoded({ extended: false, limit: '200kb' });
  app.use((request, response, next) => (request.method === 'GET' || request.method === 'HEAD' ? next() : formBody(request, response, next)));
  app.use(stripNullCharactersFromBody);
  // The secret signs the visitor's CSRF cookie (src/http/csrf-token-state.ts).
  app.use(cookieParser(config.sessionSecret));
  const i18n = await createI18n();
  app.use(i18nMiddleware(i18n, config.isProduction));
  app.use(displayPreferencesLocals);
  app.use(programmeContactLocals(prisma));
  const tokenState = csrfTokenState(config.isProduction);
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    ...tokenState,
    getTokenFromRequest: (request) => {
      const fromBody = request.body?._csrf;
      if (typeof fromBody === 'string') return fromBody;
      const fromHeader = request.headers['x-csrf-token'];
      if (typeof fromHeader === 'string') return fromHeader;
      // Multipart forms carry it in the URL, so it is checked before any file is written.
      return typeof request.query._csrf === 'string' ? request.query._csrf : undefined;
    },
  });
  // Before the session and the sign-in: a visitor reading the public pages needs neither, nor does
  // one opening the application form or the login page (her token is in her signed cookie).
  app.get(publicPagePaths, visitorPageCache(sessionCookieName));
  app.get(['/apply', '/login'], visitorPageCache(sessionCookieName, { csrfToken: { current: (request) => tokenState.getTokenFromState(request), issue: (request) => generateToken(request) } }));

  const sessionStore = createSessionStore(database.sql, pruneExpiredSessions);
  app.use(
    session({
      name: sessionCookieName,
      secret: config.sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.isProduction, maxAge: config.sessionMaxAgeMs },
    }),
  );
  const passport = createPassport(prisma, database.sql);
  app.use(passport.initialize());
  app.use(passport.session());
  // Every page a signed-in person sees carries personal data (their name at least): never cached.
  app.use((request, response, next) => {
    if (request.user) response.set('Cache-Control', 'no-store');
    next();
  });
  app.use(staffIdleTimeout(config.staffIdleTimeoutMs));
  app.use(requireTwoFactorSetUp(config.requireTwoFactorRoles));

  app.use(pageLocals((request) => generateToken(request)));
  app.use(csrfSynchronisedProtection);

  app.use(displayPreferencesRouter(config.isProduction));
  app.use(publicRouter(prisma));
  app.use(applicationsRouter(prisma, config));
  app.use(authRouter({ passport, prisma, loginAttemptsPer15Min: config.loginRateLimitPer15Min, loginFailuresPerAccountPer15Min: config.loginFailuresPerAccountPer15Min, loginSlowdownMs: config.loginSlowdownMs, requireTwoFactorRoles: config.requireTwoFactorRoles }));
  app.use(reviewRouter(prisma, config));
  // The coordinator's area, guarded once: administration, results, outbox and mentoring under /admin.
  app.use('/admin', requireRole('COORDINATOR'));
  app.use(adminRouter(prisma));
  app.use(adminManagementRouter(prisma, config));
  app.use(retentionRouter(prisma, config));
  app.use(resultsRouter(prisma, config));
  app.use(setPasswordRouter(prisma));
  app.use(mailAdminRouter(prisma));
  app.use(mentoringRouter(prisma, config));

  app.use(notFoundHandler);
  app.use(errorHandler(logger, i18n, refusedAccessRecorder(prisma)));

  return {
    app,
    async stop() {
      // Not shutdown(): it would also disconnect the shared Prisma client.
      sessionStore.stopInterval();
    },
  };
}

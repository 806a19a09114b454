import supertest from 'supertest';
import type { Express } from 'express';
import { createApp, type PortalApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { demoPassword } from '../../prisma/demo-data.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  // Failed logins are not slowed down in tests unless a test asks for it.
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOGIN_SLOWDOWN_MS: '0', ...overrides });
}

export async function buildTestApp(database: Database, overrides: Record<string, string> = {}): Promise<PortalApp> {
  return createApp({ config: testConfig(overrides), database, logger: createLogger('silent'), pruneExpiredSessions: false });
}

/** The CSRF token of the first form on a page (a hidden field, or in the action URL of a multipart form). */
export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html) ?? /[?&]_csrf=([^"&]+)/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return decodeURIComponent(match[1]);
}

export const demoLogins = {
  coordinator: 'coordinator@zhas.local',
  chair: 'chair.astana@zhas.local',
  member: 'member.astana@zhas.local',
  secondMember: 'member2.astana@zhas.local',
  otherRegionMember: 'member.almaty@zhas.local',
  mentor: 'mentor@zhas.local',
} as const;
export type DemoRole = keyof typeof demoLogins;

/** A cookie-keeping client signed in as one of the demo accounts (the database must hold the demo). */
export async function loginAs(app: Express, role: DemoRole) {
  const agent = supertest.agent(app);
  const loginPage = await agent.get('/login').expect(200);
  const response = await agent
    .post('/login')
    .type('form')
    .send({ email: demoLogins[role], password: demoPassword, _csrf: csrfTokenIn(loginPage.text) });
  if (response.status !== 303) throw new Error(`login as ${role} failed with ${response.status}`);
  return agent;
}

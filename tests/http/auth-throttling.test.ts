import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { csrfTokenIn, demoLogins, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let portal: TestPortal;

beforeAll(async () => {
  // One proxy hop: the client's address is read from X-Forwarded-For, which a client can forge.
  portal = await startTestPortal({ seed: 'demo', config: { TRUST_PROXY_HOPS: '1', LOGIN_SLOWDOWN_MS: '0', LOGIN_RATE_LIMIT_PER_15_MIN: '10', LOGIN_FAILURES_PER_ACCOUNT_PER_15_MIN: '10' } });
});
afterAll(async () => {
  await portal.close();
});

async function attempt(email: string, password: string, forwardedFor: string) {
  const agent = supertest.agent(portal.app);
  const token = csrfTokenIn((await agent.get('/login').set('X-Forwarded-For', forwardedFor)).text);
  return agent.post('/login').set('X-Forwarded-For', forwardedFor).type('form').send({ email, password, _csrf: token });
}

describe('failed logins are throttled per account as well as per address', () => {
  it('rotating X-Forwarded-For does not get past the limit on one account; other accounts are not affected', async () => {
    for (let guess = 1; guess <= 10; guess += 1) {
      expect((await attempt(demoLogins.secondMember, `guess-${guess}`, `203.0.113.${guess}`)).status).toBe(401);
    }
    const blocked = await attempt(`  ${demoLogins.secondMember.toUpperCase()} `, demoPassword, '203.0.113.77');
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Слишком много неудачных попыток входа');
    expect((await attempt(demoLogins.mentor, demoPassword, '203.0.113.78')).status).toBe(303);
  });
});

describe('sign-in events in the audit log', () => {
  it('records logins, failed logins and logouts, without the address typed for an unknown account', async () => {
    const { prisma } = portal.database;
    const chair = await prisma.user.findUniqueOrThrow({ where: { email: demoLogins.chair } });
    expect((await attempt(demoLogins.chair, 'not-the-password', '198.51.100.1')).status).toBe(401);
    expect((await attempt('stranger@example.kz', 'whatever', '198.51.100.2')).status).toBe(401);
    const agent = await loginAs(portal.app, 'chair');
    const token = csrfTokenIn((await agent.get('/committee')).text);
    await agent.post('/logout').type('form').send({ _csrf: token }).expect(303);

    const entries = await prisma.auditLogEntry.findMany({ where: { action: { startsWith: 'auth.' } }, orderBy: { id: 'asc' } });
    const chairEntries = entries.filter((entry) => entry.entityId === String(chair.id)).map((entry) => entry.action);
    expect(chairEntries).toEqual(['auth.login_failed', 'auth.login', 'auth.logout']);
    const unknown = entries.find((entry) => entry.entityId === 'unknown');
    expect(unknown?.action).toBe('auth.login_failed');
    expect(JSON.stringify(entries.map(({ details, entityId }) => ({ details, entityId })))).not.toContain('stranger@example.kz');
  });
});

describe('behind a proxy', () => {
  it('listens on 127.0.0.1 by default, so that nobody reaches the portal past the proxy', () => {
    expect(loadConfig({ TRUST_PROXY_HOPS: '1' }).host).toBe('127.0.0.1');
    expect(loadConfig({}).host).toBe('0.0.0.0');
    expect(loadConfig({ TRUST_PROXY_HOPS: '1', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });
});

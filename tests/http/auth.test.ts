import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { buildTestApp, csrfTokenIn, demoLogins, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '50' } });
  database = portal.database;
});
afterAll(async () => {
  await portal.close();
});

function sessionCookie(response: supertest.Response): string | undefined {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  return cookies.find((cookie) => cookie.startsWith('zhas.sid='))?.split(';')[0];
}

describe('GET /login', () => {
  it('shows labelled fields and a CSRF token', async () => {
    const response = await supertest(portal.app).get('/login').expect(200);
    expect(response.text).toContain('<label for="email">');
    expect(response.text).toContain('<label for="password">');
    expect(csrfTokenIn(response.text)).toMatch(/^[a-f0-9]{32,}$/);
  });
});

describe('POST /login', () => {
  it.each([
    ['coordinator', '/admin', 'Кабинет координатора'],
    ['chair', '/committee', 'Кабинет комиссии'],
    ['member', '/committee', 'Кабинет комиссии'],
    ['mentor', '/mentor', 'Кабинет ментора'],
  ] as const)('lands the %s on %s', async (role, path, heading) => {
    const agent = await loginAs(portal.app, role);
    const landing = await agent.get('/dashboard').expect(303);
    expect(landing.headers.location).toBe(path);
    const page = await agent.get(path).expect(200);
    expect(page.text).toContain(heading);
    expect(page.text).toContain('Вы вошли в личный кабинет.');
  });

  it('refuses a wrong password with a clear message and keeps the e-mail', async () => {
    const agent = supertest.agent(portal.app);
    const token = csrfTokenIn((await agent.get('/login')).text);
    const response = await agent.post('/login').type('form').send({ email: demoLogins.mentor, password: 'wrong', _csrf: token }).expect(401);
    expect(response.text).toContain('Неверная почта или пароль.');
    expect(response.text).toContain(`value="${demoLogins.mentor}"`);
  });

  it('explains an empty or malformed e-mail next to the field', async () => {
    const agent = supertest.agent(portal.app);
    const token = csrfTokenIn((await agent.get('/login?lang=en')).text);
    const response = await agent.post('/login').type('form').send({ email: 'not-an-email', password: '', _csrf: token }).expect(422);
    expect(response.text).toContain('id="email-error"');
    expect(response.text).toContain('Enter an e-mail address like name@example.kz.');
    expect(response.text).toContain('Enter your password.');
  });

  it('refuses a post without a CSRF token', async () => {
    const response = await supertest(portal.app).post('/login').type('form').send({ email: demoLogins.mentor, password: demoPassword }).expect(403);
    expect(response.text).toContain('Форма устарела');
  });

  it('writes no session for a visitor who only reads the login page (its CSRF token is a signed cookie)', async () => {
    const before = await database.prisma.session.count();
    for (let visit = 0; visit < 20; visit += 1) {
      const page = await supertest(portal.app).get('/login').expect(200);
      expect(sessionCookie(page)).toBeUndefined();
      expect(csrfTokenIn(page.text)).toBeTruthy();
    }
    expect(await database.prisma.session.count()).toBe(before);
  });

  it('gives a new session id at login (no session fixation) and keeps sessions in the database', async () => {
    const agent = supertest.agent(portal.app);
    // A visitor's session exists once something was posted: here a stale form sent back with its message.
    const stale = await agent.post('/login').set('Host', 'zhas.test').set('Referer', 'http://zhas.test/login').type('form').send({ email: demoLogins.chair, password: 'x', _csrf: 'stale' }).expect(303);
    const before = sessionCookie(stale);
    expect(before).toBeDefined();
    const loginPage = await agent.get('/login');
    const response = await agent.post('/login').type('form').send({ email: demoLogins.chair, password: demoPassword, _csrf: csrfTokenIn(loginPage.text) }).expect(303);
    const after = sessionCookie(response);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(await database.prisma.session.count()).toBeGreaterThan(0);
  });

  it('returns to the page the visitor asked for, but only on this site', async () => {
    const agent = supertest.agent(portal.app);
    const loginPage = await agent.get('/login?next=%2Fcommittee');
    expect(loginPage.text).toContain('name="next" value="/committee"');
    const response = await agent.post('/login').type('form').send({ email: demoLogins.member, password: demoPassword, next: '//evil.example', _csrf: csrfTokenIn(loginPage.text) }).expect(303);
    expect(response.headers.location).toBe('/committee');
  });

  it('refuses a deactivated account', async () => {
    await database.prisma.user.update({ where: { email: demoLogins.otherRegionMember }, data: { isActive: false } });
    const agent = supertest.agent(portal.app);
    const token = csrfTokenIn((await agent.get('/login')).text);
    await agent.post('/login').type('form').send({ email: demoLogins.otherRegionMember, password: demoPassword, _csrf: token }).expect(401);
    await database.prisma.user.update({ where: { email: demoLogins.otherRegionMember }, data: { isActive: true } });
  });
});

describe('login rate limit', () => {
  it('stops guessing after the configured number of failures, with a clear message', async () => {
    const limited = await buildTestApp(database, { LOGIN_RATE_LIMIT_PER_15_MIN: '3' });
    const agent = supertest.agent(limited.app);
    const token = csrfTokenIn((await agent.get('/login')).text);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await agent.post('/login').type('form').send({ email: demoLogins.mentor, password: `guess-${attempt}`, _csrf: token }).expect(401);
    }
    const blocked = await agent.post('/login').type('form').send({ email: demoLogins.mentor, password: demoPassword, _csrf: token }).expect(429);
    expect(blocked.text).toContain('Слишком много неудачных попыток входа');
    await limited.stop();
  });
});

describe('session expiry', () => {
  it('is pushed forward at most every few minutes, not written on every page view', async () => {
    const agent = await loginAs(portal.app, 'member');
    await agent.get('/committee').expect(200);
    const user = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.member } });
    const sessionOf = async () => (await database.prisma.session.findMany({ where: { data: { contains: `"user":${user.id}` } }, orderBy: { expiresAt: 'desc' } }))[0];
    const afterFirstView = (await sessionOf()).expiresAt.getTime();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await agent.get('/committee').expect(200);
    await agent.get('/committee/applications').expect(200);
    expect((await sessionOf()).expiresAt.getTime()).toBe(afterFirstView);
  });
});

describe('login slow-down', () => {
  it('makes each failed attempt after the third wait longer', async () => {
    const slowed = await buildTestApp(database, { LOGIN_RATE_LIMIT_PER_15_MIN: '50', LOGIN_SLOWDOWN_MS: '300' });
    const agent = supertest.agent(slowed.app);
    const token = csrfTokenIn((await agent.get('/login')).text);
    const attempt = async () => {
      const started = Date.now();
      await agent.post('/login').type('form').send({ email: demoLogins.mentor, password: 'wrong', _csrf: token }).expect(401);
      return Date.now() - started;
    };
    for (let index = 0; index < 3; index += 1) await attempt();
    expect(await attempt()).toBeGreaterThanOrEqual(280);
    expect(await attempt()).toBeGreaterThanOrEqual(580);
    await slowed.stop();
  });
});

describe('POST /logout', () => {
  it('ends the session', async () => {
    const agent = await loginAs(portal.app, 'mentor');
    const page = await agent.get('/mentor').expect(200);
    await agent.post('/logout').type('form').send({ _csrf: csrfTokenIn(page.text) }).expect(303).expect('Location', '/');
    await agent.get('/mentor').expect(303).expect('Location', '/login?next=%2Fmentor');
  });
});

describe('role guards', () => {
  const protectedPages = ['/admin', '/committee', '/mentor', '/dashboard'];

  it.each(protectedPages)('sends a visitor from %s to the login page', async (path) => {
    const response = await supertest(portal.app).get(path).expect(303);
    expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
  });

  it.each([
    ['mentor', '/committee'],
    ['mentor', '/admin'],
    ['member', '/admin'],
    ['member', '/mentor'],
    ['coordinator', '/mentor'],
  ] as const)('answers 403 to the %s on %s', async (role, path) => {
    const agent = await loginAs(portal.app, role);
    const response = await agent.get(path).expect(403);
    expect(response.text).toContain('Нет доступа');
  });
});

describe('landing pages show the role\'s own data', () => {
  it('committee member sees only their region', async () => {
    const agent = await loginAs(portal.app, 'member');
    const page = await agent.get('/committee').expect(200);
    expect(page.text).toContain('город Астана');
    expect(page.text).not.toContain('город Алматы');
  });

  it('mentor sees the assigned groups and the month states', async () => {
    const agent = await loginAs(portal.app, 'mentor');
    const page = await agent.get('/mentor').expect(200);
    for (const name of ['Жастар үні', 'Eco Steppe', 'Көмек']) expect(page.text).toContain(name);
    expect(page.text).toContain('протокол сдан');
    expect(page.text).toContain('нужен протокол в этом месяце');
  });
});

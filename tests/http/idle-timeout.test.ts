import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, startTestPortal, demoLogins, type DemoRole, type TestPortal } from '../helpers/test-app.ts';

let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { STAFF_IDLE_TIMEOUT_MINUTES: '30' } });
});
afterAll(async () => {
  await portal.close();
});

/** Moves the last activity of every session of this account `minutes` into the past, as if idle. */
async function idleFor(role: DemoRole, minutes: number) {
  const user = await portal.database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins[role] } });
  const sessions = await portal.database.prisma.session.findMany({ where: { data: { contains: `"passport":{"user":${user.id}}` } } });
  expect(sessions.length).toBeGreaterThan(0);
  for (const session of sessions) {
    const data = JSON.parse(session.data);
    data.lastActivityAt = Date.now() - minutes * 60_000;
    await portal.database.prisma.session.update({ where: { id: session.id }, data: { data: JSON.stringify(data) } });
  }
}

async function lastActivityOf(role: DemoRole): Promise<number> {
  const user = await portal.database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins[role] } });
  const session = await portal.database.prisma.session.findFirstOrThrow({ where: { data: { contains: `"passport":{"user":${user.id}}` } } });
  return JSON.parse(session.data).lastActivityAt;
}

describe('staff are signed out after 30 minutes without activity (STAFF_IDLE_TIMEOUT_MINUTES)', () => {
  it('tells the page the timeout, so that it can warn first', async () => {
    const chair = await loginAs(portal.app, 'chair');
    const page = await chair.get('/committee').expect(200);
    expect(page.text).toContain('data-idle-timeout-seconds="1800"');
    expect(page.text).toContain('/static/js/idle-warning.js');
  });

  it('keeps a chair signed in at 29 minutes, signs her out at 31 and brings her back to the page after signing in', async () => {
    const chair = await loginAs(portal.app, 'chair');
    await chair.get('/committee').expect(200);
    await idleFor('chair', 29);
    await chair.get('/committee/applications').expect(200);
    await idleFor('chair', 31);
    const out = await chair.get('/committee/applications?region=1').expect(303);
    expect(out.headers.location).toBe(`/login?next=${encodeURIComponent('/committee/applications?region=1')}`);
    const login = await chair.get(out.headers.location).expect(200);
    expect(login.text).toContain('Вы вышли из кабинета после долгого бездействия');
    expect((await chair.get('/committee').expect(303)).headers.location).toMatch(/^\/login/);
  });

  it('sends a form posted after the timeout back through the sign-in to its page, marked for recovery', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const form = await coordinator.get('/admin/regions/new').expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await idleFor('coordinator', 45);
    const sent = await coordinator.post('/admin/regions').set('Referer', 'http://127.0.0.1/admin/regions/new').type('form').send({ _csrf: token, code: 'TEST' }).expect(303);
    expect(sent.headers.location).toBe(`/login?next=${encodeURIComponent('/admin/regions/new?recovered=1')}`);
  });

  it('"Stay signed in" (the keep-alive) counts as activity', async () => {
    const member = await loginAs(portal.app, 'member');
    const page = await member.get('/committee').expect(200);
    const token = /data-keepalive-token="([^"]+)"/.exec(page.text)![1];
    await idleFor('member', 25);
    await member.post('/session/keepalive').set('X-CSRF-Token', token).expect(204);
    expect(Date.now() - (await lastActivityOf('member'))).toBeLessThan(60_000);
  });

  it('leaves mentors alone (their typing keeps their session, and there is no idle timeout for them)', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const page = await mentor.get('/mentor').expect(200);
    expect(page.text).not.toContain('data-idle-timeout-seconds');
    const visitor = await supertest(portal.app).get('/').expect(200);
    expect(visitor.text).not.toContain('data-idle-timeout-seconds');
  });
});

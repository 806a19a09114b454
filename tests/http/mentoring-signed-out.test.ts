import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { monthParam } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { csrfTokenIn, demoLogins, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let groupIds: number[];

const currentMonth = monthStartOf(new Date());
const protocolPath = (groupId: number) => `/mentor/groups/${groupId}/protocols/${monthParam(currentMonth)}`;
const host = 'portal.test';

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  const mentor = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.mentor } });
  groupIds = (await database.prisma.youthGroup.findMany({ where: { mentorId: mentor.id }, orderBy: { name: 'asc' }, select: { id: true } })).map((group) => group.id);
});
afterAll(async () => {
  await portal.close();
});

/** The session in the store is gone, as after the idle timeout; the browser still sends its cookie. */
async function expireSessionOf(agent: supertest.Agent, page: supertest.Response) {
  const cookie = String(page.headers['set-cookie'] ?? '') || '';
  const sid = /zhas\.sid=s%3A([^.;]+)/.exec(cookie)?.[1];
  if (sid) await database.prisma.session.deleteMany({ where: { sid } });
  else await database.prisma.session.deleteMany({});
  void agent;
}

/** The hidden fields of the page's form, as the browser sends them (the token, the version, …). */
function hiddenFieldsOf(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((match) => [match[1], match[2]]));
}

const typed = {
  place: 'https://us02web.zoom.us/j/81234567890',
  issuesRaised: 'Полчаса писала о том, как группа делит бюджет на закупки и аренду зала.',
  solutions: 'Договорились, что Алия собирает три предложения по аренде.',
  nextSteps: '',
  notes: 'Всё это не должно пропасть',
};

describe('a protocol sent after the session expired', () => {
  it('comes back, filled in, after signing in again, with a line saying she had been signed out', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const path = protocolPath(groupIds[0]);
    const page = await mentor.get(path).expect(200);
    await expireSessionOf(mentor, page);

    const posted = await mentor.post(path).set('Host', host).set('Referer', `http://${host}${path}`).type('form')
      .send({ ...hiddenFieldsOf(page.text), action: 'draft', ...typed });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    expect(await database.prisma.sessionProtocol.count({ where: { groupId: groupIds[0], month: currentMonth, issuesRaised: typed.issuesRaised } })).toBe(0);

    const loginPage = await mentor.get(posted.headers.location).expect(200);
    expect(loginPage.text).toContain('Вы вышли из портала: сессия истекла. Войдите снова — введённый текст сохранён и вернётся в форму.');
    const loggedIn = await mentor.post('/login').type('form').send({ email: demoLogins.mentor, password: demoPassword, next: path, _csrf: csrfTokenIn(loginPage.text) }).expect(303);
    expect(loggedIn.headers.location).toBe(path);

    const back = await mentor.get(path).expect(200);
    expect(back.text).toContain('Вы выходили из портала, пока писали протокол. Ваш текст вернулся в форму — проверьте его и сохраните.');
    expect(back.text).toContain(`${typed.issuesRaised}</textarea>`);
    expect(back.text).toContain(`${typed.solutions}</textarea>`);
    expect(back.text).toContain(`${typed.notes}</textarea>`);
    expect(back.text).toContain(`value="${typed.place}"`);
    expect(back.headers['cache-control']).toContain('no-store');

    // Saving it puts it in the database and the kept copy is forgotten.
    const saved = await mentor.post(path).type('form').send({ _csrf: csrfTokenIn(back.text), version: /name="version" value="([^"]*)"/.exec(back.text)![1], action: 'draft', ...typed }).expect(303);
    expect(saved.headers.location).toBe(path);
    expect((await database.prisma.sessionProtocol.findUniqueOrThrow({ where: { groupId_month: { groupId: groupIds[0], month: currentMonth } } })).issuesRaised).toBe(typed.issuesRaised);
    const again = await mentor.get(path).expect(200);
    expect(again.text).not.toContain('Вы выходили из портала');
  });

  it('also works for a browser with no session at all (a new agent), and only for the page it was sent to', async () => {
    const path = protocolPath(groupIds[1]);
    const visitor = supertest.agent(portal.app);
    const posted = await visitor.post(path).set('Host', host).set('Origin', `http://${host}`).type('form').send({ _csrf: 'from-an-old-tab', _keepWhenSignedOut: '1', version: '', action: 'submit', ...typed, notes: 'вторая группа' });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    const loginPage = await visitor.get(posted.headers.location).expect(200);
    await visitor.post('/login').type('form').send({ email: demoLogins.mentor, password: demoPassword, next: path, _csrf: csrfTokenIn(loginPage.text) }).expect(303);
    const other = await visitor.get(protocolPath(groupIds[0])).expect(200);
    expect(other.text).not.toContain('вторая группа');
    const back = await visitor.get(path).expect(200);
    expect(back.text).toContain('вторая группа</textarea>');
  });

  it('from another site keeps nothing and is refused as before', async () => {
    const path = protocolPath(groupIds[2]);
    const visitor = supertest.agent(portal.app);
    await visitor.post(path).set('Host', host).set('Origin', 'http://evil.example').type('form').send({ _csrf: 'x', _keepWhenSignedOut: '1', action: 'draft', issuesRaised: 'подброшенный текст' }).expect(403);
    await visitor.post(path).set('Host', host).set('Referer', 'http://evil.example/page').type('form').send({ _csrf: 'x', _keepWhenSignedOut: '1', action: 'draft', issuesRaised: 'подброшенный текст' }).expect(403);
    const loginPage = await visitor.get(`/login?next=${encodeURIComponent(path)}`).expect(200);
    await visitor.post('/login').type('form').send({ email: demoLogins.mentor, password: demoPassword, next: path, _csrf: csrfTokenIn(loginPage.text) }).expect(303);
    const page = await visitor.get(path).expect(200);
    expect(page.text).not.toContain('подброшенный текст');
  });

  it('leaves other forms sent with a stale token as they were (back to their page, refilled by the browser)', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const response = await coordinator.post('/admin/regions').set('Host', host).set('Referer', `http://${host}/admin/regions/new`).type('form').send({ _csrf: 'stale', code: 'X' }).expect(303);
    expect(response.headers.location).toBe('/admin/regions/new?recovered=1');
  });
});

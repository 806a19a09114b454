import { generate } from 'otplib';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { csrfTokenIn, demoLogins, loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { REQUIRE_TWO_FACTOR_ROLES: 'COORDINATOR,COMMITTEE', LOGIN_SLOWDOWN_MS: '0' } });
});
afterAll(async () => {
  await portal.close();
});

/** Signs in with the password only; returns the agent and where the portal sent it. */
async function passwordStep(email: string) {
  const agent = supertest.agent(portal.app);
  const token = csrfTokenIn((await agent.get('/login')).text);
  const response = await agent.post('/login').type('form').send({ email, password: demoPassword, _csrf: token }).expect(303);
  return { agent, location: response.headers.location as string };
}

const codeStep = (agent: supertest.Agent, code: string) => postForm(agent, '/login/second-factor', { code }, { tokenFrom: '/login/second-factor' });

/** Sets up the second factor through its page, as a person would with an app; returns the secret and codes. */
async function setUp(agent: supertest.Agent) {
  const page = await agent.get('/account/two-factor').expect(200);
  expect(page.headers['cache-control']).toContain('no-store');
  expect(page.text).toMatch(/<img class="qr-code" src="data:image\/png;base64,/);
  const secret = /<code class="totp-secret"[^>]*>([A-Z2-7 ]+)<\/code>/.exec(page.text)![1].replace(/ /g, '');
  const wrong = await postForm(agent, '/account/two-factor', { code: '000000' }, { tokenFrom: '/account/two-factor' }).expect(422);
  expect(wrong.text).toContain('Код не подошёл');
  const done = await postForm(agent, '/account/two-factor', { code: await generate({ secret }) }, { tokenFrom: '/account/two-factor' }).expect(200);
  const codes = [...done.text.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((match) => match[1]);
  return { secret, codes };
}

describe('two-factor sign-in for staff (REQUIRE_TWO_FACTOR_ROLES)', () => {
  it('sends a chair without a second factor to its set-up from every page, then shows ten recovery codes stored hashed', async () => {
    const { agent, location } = await passwordStep(demoLogins.chair);
    expect(location).toBe('/committee');
    expect((await agent.get('/committee').expect(303)).headers.location).toBe('/account/two-factor');
    expect((await agent.get('/committee/applications').expect(303)).headers.location).toBe('/account/two-factor');
    const { codes } = await setUp(agent);
    expect(codes).toHaveLength(10);
    await agent.get('/committee').expect(200);

    const chair = await portal.database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.chair }, include: { recoveryCodes: true } });
    expect(chair.totpEnabledAt).not.toBeNull();
    expect(chair.recoveryCodes).toHaveLength(10);
    for (const code of codes) expect(JSON.stringify(chair.recoveryCodes)).not.toContain(code);
    expect(await portal.database.prisma.auditLogEntry.count({ where: { action: 'auth.two_factor_enabled', entityId: String(chair.id) } })).toBe(1);
  });

  it('asks for a code after the password; no page opens before it; a wrong or replayed code is refused; a recovery code works once', async () => {
    const first = await passwordStep(demoLogins.member);
    const { secret, codes } = await setUp(first.agent);

    const { agent, location } = await passwordStep(demoLogins.member);
    expect(location).toBe('/login/second-factor');
    expect((await agent.get('/committee').expect(303)).headers.location).toMatch(/^\/login/);
    const wrong = await codeStep(agent, '123456').expect(401);
    expect(wrong.text).toContain('Код не подошёл');
    const code = await generate({ secret });
    expect((await codeStep(agent, code).expect(303)).headers.location).toBe('/committee');
    await agent.get('/committee').expect(200);

    // The same code again, in a second sign-in: good once only.
    const replay = await passwordStep(demoLogins.member);
    await codeStep(replay.agent, code).expect(401);

    const withRecovery = await passwordStep(demoLogins.member);
    await codeStep(withRecovery.agent, codes[0].toUpperCase()).expect(303);
    const again = await passwordStep(demoLogins.member);
    await codeStep(again.agent, codes[0]).expect(401);
    const member = await portal.database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.member } });
    const actions = (await portal.database.prisma.auditLogEntry.findMany({ where: { entityId: String(member.id), action: { startsWith: 'auth.two_factor' } } })).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.two_factor_failed', 'auth.two_factor_passed', 'auth.two_factor_recovery_code_used']));
  });

  it('lets the coordinator reset a member\'s second factor: audited, the member\'s sessions end, set-up again at the next sign-in', async () => {
    const member = await passwordStep(demoLogins.secondMember);
    await setUp(member.agent);
    await member.agent.get('/committee').expect(200);

    const coordinator = await passwordStep(demoLogins.coordinator);
    await setUp(coordinator.agent);
    const user = await portal.database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.secondMember } });
    const page = await coordinator.agent.get(`/admin/users/${user.id}`).expect(200);
    expect(page.text).toContain(`/admin/users/${user.id}/two-factor/reset`);
    await postForm(coordinator.agent, `/admin/users/${user.id}/two-factor/reset`, {}, { tokenFrom: `/admin/users/${user.id}` }).expect(303);

    expect((await member.agent.get('/committee').expect(303)).headers.location).toMatch(/^\/login/);
    const next = await passwordStep(demoLogins.secondMember);
    expect((await next.agent.get('/committee').expect(303)).headers.location).toBe('/account/two-factor');
    expect(await portal.database.prisma.auditLogEntry.count({ where: { action: 'auth.two_factor_reset', entityId: String(user.id) } })).toBe(1);
  });

  it('leaves roles not listed to sign in with the password alone', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    await mentor.get('/mentor').expect(200);
  });

  it('is on for coordinators and the committee in production by default, optional elsewhere', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), BASE_URL: 'https://mentors.zhas.kz', DOCUMENT_ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' };
    expect(loadConfig(production).requireTwoFactorRoles).toEqual(['COORDINATOR', 'COMMITTEE']);
    expect(loadConfig({ ...production, REQUIRE_TWO_FACTOR_ROLES: 'none' }).requireTwoFactorRoles).toEqual([]);
    expect(loadConfig({}).requireTwoFactorRoles).toEqual([]);
    expect(() => loadConfig({ REQUIRE_TWO_FACTOR_ROLES: 'ADMIN' })).toThrow(/REQUIRE_TWO_FACTOR_ROLES/);
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createUserToken, hashUserToken } from '../../src/features/auth/invitation-tokens.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { csrfTokenIn, demoLogins, loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let coordinator: supertest.Agent;
let coordinatorId: number;

const baseUrl = 'https://mentors.example.kz';
const linkPattern = /https:\/\/mentors\.example\.kz\/account\/set-password\/([A-Za-z0-9_-]{43})/;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { BASE_URL: baseUrl, LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  coordinator = await loginAs(portal.app, 'coordinator');
  coordinatorId = (await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.coordinator } })).id;
});
afterAll(async () => {
  await portal.close();
});

async function userId(email: string): Promise<number> {
  return (await database.prisma.user.findUniqueOrThrow({ where: { email } })).id;
}

/** The set-password link in the latest e-mail to `to`. */
async function linkMailedTo(to: string, template?: string): Promise<{ token: string; path: string; text: string; html: string | null; locale: string }> {
  const email = await database.prisma.outboxEmail.findFirstOrThrow({ where: { toAddress: to, ...(template ? { template } : {}) }, orderBy: { id: 'desc' } });
  const match = linkPattern.exec(email.textBody);
  if (!match) throw new Error(`no set-password link in the e-mail to ${to}`);
  return { token: match[1], path: `/account/set-password/${match[1]}`, text: email.textBody, html: email.htmlBody, locale: email.locale };
}

/** Opens the set-password page in a fresh browser and submits the form. */
async function setPassword(path: string, password: string, confirmation = password) {
  const browser = supertest.agent(portal.app);
  const page = await browser.get(path);
  if (page.status !== 200) return { browser, page, response: page };
  const response = await browser.post(path).type('form').send({ _csrf: csrfTokenIn(page.text), password, passwordConfirmation: confirmation });
  return { browser, page, response };
}

async function logIn(email: string, password: string) {
  const browser = supertest.agent(portal.app);
  const page = await browser.get('/login');
  const response = await browser.post('/login').type('form').send({ email, password, _csrf: csrfTokenIn(page.text) });
  return { browser, response };
}

describe('GET /admin/users', () => {
  it('lists users with their role, regions, chair flag and state; filters by role and search', async () => {
    const page = await coordinator.get('/admin/users').expect(200);
    expect(page.text).toContain('Ержан Бекмуханов');
    expect(page.text).toContain('Член комиссии');
    expect(page.text).toContain('город Астана');
    expect(page.text).toContain('председатель');
    expect(page.text).toContain('Гульнара Жумабаева');

    const mentors = await coordinator.get('/admin/users?role=MENTOR').expect(200);
    expect(mentors.text).toContain('Гульнара Жумабаева');
    expect(mentors.text).not.toContain('Ержан Бекмуханов');

    const search = await coordinator.get('/admin/users?q=almaty').expect(200);
    expect(search.text).toContain('Марат Ким');
    expect(search.text).not.toContain('Гульнара Жумабаева');
  });
});

describe('inviting a committee member', () => {
  it('creates the user without a password, in the region, and puts an invitation with a one-time link in the outbox', async () => {
    const almaty = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ALMATY' } });
    const response = await postForm(coordinator, '/admin/users', { email: ' Aliya.Member@Example.KZ ', fullName: 'Алия Сейтова', role: 'COMMITTEE', locale: 'kk', regionId: String(almaty.id), isChair: 'yes' });
    expect(response.status).toBe(303);
    const user = await database.prisma.user.findUniqueOrThrow({ where: { email: 'aliya.member@example.kz' }, include: { memberships: true, tokens: true } });
    expect(response.headers.location).toBe(`/admin/users/${user.id}`);
    expect(user.passwordHash).toBeNull();
    expect(user.role).toBe('COMMITTEE');
    expect(user.locale).toBe('kk');
    expect(user.memberships).toEqual([expect.objectContaining({ regionId: almaty.id, isChair: true })]);
    expect(user.tokens).toHaveLength(1);
    expect(user.tokens[0].purpose).toBe('INVITATION');

    const mail = await linkMailedTo('aliya.member@example.kz', 'invitation');
    expect(mail.locale).toBe('kk');
    expect(mail.text).toContain('іріктеу комиссиясы мүшесінің рөлімен');
    expect(mail.html).toContain(`href="${baseUrl}/account/set-password/${mail.token}"`);
    // Only the hash of the token is stored; no password is ever in an e-mail.
    expect(user.tokens[0].tokenHash).toBe(hashUserToken(mail.token));
    expect(user.tokens[0].tokenHash).not.toContain(mail.token);
    expect(mail.text).not.toMatch(/пароль:|құпиясөз:\s*\S/i);
    expect(user.tokens[0].expiresAt.getTime() - user.tokens[0].createdAt.getTime()).toBe(7 * 24 * 3_600_000);

    const audit = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { action: 'user.invited', entityId: String(user.id) } });
    expect(audit.actorId).toBe(coordinatorId);
    expect(audit.details).toMatchObject({ email: 'aliya.member@example.kz', role: 'COMMITTEE', regionId: almaty.id, isChair: true });

    const page = await coordinator.get(`/admin/users/${user.id}`).expect(200);
    expect(page.text).toContain('Пользователь создан');
    expect(page.text).toContain('пароль ещё не задан');
  });

  it('lets the invitee set a password once, logs them in on their landing page, and then refuses the link', async () => {
    const { path } = await linkMailedTo('aliya.member@example.kz', 'invitation');

    const form = await supertest(portal.app).get(path).expect(200);
    expect(form.text).toContain('Алия Сейтова');
    expect(form.text).toContain('<label for="password">');
    expect(form.text).toContain('autocomplete="new-password"');
    expect(form.headers['cache-control']).toContain('no-store');

    const tooShort = await setPassword(path, 'short1');
    expect(tooShort.response.status).toBe(422);
    expect(tooShort.response.text).toContain('id="password-error"');
    expect(tooShort.response.text).toContain('Пароль слишком короткий: нужно не меньше 10 символов.');

    // Ten a's and the world's common passwords are long enough but guessed at once (zxcvbn): refused, saying why.
    for (const [weak, message] of [
      ['aaaaaaaaaa', 'Повторы вроде «aaaaaa» легко подобрать.'],
      ['qwertyuiop', 'Это один из самых частых паролей.'],
      ['password1234', 'Пароль похож на распространённый'],
    ]) {
      const refused = await setPassword(path, weak);
      expect(refused.response.status, weak).toBe(422);
      expect(refused.response.text).toContain('id="password-error"');
      expect(refused.response.text).toContain(message);
    }
    expect((await database.prisma.user.findUniqueOrThrow({ where: { email: 'aliya.member@example.kz' } })).passwordHash).toBeNull();

    const mismatch = await setPassword(path, 'steppe-horizon-2027', 'steppe-horizon-2028');
    expect(mismatch.response.status).toBe(422);
    expect(mismatch.response.text).toContain('Пароли не совпадают.');

    const { browser, response } = await setPassword(path, 'steppe-horizon-2027');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/committee');
    const committee = await browser.get('/committee').expect(200);
    expect(committee.text).toContain('Алия Сейтова');
    expect(committee.text).toContain('город Алматы');
    expect(committee.text).toContain('Пароль сохранён, вы вошли в личный кабинет.');

    const user = await database.prisma.user.findUniqueOrThrow({ where: { email: 'aliya.member@example.kz' }, include: { tokens: true } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.tokens[0].usedAt).not.toBeNull();
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'user.password_set', entityId: String(user.id) } })).toBe(1);

    // The link works once.
    const again = await supertest(portal.app).get(path);
    expect(again.status).toBe(404);
    expect(again.text).toContain('Ссылка не действует');
    // Even with a valid form token (from another page), a used link sets nothing.
    const stranger = supertest.agent(portal.app);
    const formToken = csrfTokenIn((await stranger.get('/login')).text);
    const reuse = await stranger.post(path).type('form').send({ _csrf: formToken, password: 'another-password-1', passwordConfirmation: 'another-password-1' });
    expect(reuse.status).toBe(404);
    expect(reuse.text).toContain('Ссылка не действует');
    expect((await stranger.get('/committee')).status).toBe(303);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(user.passwordHash);
    // The new password works at the login page.
    expect((await logIn('aliya.member@example.kz', 'steppe-horizon-2027')).response.status).toBe(303);
  });

  it('refuses an expired, a made-up and a deactivated user\'s link with the same page', async () => {
    const user = await database.prisma.user.create({ data: { email: 'expired@example.kz', fullName: 'Срок Истёк', role: 'COMMITTEE' } });
    const expired = await createUserToken(database.prisma, user.id, 'INVITATION', 1, new Date(Date.now() - 2 * 3_600_000));
    const expiredPage = await supertest(portal.app).get(`/account/set-password/${expired}`);
    const madeUp = await supertest(portal.app).get(`/account/set-password/${'A'.repeat(43)}`);
    const garbage = await supertest(portal.app).get('/account/set-password/not-a-token');
    for (const page of [expiredPage, madeUp, garbage]) {
      expect(page.status).toBe(404);
      expect(page.text).toContain('Эта ссылка неверна, уже использована или срок её действия истёк.');
      expect(page.text).not.toContain('Срок Истёк');
    }

    const valid = await createUserToken(database.prisma, user.id, 'INVITATION', 24);
    await database.prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    const inactive = await setPassword(`/account/set-password/${valid}`, 'long-enough-password');
    expect(inactive.page.status).toBe(404);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();
  });

  it('a newer link replaces the older one', async () => {
    const user = await database.prisma.user.create({ data: { email: 'twice@example.kz', fullName: 'Дважды Приглашённый', role: 'COMMITTEE' } });
    const first = await createUserToken(database.prisma, user.id, 'INVITATION', 24);
    const second = await createUserToken(database.prisma, user.id, 'INVITATION', 24);
    expect((await supertest(portal.app).get(`/account/set-password/${first}`)).status).toBe(404);
    expect((await supertest(portal.app).get(`/account/set-password/${second}`)).status).toBe(200);
  });

  it('explains a taken e-mail, a bad e-mail and a missing role, keeping the values', async () => {
    const before = await database.prisma.user.count();
    const taken = await postForm(coordinator, '/admin/users', { email: demoLogins.chair.toUpperCase(), fullName: 'Дубль', role: 'COMMITTEE', locale: 'ru' });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('id="email-error"');
    expect(taken.text).toContain('Пользователь с такой почтой уже есть.');
    expect(taken.text).toContain('value="Дубль"');

    const bad = await postForm(coordinator, '/admin/users', { email: 'not-an-address', fullName: '', locale: 'ru' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Введите адрес электронной почты в формате name@example.kz.');
    expect(bad.text).toContain('id="fullName-error"');
    expect(bad.text).toContain('Выберите роль: член комиссии или координатор.');

    const mentor = await postForm(coordinator, '/admin/users', { email: 'new.mentor@example.kz', fullName: 'Ментор', role: 'MENTOR', locale: 'ru' });
    expect(mentor.status).toBe(422);
    expect(await database.prisma.user.count()).toBe(before);
    expect(await database.prisma.outboxEmail.count({ where: { toAddress: 'new.mentor@example.kz' } })).toBe(0);
  });

  it('invites a coordinator, in English, who lands on /admin', async () => {
    await postForm(coordinator, '/admin/users', { email: 'second.coordinator@example.kz', fullName: 'Dana Coordinator', role: 'COORDINATOR', locale: 'en' }).expect(303);
    const mail = await linkMailedTo('second.coordinator@example.kz', 'invitation');
    expect(mail.text).toContain('as a coordinator');
    const { response } = await setPassword(mail.path, 'coordinating-is-fun');
    expect(response.headers.location).toBe('/admin');
  });
});

describe('deactivation and reactivation', () => {
  it('ends the deactivated user\'s current session on the next request and refuses their login', async () => {
    const member = await loginAs(portal.app, 'otherRegionMember');
    await member.get('/committee').expect(200);
    const id = await userId(demoLogins.otherRegionMember);
    const pending = await createUserToken(database.prisma, id, 'PASSWORD_RESET', 24);

    await postForm(coordinator, `/admin/users/${id}/deactivate`, { confirmed: 'yes' }).expect(303);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id } })).isActive).toBe(false);

    const next = await member.get('/committee');
    expect(next.status).toBe(303);
    expect(next.headers.location).toMatch(/^\/login/);
    expect((await logIn(demoLogins.otherRegionMember, demoPassword)).response.status).toBe(401);
    // Links sent before no longer work either.
    expect((await supertest(portal.app).get(`/account/set-password/${pending}`)).status).toBe(404);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'user.deactivated', entityId: String(id) } })).toBe(1);

    const page = await coordinator.get(`/admin/users/${id}`).expect(200);
    expect(page.text).toContain('Учётная запись отключена');

    // Sending a link to a deactivated account is refused.
    await postForm(coordinator, `/admin/users/${id}/password-link`).expect(303);
    expect((await coordinator.get(`/admin/users/${id}`)).text).toContain('Сначала включите её');

    await postForm(coordinator, `/admin/users/${id}/reactivate`).expect(303);
    expect((await logIn(demoLogins.otherRegionMember, demoPassword)).response.status).toBe(303);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'user.reactivated', entityId: String(id) } })).toBe(1);
  });

  it('does not let the coordinator deactivate or demote themselves', async () => {
    await postForm(coordinator, `/admin/users/${coordinatorId}/deactivate`).expect(303);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: coordinatorId } })).isActive).toBe(true);
    expect((await coordinator.get(`/admin/users/${coordinatorId}`)).text).toContain('Свою учётную запись отключить нельзя.');

    const demote = await postForm(coordinator, `/admin/users/${coordinatorId}`, { fullName: 'Айгерим Сапарова', role: 'COMMITTEE', locale: 'ru' });
    expect(demote.status).toBe(422);
    expect(demote.text).toContain('Свою роль изменить нельзя');
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: coordinatorId } })).role).toBe('COORDINATOR');
  });
});

describe('a new set-password link (reset)', () => {
  it('e-mails a reset link to a user with a password; the new password replaces the old one', async () => {
    const id = await userId(demoLogins.mentor);
    // A session opened before the reset (say, a stolen cookie) must not survive it.
    const earlierSession = await loginAs(portal.app, 'mentor');
    await earlierSession.get('/mentor').expect(200);
    await postForm(coordinator, `/admin/users/${id}/password-link`).expect(303);
    expect((await coordinator.get(`/admin/users/${id}`)).text).toContain('Ссылка для нового пароля поставлена в очередь отправки.');
    const mail = await linkMailedTo(demoLogins.mentor, 'password-reset');
    expect(mail.text).not.toContain(demoPassword);
    const token = await database.prisma.userToken.findUniqueOrThrow({ where: { tokenHash: hashUserToken(mail.token) } });
    expect(token.purpose).toBe('PASSWORD_RESET');

    const form = await supertest(portal.app).get(mail.path).expect(200);
    expect(form.text).toContain('Придумайте новый пароль');
    const { response } = await setPassword(mail.path, 'a-brand-new-password');
    expect(response.headers.location).toBe('/mentor');
    await earlierSession.get('/mentor').expect(303);
    expect((await logIn(demoLogins.mentor, demoPassword)).response.status).toBe(401);
    expect((await logIn(demoLogins.mentor, 'a-brand-new-password')).response.status).toBe(303);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'user.password_link_sent', entityId: String(id) } })).toBe(1);
  });

  it('sends a fresh invitation instead to someone who never set a password', async () => {
    const user = await database.prisma.user.create({ data: { email: 'never.set@example.kz', fullName: 'Ещё Без Пароля', role: 'COMMITTEE' } });
    await postForm(coordinator, `/admin/users/${user.id}/password-link`).expect(303);
    await linkMailedTo('never.set@example.kz', 'invitation');
  });
});

describe('user details', () => {
  it('changes the name, language and role; making a member a coordinator drops their committee seats', async () => {
    const id = await userId('member2.astana@zhas.local');
    const response = await postForm(coordinator, `/admin/users/${id}`, { fullName: 'Асель Жаксыбекова-Нур', role: 'COORDINATOR', locale: 'kk' });
    expect(response.status).toBe(303);
    const user = await database.prisma.user.findUniqueOrThrow({ where: { id }, include: { memberships: true } });
    expect(user).toMatchObject({ fullName: 'Асель Жаксыбекова-Нур', role: 'COORDINATOR', locale: 'kk' });
    expect(user.memberships).toHaveLength(0);
    const audit = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { action: 'user.role_changed', entityId: String(id) } });
    expect(audit.details).toMatchObject({ changes: { role: { from: 'COMMITTEE', to: 'COORDINATOR' }, removedMemberships: [{ region: 'ASTANA', isChair: false }] } });
  });

  it('explains an empty name', async () => {
    const id = await userId(demoLogins.mentor);
    const response = await postForm(coordinator, `/admin/users/${id}`, { fullName: ' ', locale: 'ru' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('id="fullName-error"');
  });
});

describe('committee membership', () => {
  it('adds a member to Almaty, and the member sees Almaty on /committee at once', async () => {
    const member = await loginAs(portal.app, 'member');
    const id = await userId(demoLogins.member);
    const almaty = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ALMATY' } });
    expect((await member.get('/committee')).text).not.toContain('город Алматы');

    await postForm(coordinator, `/admin/users/${id}/memberships`, { regionId: String(almaty.id) }).expect(303);
    expect((await member.get('/committee')).text).toContain('город Алматы');
    const audit = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { action: 'membership.added', entityId: String(id) } });
    expect(audit.details).toEqual({ regionId: almaty.id, region: 'ALMATY', isChair: false });

    const duplicate = await postForm(coordinator, `/admin/users/${id}/memberships`, { regionId: String(almaty.id) });
    expect(duplicate.status).toBe(422);
    expect(duplicate.text).toContain('Пользователь уже входит в комиссию этого региона.');
    const none = await postForm(coordinator, `/admin/users/${id}/memberships`, { regionId: '' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Выберите регион.');
  });

  it('toggles the chair flag and removes the membership', async () => {
    const member = await loginAs(portal.app, 'member');
    const id = await userId(demoLogins.member);
    const almaty = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ALMATY' } });
    await postForm(coordinator, `/admin/users/${id}/memberships/${almaty.id}/chair`, { isChair: 'yes' }).expect(303);
    expect((await database.prisma.committeeMembership.findUniqueOrThrow({ where: { userId_regionId: { userId: id, regionId: almaty.id } } })).isChair).toBe(true);
    expect((await database.prisma.auditLogEntry.findFirstOrThrow({ where: { action: 'membership.chair_changed', entityId: String(id) } })).details).toMatchObject({ isChair: true, region: 'ALMATY' });

    await postForm(coordinator, `/admin/users/${id}/memberships/${almaty.id}/chair`, { isChair: 'no' }).expect(303);
    expect((await database.prisma.committeeMembership.findUniqueOrThrow({ where: { userId_regionId: { userId: id, regionId: almaty.id } } })).isChair).toBe(false);

    await postForm(coordinator, `/admin/users/${id}/memberships/${almaty.id}/delete`).expect(303);
    expect(await database.prisma.committeeMembership.findUnique({ where: { userId_regionId: { userId: id, regionId: almaty.id } } })).toBeNull();
    expect((await member.get('/committee')).text).not.toContain('город Алматы');
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'membership.removed', entityId: String(id) } })).toBe(1);
  });

  it('refuses a committee seat for a mentor or coordinator', async () => {
    const id = await userId(demoLogins.mentor);
    const astana = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
    const response = await postForm(coordinator, `/admin/users/${id}/memberships`, { regionId: String(astana.id) });
    expect(response.status).toBe(422);
    expect(response.text).toContain('В комиссию можно включить только пользователя с ролью «Член комиссии».');
    expect(await database.prisma.committeeMembership.count({ where: { userId: id } })).toBe(0);
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { addMonths, calendarDateParam, monthParam, todayInProgramme } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { hashTestPassword } from '../helpers/demo-seed.ts';
import { csrfTokenIn, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let mentorId: number;
let groups: { id: number; name: string; participants: { id: number }[] }[];
let otherGroupId: number;

const now = new Date();
const currentMonth = monthStartOf(now);
const thisMonth = monthParam(currentMonth);
const today = calendarDateParam(todayInProgramme(now));
const baseUrl = 'https://mentors.example.kz';

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { BASE_URL: baseUrl, LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  const mentor = await database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' } });
  mentorId = mentor.id;
  groups = await database.prisma.youthGroup.findMany({ where: { mentorId }, orderBy: { name: 'asc' }, include: { participants: { orderBy: { id: 'asc' } } } });
  // A second mentor with a group of their own.
  const other = await database.prisma.user.create({ data: { email: 'other.mentor@zhas.local', fullName: 'Аскар Нуртаев', role: 'MENTOR', passwordHash: await hashTestPassword(demoPassword) } });
  const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ALMATY' } });
  otherGroupId = (await database.prisma.youthGroup.create({
    data: { name: 'Алматы жастары', regionId: region.id, projectTitle: 'Веломаршруты', hostOrganisationName: 'ОФ «Жол»', programmeStartMonth: addMonths(currentMonth, -1), mentorId: other.id },
  })).id;
});
afterAll(async () => {
  await portal.close();
});

async function loginAsOtherMentor() {
  const agent = supertest.agent(portal.app);
  const page = await agent.get('/login').expect(200);
  await agent.post('/login').type('form').send({ email: 'other.mentor@zhas.local', password: demoPassword, _csrf: csrfTokenIn(page.text) }).expect(303);
  return agent;
}

const protocolPath = (groupId: number, month = thisMonth) => `/mentor/groups/${groupId}/protocols/${month}`;

function completeProtocol(participantIds: number[], overrides: Record<string, string | string[]> = {}) {
  return {
    sessionDate: today,
    format: 'IN_PERSON',
    place: 'Астана, молодёжный центр «Жастар»',
    durationMinutes: '90',
    attendance: participantIds.map(String),
    issuesRaised: 'Как распределить бюджет проекта',
    solutions: 'Составили смету, назначили ответственного за закупки',
    nextSteps: 'Провести первую акцию в школе',
    notes: '',
    ...overrides,
  };
}

/** Opens the protocol page (for its CSRF token and version) and posts the form. */
async function postProtocol(agent: supertest.Agent, path: string, fields: Record<string, string | string[]>, action: 'draft' | 'submit', versionFrom?: string) {
  const page = await agent.get(path);
  const version = /name="version" value="([^"]*)"/.exec(versionFrom ?? page.text)?.[1] ?? '';
  return agent.post(path).type('form').send({ _csrf: csrfTokenIn(page.text), version, action, ...fields });
}

function protocolOf(groupId: number, month = currentMonth) {
  return database.prisma.sessionProtocol.findUnique({ where: { groupId_month: { groupId, month } }, include: { attendance: true } });
}

describe('who may open what', () => {
  it('sends a visitor to the login page', async () => {
    const response = await supertest(portal.app).get(protocolPath(groups[0].id)).expect(303);
    expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(protocolPath(groups[0].id))}`);
    await supertest(portal.app).get('/admin/compliance').expect(303);
  });

  it("answers 404 for another mentor's group, on reading and on writing", async () => {
    const other = await loginAsOtherMentor();
    await other.get(protocolPath(groups[0].id)).expect(404);
    const ownPage = await other.get(protocolPath(otherGroupId)).expect(200);
    await other.post(protocolPath(groups[0].id)).type('form').send({ _csrf: csrfTokenIn(ownPage.text), action: 'draft', issuesRaised: 'чужой' }).expect(404);
    expect(await protocolOf(groups[0].id)).toBeNull();
    const home = await other.get('/mentor').expect(200);
    expect(home.text).toContain('Алматы жастары');
    expect(home.text).not.toContain(groups[0].name);
  });

  it('keeps a mentor out of the coordinator pages (403) and a coordinator out of the mentor pages', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    for (const path of ['/admin/groups', '/admin/groups/import', '/admin/compliance', '/admin/compliance/export.xlsx', '/admin/trainings', '/admin/trainings/trainers']) {
      await mentor.get(path).expect(403);
    }
    const coordinator = await loginAs(portal.app, 'coordinator');
    await coordinator.get('/mentor').expect(403);
    await coordinator.get(protocolPath(groups[0].id)).expect(403);
  });

  it('answers 404 for a month outside the programme or a malformed one', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    await mentor.get(protocolPath(groups[0].id, monthParam(addMonths(currentMonth, -3)))).expect(404);
    await mentor.get(protocolPath(groups[0].id, '2026-13')).expect(404);
    await mentor.get(`/mentor/groups/abc/protocols/${thisMonth}`).expect(404);
  });

  it('does not take a protocol for a month that has not begun', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const future = protocolPath(groups[0].id, monthParam(addMonths(currentMonth, 1)));
    const page = await mentor.get(future).expect(200);
    expect(page.text).toContain('ещё не начался');
    expect(page.text).not.toContain('name="issuesRaised"');
    await mentor.post(future).type('form').send({ _csrf: csrfTokenIn(page.text), action: 'draft', issuesRaised: 'рано' }).expect(409);
  });
});

describe('the mentor home', () => {
  it("puts this month's action first, as a button per group", async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const home = await mentor.get('/mentor').expect(200);
    expect(home.text).toContain('Кабинет ментора');
    const firstAction = home.text.indexOf('class="button button-primary action-button"');
    const groupsHeading = home.text.indexOf('Мои группы и месяцы программы');
    expect(firstAction).toBeGreaterThan(-1);
    expect(firstAction).toBeLessThan(groupsHeading);
    expect(home.text).toContain(`href="${protocolPath(groups[0].id)}"`);
    expect(home.text).toContain('Написать протокол за');
    // The demo: a draft in the second programme month of the first group, nothing in the third group's first month.
    expect(home.text).toContain('Протоколы прошлых месяцев, которые ещё не сданы');
    expect(home.text).toContain('stylesheet" href="/static/css/mentoring.css"');
  });
});

describe('saving a draft and submitting', () => {
  it('saves a draft with some fields and keeps it editable', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[0];
    const response = await postProtocol(mentor, protocolPath(group.id), { issuesRaised: 'Первые идеи', attendance: [String(group.participants[0].id)] }, 'draft');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(protocolPath(group.id));
    const saved = await protocolOf(group.id);
    expect(saved).toMatchObject({ status: 'DRAFT', issuesRaised: 'Первые идеи', mentorId });
    expect(saved!.attendance.map((row) => row.participantId)).toEqual([group.participants[0].id]);
    const page = await mentor.get(protocolPath(group.id)).expect(200);
    expect(page.text).toContain('Черновик сохранён.');
    expect(page.text).toContain('Первые идеи</textarea>');
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'protocol.created', entityId: String(saved!.id) } })).toBe(1);
  });

  it('never loses typed text: a draft with invalid fields saves the rest and shows every value again', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[0];
    const outside = calendarDateParam(addMonths(currentMonth, -1));
    const response = await postProtocol(mentor, protocolPath(group.id), { sessionDate: outside, durationMinutes: 'полтора часа', issuesRaised: 'Длинное обсуждение бюджета', solutions: 'Решили спросить у акимата' }, 'draft');
    expect(response.status).toBe(422);
    expect(response.text).toContain('Черновик сохранён, кроме полей с ошибками');
    expect(response.text).toContain('Дата встречи должна быть в том месяце');
    expect(response.text).toContain('value="полтора часа"');
    expect(response.text).toContain(`value="${outside}"`);
    expect(response.text).toContain('Решили спросить у акимата</textarea>');
    const saved = await protocolOf(group.id);
    expect(saved).toMatchObject({ status: 'DRAFT', issuesRaised: 'Длинное обсуждение бюджета', solutions: 'Решили спросить у акимата', sessionDate: null, durationMinutes: null });
  });

  it('refuses to submit an incomplete protocol, names the missing fields and keeps the text as a draft', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[0];
    const response = await postProtocol(mentor, protocolPath(group.id), { issuesRaised: 'Только вопросы', solutions: '', nextSteps: '' }, 'submit');
    expect(response.status).toBe(422);
    expect(response.text).toContain('Протокол не сдан');
    for (const field of ['sessionDate', 'format', 'place', 'durationMinutes', 'attendance', 'solutions', 'nextSteps']) expect(response.text).toContain(`id="${field}-error"`);
    expect(response.text).toContain('Чтобы сдать протокол, заполните это поле.');
    expect((await protocolOf(group.id))).toMatchObject({ status: 'DRAFT', issuesRaised: 'Только вопросы' });
  });

  it('submits a complete protocol, which is then locked', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[0];
    const ids = group.participants.slice(0, 3).map((participant) => participant.id);
    const response = await postProtocol(mentor, protocolPath(group.id), completeProtocol(ids), 'submit');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/mentor');
    const saved = await protocolOf(group.id);
    expect(saved).toMatchObject({ status: 'SUBMITTED', format: 'IN_PERSON', durationMinutes: 90 });
    expect(saved!.submittedAt).toBeInstanceOf(Date);
    expect(saved!.attendance.map((row) => row.participantId).sort()).toEqual([...ids].sort());
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'protocol.submitted', entityId: String(saved!.id) } })).toBe(1);

    const home = await mentor.get('/mentor').expect(200);
    expect(home.text).toContain('Протокол сдан. Спасибо!');

    const page = await mentor.get(protocolPath(group.id)).expect(200);
    expect(page.text).toContain('Протокол сдан и закрыт для правки');
    expect(page.text).not.toContain('name="issuesRaised"');
    expect(page.text).toContain('присутствовали 3 из 4');

    const late = await mentor.post(protocolPath(group.id)).type('form').send({ _csrf: csrfTokenIn(page.text), version: '', action: 'draft', issuesRaised: 'Поздняя правка' }).expect(409);
    expect(late.text).toContain('уже сдан');
    expect(late.text).toContain('Поздняя правка'); // shown back to copy
    expect((await protocolOf(group.id))!.issuesRaised).toBe('Как распределить бюджет проекта');
  });

  it('has a printable version', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const print = await mentor.get(`${protocolPath(groups[0].id)}/print`).expect(200);
    expect(print.text).toContain('Протокол встречи ментора с молодёжной группой');
    expect(print.text).toContain('Как распределить бюджет проекта');
    expect(print.text).not.toContain('class="site-header"');
    // The one print stylesheet of every printable page (the application's confirmation uses it too).
    expect(print.text).toContain('href="/static/css/print.css" media="print"');
  });
});

describe('one protocol per group per month', () => {
  it('is enforced by the database', async () => {
    const group = groups[0];
    await expect(database.prisma.sessionProtocol.create({ data: { groupId: group.id, month: currentMonth, mentorId } })).rejects.toMatchObject({ code: 'P2002' });
  });

  it('answers two simultaneous first submissions with one protocol and a clear message', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[1];
    const page = await mentor.get(protocolPath(group.id)).expect(200);
    const token = csrfTokenIn(page.text);
    const fields = completeProtocol([group.participants[0].id]);
    const [first, second] = await Promise.all([
      mentor.post(protocolPath(group.id)).type('form').send({ _csrf: token, version: '', action: 'submit', ...fields, notes: 'первое окно' }),
      mentor.post(protocolPath(group.id)).type('form').send({ _csrf: token, version: '', action: 'submit', ...fields, notes: 'второе окно' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([303, 409]);
    const refused = first.status === 409 ? first : second;
    expect(refused.text).toContain('Протокол за этот месяц уже сдан');
    expect(await database.prisma.sessionProtocol.count({ where: { groupId: group.id, month: currentMonth } })).toBe(1);
  });

  it('does not let a stale window overwrite a newer save without saying so', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[2];
    const firstWindow = await mentor.get(protocolPath(group.id)).expect(200);
    await postProtocol(mentor, protocolPath(group.id), { issuesRaised: 'Версия из второго окна' }, 'draft').then((response) => expect(response.status).toBe(303));
    const stale = await postProtocol(mentor, protocolPath(group.id), { issuesRaised: 'Версия из первого окна' }, 'draft', firstWindow.text);
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Протокол изменился после того, как вы открыли страницу');
    expect(stale.text).toContain('Версия из первого окна</textarea>');
    expect((await protocolOf(group.id))!.issuesRaised).toBe('Версия из второго окна');
    // Saving again from the refreshed form replaces it, knowingly.
    const again = await mentor.post(protocolPath(group.id)).type('form').send({ _csrf: csrfTokenIn(stale.text), version: /name="version" value="([^"]*)"/.exec(stale.text)![1], action: 'draft', issuesRaised: 'Версия из первого окна' });
    expect(again.status).toBe(303);
    expect((await protocolOf(group.id))!.issuesRaised).toBe('Версия из первого окна');
  });
});

describe('return for correction and resubmission', () => {
  it('lets the coordinator return a submitted protocol with a comment; the mentor is e-mailed, corrects and resubmits', async () => {
    const group = groups[0];
    const protocol = (await protocolOf(group.id))!;
    const firstSubmittedAt = protocol.submittedAt!;
    const coordinator = await loginAs(portal.app, 'coordinator');
    const view = await coordinator.get(`/admin/protocols/${protocol.id}`).expect(200);
    expect(view.text).toContain('Как распределить бюджет проекта');
    expect(view.text).toContain('Вернуть протокол ментору');

    const empty = await coordinator.post(`/admin/protocols/${protocol.id}/return`).type('form').send({ _csrf: csrfTokenIn(view.text), comment: '  ' }).expect(422);
    expect(empty.text).toContain('Напишите ментору, что нужно исправить.');

    const mentor = await loginAs(portal.app, 'mentor');
    const mentorPage = await mentor.get(protocolPath(group.id));
    await mentor.post(`/admin/protocols/${protocol.id}/return`).type('form').send({ _csrf: csrfTokenIn(mentorPage.text), comment: 'сам себе' }).expect(403);

    const comment = 'Укажите, кто из участников отвечает за закупки.';
    await coordinator.post(`/admin/protocols/${protocol.id}/return`).type('form').send({ _csrf: csrfTokenIn(view.text), comment }).expect(303);
    expect(await protocolOf(group.id)).toMatchObject({ status: 'RETURNED', returnComment: comment });
    const email = await database.prisma.outboxEmail.findFirstOrThrow({ where: { template: 'protocol-returned' } });
    expect(email.toAddress).toBe('mentor@zhas.local');
    expect(email.textBody).toContain(comment);
    expect(email.textBody).toContain(`${baseUrl}${protocolPath(group.id)}`);
    expect(email.subject).toContain(group.name);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'protocol.returned', entityId: String(protocol.id) } })).toBe(1);

    // Returning twice is refused: it is no longer submitted.
    await coordinator.post(`/admin/protocols/${protocol.id}/return`).type('form').send({ _csrf: csrfTokenIn(view.text), comment }).expect(409);

    const home = await mentor.get('/mentor').expect(200);
    expect(home.text).toContain('Исправить возвращённый протокол');
    const returned = await mentor.get(protocolPath(group.id)).expect(200);
    expect(returned.text).toContain(comment);
    expect(returned.text).toContain('Сдать исправленный протокол');
    expect(returned.text).toContain('Как распределить бюджет проекта</textarea>');

    const resubmitted = await postProtocol(mentor, protocolPath(group.id), completeProtocol([group.participants[0].id], { solutions: 'За закупки отвечает Алия Ахметова' }), 'submit');
    expect(resubmitted.status).toBe(303);
    const after = (await protocolOf(group.id))!;
    expect(after).toMatchObject({ status: 'SUBMITTED', solutions: 'За закупки отвечает Алия Ахметова' });
    expect(after.submittedAt!.getTime()).toBe(firstSubmittedAt.getTime()); // "late" counts from the first submission
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'protocol.resubmitted', entityId: String(protocol.id) } })).toBe(1);
  });

  it('offers the coordinator a printable version', async () => {
    const protocol = (await protocolOf(groups[0].id))!;
    const coordinator = await loginAs(portal.app, 'coordinator');
    const print = await coordinator.get(`/admin/protocols/${protocol.id}/print`).expect(200);
    expect(print.text).toContain('За закупки отвечает Алия Ахметова');
    expect(print.text).toContain('Гульнара Жумабаева');
    await coordinator.get('/admin/protocols/999999').expect(404);
  });
});

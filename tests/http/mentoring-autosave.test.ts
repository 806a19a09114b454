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
let groups: { id: number; participants: { id: number }[] }[];
let otherGroupId: number;

const currentMonth = monthStartOf(new Date());
const thisMonth = monthParam(currentMonth);
const protocolPath = (groupId: number, month = thisMonth) => `/mentor/groups/${groupId}/protocols/${month}`;
const autosavePath = (groupId: number, month = thisMonth) => `${protocolPath(groupId, month)}/autosave`;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  const mentor = await database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' } });
  groups = await database.prisma.youthGroup.findMany({ where: { mentorId: mentor.id }, orderBy: { name: 'asc' }, include: { participants: { orderBy: { id: 'asc' } } } });
  const other = await database.prisma.user.create({ data: { email: 'autosave.other@zhas.local', fullName: 'Асель Омарова', role: 'MENTOR', passwordHash: await hashTestPassword(demoPassword) } });
  const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ALMATY' } });
  otherGroupId = (await database.prisma.youthGroup.create({
    data: { name: 'Чужая группа', regionId: region.id, projectTitle: 'Проект', hostOrganisationName: 'ОФ', programmeStartMonth: addMonths(currentMonth, -1), mentorId: other.id },
  })).id;
});
afterAll(async () => {
  await portal.close();
});

function protocolOf(groupId: number, month = currentMonth) {
  return database.prisma.sessionProtocol.findUnique({ where: { groupId_month: { groupId, month } } });
}

/** What protocol-autosave.js sends: the form's fields as a urlencoded body, the token in a header, JSON back. */
async function autosave(agent: supertest.Agent, groupId: number, fields: Record<string, string>, month = thisMonth) {
  const page = await agent.get(protocolPath(groupId, month));
  const version = /name="version" value="([^"]*)"/.exec(page.text)?.[1] ?? '';
  return agent.post(autosavePath(groupId, month)).set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(page.text)).type('form').send({ version, ...fields });
}

const almatyTime = (date: Date) => new Intl.DateTimeFormat('ru', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Almaty' }).format(date);

describe('POST …/protocols/:month/autosave', () => {
  it('saves the draft and answers with the new version and the Almaty time of the save', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[0];
    const page = await mentor.get(protocolPath(group.id)).expect(200);
    expect(page.text).toContain('/static/js/protocol-autosave.js');
    expect(page.text).toContain(`data-autosave-url="${autosavePath(group.id)}"`);

    const before = new Date();
    const response = await autosave(mentor, group.id, { issuesRaised: 'Пишу протокол в автобусе', attendance: String(group.participants[0].id) });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/json/);
    expect(response.headers['cache-control']).toContain('no-store');
    const saved = await protocolOf(group.id);
    expect(saved).toMatchObject({ status: 'DRAFT', issuesRaised: 'Пишу протокол в автобусе' });
    expect(response.body.version).toBe(String(saved!.updatedAt.getTime()));
    expect([almatyTime(before), almatyTime(new Date())]).toContain(response.body.savedAtTime);
    expect(response.body.message).toBe(`Сохранено в ${response.body.savedAtTime}`);

    // The next autosave goes on from the version it was given.
    const next = await mentor.post(autosavePath(group.id)).set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(page.text)).type('form')
      .send({ version: response.body.version, issuesRaised: 'Пишу протокол в автобусе, дописала' });
    expect(next.status).toBe(200);
    expect((await protocolOf(group.id))!.issuesRaised).toBe('Пишу протокол в автобусе, дописала');
  });

  it('answers in the mentor’s language', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    await mentor.get('/about?lang=en');
    const response = await autosave(mentor, groups[0].id, { issuesRaised: 'In English now' });
    expect(response.status).toBe(200);
    expect(response.body.message).toBe(`Saved at ${response.body.savedAtTime}`);
  });

  it('keeps the session alive: each autosave renews the session cookie', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const response = await autosave(mentor, groups[0].id, { notes: 'ещё печатаю' });
    expect(response.status).toBe(200);
    expect(String(response.headers['set-cookie'] ?? '')).toMatch(/zhas\.sid=.*Expires=/);
  });

  it('never changes a submitted protocol, and never submits', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[1];
    const submittedText = 'Сданный текст';
    const created = await database.prisma.sessionProtocol.create({
      data: { groupId: group.id, month: currentMonth, mentorId: (await database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' } })).id, status: 'SUBMITTED', issuesRaised: submittedText, submittedAt: new Date() },
    });
    const response = await mentor.post(autosavePath(group.id)).set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn((await mentor.get('/mentor')).text)).type('form')
      .send({ version: String(created.updatedAt.getTime()), issuesRaised: 'Правка после сдачи', action: 'submit' });
    expect(response.status).toBe(409);
    expect(response.body.reason).toBe('locked');
    expect((await protocolOf(group.id))).toMatchObject({ status: 'SUBMITTED', issuesRaised: submittedText });
  });

  it('saves as a draft even when "submit" is sent', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[2];
    const response = await autosave(mentor, group.id, {
      action: 'submit', sessionDate: calendarDateParam(todayInProgramme(new Date())), format: 'ONLINE', place: 'Zoom', durationMinutes: '60',
      attendance: String(group.participants[0].id), issuesRaised: 'а', solutions: 'б', nextSteps: 'в',
    });
    expect(response.status).toBe(200);
    expect((await protocolOf(group.id))!.status).toBe('DRAFT');
  });

  it('says which fields were not saved, keeping the rest', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const response = await autosave(mentor, groups[0].id, { issuesRaised: 'Сохранится', durationMinutes: 'полтора часа' });
    expect(response.status).toBe(200);
    expect(response.body.errors).toEqual({ durationMinutes: 'Укажите длительность числом минут, например 90.' });
    expect((await protocolOf(groups[0].id))!.issuesRaised).toBe('Сохранится');
  });

  it("answers 404 for another mentor's group and 409 for a month that has not begun", async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const token = csrfTokenIn((await mentor.get('/mentor')).text);
    await mentor.post(autosavePath(otherGroupId)).set('Accept', 'application/json').set('X-CSRF-Token', token).type('form').send({ version: '', issuesRaised: 'чужое' }).expect(404);
    expect(await protocolOf(otherGroupId)).toBeNull();
    const future = monthParam(addMonths(currentMonth, 1));
    await mentor.post(autosavePath(groups[0].id, future)).set('Accept', 'application/json').set('X-CSRF-Token', token).type('form').send({ version: '', issuesRaised: 'рано' }).expect(409);
  });

  it('refuses a signed-out request (no silent redirect to a login page) and saves nothing', async () => {
    const before = (await protocolOf(groups[0].id))?.issuesRaised;
    const response = await supertest(portal.app).post(autosavePath(groups[0].id)).set('Accept', 'application/json').set('X-CSRF-Token', 'old').type('form').send({ version: '', issuesRaised: 'без входа' });
    expect(response.status).toBe(403);
    expect((await protocolOf(groups[0].id))?.issuesRaised).toBe(before);
  });
});

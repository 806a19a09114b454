import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { formatDate } from '../../src/lib/dates.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { hashTestPassword } from '../helpers/demo-seed.ts';
import { csrfTokenIn, loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let mentorId: number;
let regionId: number;
let groupIds: number[];

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  const mentor = await database.prisma.user.update({ where: { email: 'mentor@zhas.local' }, data: { isTrainer: true } });
  mentorId = mentor.id;
  const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { mentorId, participants: { some: {} } }, orderBy: { name: 'asc' } });
  regionId = group.regionId;
  groupIds = [group.id];
  await database.prisma.user.create({ data: { email: 'trainings.other@zhas.local', fullName: 'Другой тренер', role: 'MENTOR', isTrainer: true, passwordHash: await hashTestPassword(demoPassword) } });
});
afterAll(async () => {
  await portal.close();
});

const base = () => ({ phase: 'PROGRAMME_START', regionId: String(regionId), title: 'Стартовый тренинг', place: 'Дворец молодёжи', trainerIds: String(mentorId), groupIds: groupIds.map(String) });

describe('a training’s four days', () => {
  it('has four date fields and a reason field on the form', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const form = await coordinator.get('/admin/trainings/new').expect(200);
    expect((form.text.match(/name="days"/g) ?? []).length).toBe(4);
    expect(form.text).toContain('name="daysReason"');
  });

  it('refuses days that are not consecutive without a reason, next to the field, keeping the dates', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const days = ['2026-10-05', '2026-10-06', '2026-10-20', '2026-11-04'];
    const response = await postForm(coordinator, '/admin/trainings', { ...base(), title: 'Разорванный тренинг', days }, { tokenFrom: '/admin/trainings/new' });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="daysReason-error"/);
    for (const day of days) expect(response.text).toContain(`value="${day}"`);
    expect(await database.prisma.training.count({ where: { title: 'Разорванный тренинг' } })).toBe(0);
  });

  it('refuses fewer than four dates', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const response = await postForm(coordinator, '/admin/trainings', { ...base(), title: 'Короткий', days: ['2026-10-05', '2026-10-06', '', ''] }, { tokenFrom: '/admin/trainings/new' });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="days-error"/);
  });

  it('accepts days apart with a reason, and consecutive days without one', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const apart = ['2026-10-03', '2026-10-04', '2026-10-10', '2026-10-11'];
    await postForm(coordinator, '/admin/trainings', { ...base(), title: 'Два выходных', days: apart, daysReason: 'Два выходных подряд: участники учатся' }, { tokenFrom: '/admin/trainings/new' }).expect(303);
    const saved = await database.prisma.training.findFirstOrThrow({ where: { title: 'Два выходных' } });
    expect(saved.days.map((day) => day.toISOString().slice(0, 10))).toEqual(apart);
    expect(saved.daysReason).toBe('Два выходных подряд: участники учатся');
    expect(saved.startsOn.toISOString().slice(0, 10)).toBe('2026-10-03');
    expect(saved.endsOn.toISOString().slice(0, 10)).toBe('2026-10-11');

    await postForm(coordinator, '/admin/trainings', { ...base(), title: 'Подряд', days: ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'] }, { tokenFrom: '/admin/trainings/new' }).expect(303);
    expect((await database.prisma.training.findFirstOrThrow({ where: { title: 'Подряд' } })).days).toHaveLength(4);
  });

  it('shows the dates on the attendance sheet, not "day 1…4"', async () => {
    const training = await database.prisma.training.findFirstOrThrow({ where: { title: 'Два выходных' } });
    const coordinator = await loginAs(portal.app, 'coordinator');
    const detail = await coordinator.get(`/admin/trainings/${training.id}`).expect(200);
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(detail.text)![1];
    for (const day of training.days) expect(head).toContain(formatDate(day, 'ru'));
    expect(head).not.toContain('День 1');
  });
});

describe('a trainer marks attendance for her own training', () => {
  it('opens her training from her home and saves the attendance', async () => {
    const training = await database.prisma.training.findFirstOrThrow({ where: { title: 'Два выходных' } });
    const participant = await database.prisma.groupParticipant.findFirstOrThrow({ where: { groupId: groupIds[0] } });
    const mentor = await loginAs(portal.app, 'mentor');
    const home = await mentor.get('/mentor').expect(200);
    expect(home.text).toContain(`href="/mentor/trainings/${training.id}"`);
    const page = await mentor.get(`/mentor/trainings/${training.id}`).expect(200);
    expect(page.headers['cache-control']).toContain('no-store');
    expect(page.text).toContain(`value="${participant.id}:1"`);
    await mentor.post(`/mentor/trainings/${training.id}/attendance`).type('form').send({ _csrf: csrfTokenIn(page.text), present: [`${participant.id}:1`, `${participant.id}:3`] }).expect(303);
    const present = await database.prisma.trainingAttendance.findMany({ where: { trainingId: training.id, participantId: participant.id, present: true }, orderBy: { day: 'asc' } });
    expect(present.map((row) => row.day)).toEqual([1, 3]);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'training.attendance_saved', entityId: String(training.id), actorId: mentorId } })).toBe(1);
  });

  it('is 404 for a trainer of other trainings', async () => {
    const training = await database.prisma.training.findFirstOrThrow({ where: { title: 'Два выходных' } });
    const agent = supertest.agent(portal.app);
    const login = await agent.get('/login');
    await agent.post('/login').type('form').send({ email: 'trainings.other@zhas.local', password: demoPassword, _csrf: csrfTokenIn(login.text) }).expect(303);
    expect((await agent.get(`/mentor/trainings/${training.id}`)).status).toBe(404);
    const before = await database.prisma.trainingAttendance.count({ where: { trainingId: training.id, present: true } });
    const response = await postForm(agent, `/mentor/trainings/${training.id}/attendance`, { present: [] });
    expect(response.status).toBe(404);
    expect(await database.prisma.trainingAttendance.count({ where: { trainingId: training.id, present: true } })).toBe(before);
  });
});

describe('a participant’s attendance history', () => {
  it('lists sessions and training days, present or absent, on the participant’s page', async () => {
    const training = await database.prisma.training.findFirstOrThrow({ where: { title: 'Два выходных' } });
    const participant = await database.prisma.groupParticipant.findFirstOrThrow({ where: { groupId: groupIds[0] } });
    const group = await database.prisma.youthGroup.findUniqueOrThrow({ where: { id: groupIds[0] } });
    // A protocol of the group's first month with this participant present.
    const protocol = await database.prisma.sessionProtocol.upsert({
      where: { groupId_month: { groupId: group.id, month: group.programmeStartMonth } },
      update: {},
      create: { groupId: group.id, month: group.programmeStartMonth, mentorId, status: 'SUBMITTED', submittedAt: new Date(group.programmeStartMonth.getTime() + 5 * 86_400_000), sessionDate: new Date(group.programmeStartMonth.getTime() + 4 * 86_400_000) },
    });
    await database.prisma.protocolAttendance.upsert({ where: { protocolId_participantId: { protocolId: protocol.id, participantId: participant.id } }, update: {}, create: { protocolId: protocol.id, participantId: participant.id } });

    const coordinator = await loginAs(portal.app, 'coordinator');
    const page = await coordinator.get(`/admin/groups/${group.id}/participants/${participant.id}/edit`).expect(200);
    const history = /<section[^>]*id="attendance-history"[^>]*>([\s\S]*?)<\/section>/.exec(page.text)?.[1];
    expect(history, 'the attendance history section').toBeTruthy();
    expect(history).toContain(`/admin/protocols/${protocol.id}`);
    expect(history).toContain('Два выходных');
    // Training days 1 and 3 present (marked by the trainer above), 2 and 4 absent, each with its date.
    for (const day of training.days) expect(history).toContain(formatDate(day, 'ru'));
    expect((history!.match(/class="attended-yes"/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect((history!.match(/class="attended-no"/g) ?? []).length).toBeGreaterThanOrEqual(2);
  });
});

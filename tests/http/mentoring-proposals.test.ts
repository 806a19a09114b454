import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { monthParam } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { makeIin } from '../../src/lib/iin.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { hashTestPassword } from '../helpers/demo-seed.ts';
import { csrfTokenIn, loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let groupId: number;
let mentorId: number;

const currentMonth = monthStartOf(new Date());
const groupPath = () => `/mentor/groups/${groupId}`;
const proposePath = () => `/mentor/groups/${groupId}/participants`;
const iin = (serial: number) => makeIin(new Date(Date.UTC(2007, 2, 9)), serial % 2 === 0, 6100 + serial);

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  const mentor = await database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' } });
  mentorId = mentor.id;
  const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { mentorId: mentor.id }, orderBy: { name: 'asc' } });
  groupId = group.id;
  await database.prisma.user.create({ data: { email: 'proposals.other@zhas.local', fullName: 'Другой ментор', role: 'MENTOR', passwordHash: await hashTestPassword(demoPassword) } });
});
afterAll(async () => {
  await portal.close();
});

async function loginEmail(email: string) {
  const agent = supertest.agent(portal.app);
  const loginPage = await agent.get('/login').expect(200);
  await agent.post('/login').type('form').send({ email, password: demoPassword, _csrf: csrfTokenIn(loginPage.text) }).expect(303);
  return agent;
}

function proposalsOf(fullName: string) {
  return database.prisma.groupParticipant.findMany({ where: { groupId, fullName } });
}

describe('a mentor proposes a participant', () => {
  it('offers the form on her group page and refuses a wrong IIN next to the field, keeping what she typed', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const page = await mentor.get(groupPath()).expect(200);
    expect(page.text).toContain(`action="${proposePath()}"`);
    const response = await postForm(mentor, proposePath(), { fullName: 'Айгерим Неверная', iin: '123456789012', contact: '+7 701 000 00 00' }, { tokenFrom: groupPath() });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="iin-error"/);
    expect(response.text).toContain('value="Айгерим Неверная"');
    expect(response.text).toContain('value="+7 701 000 00 00"');
    expect(response.headers['cache-control']).toContain('no-store');
    expect(await proposalsOf('Айгерим Неверная')).toHaveLength(0);
  });

  it('refuses an IIN already registered in a group', async () => {
    const registered = await database.prisma.groupParticipant.findFirstOrThrow({ where: { iin: { not: null } } });
    const mentor = await loginAs(portal.app, 'mentor');
    const response = await postForm(mentor, proposePath(), { fullName: 'Дубликат Дубликатов', iin: registered.iin! }, { tokenFrom: groupPath() });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="iin-error"/);
    expect(await proposalsOf('Дубликат Дубликатов')).toHaveLength(0);
  });

  it('records a proposal that waits for the coordinator and is in no list yet', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const response = await postForm(mentor, proposePath(), { fullName: 'Нурлан Предложенный', iin: iin(1), age: '', contact: '@nurlan' }, { tokenFrom: groupPath() });
    expect(response.status).toBe(303);
    const [proposal] = await proposalsOf('Нурлан Предложенный');
    expect(proposal).toMatchObject({ proposedById: mentorId, confirmedAt: null, iin: iin(1), contact: '@nurlan' });
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'participant.proposed', entityId: String(proposal.id) } })).toBe(1);

    const page = await mentor.get(groupPath()).expect(200);
    expect(page.text).toContain('Нурлан Предложенный');
    expect(page.text).toMatch(/class="[^"]*pending-proposals/);
    // Not a participant yet: not on the protocol's attendance list, not counted.
    const protocol = await mentor.get(`${groupPath()}/protocols/${monthParam(currentMonth)}`).expect(200);
    expect(protocol.text).not.toContain(`value="${proposal.id}"`);
    const home = await mentor.get('/mentor').expect(200);
    expect(home.text).not.toContain('Нурлан Предложенный');
  });

  it('is 404 for another mentor’s group', async () => {
    const other = await loginEmail('proposals.other@zhas.local');
    const response = await postForm(other, proposePath(), { fullName: 'Чужое предложение', iin: iin(3) });
    expect(response.status).toBe(404);
    expect(await proposalsOf('Чужое предложение')).toHaveLength(0);
  });
});

describe('the coordinator confirms or refuses a proposal', () => {
  it('lists pending proposals on the group page, apart from the participants', async () => {
    const [proposal] = await proposalsOf('Нурлан Предложенный');
    const coordinator = await loginAs(portal.app, 'coordinator');
    const page = await coordinator.get(`/admin/groups/${groupId}`).expect(200);
    expect(page.text).toContain(`action="/admin/groups/${groupId}/participants/${proposal.id}/confirm"`);
    expect(page.text).toContain(`action="/admin/groups/${groupId}/participants/${proposal.id}/refuse"`);
    // The participants table does not hold it (no edit link for it yet).
    expect(page.text).not.toContain(`/admin/groups/${groupId}/participants/${proposal.id}/edit`);
  });

  it('confirms: the participant joins the group’s lists, audited', async () => {
    const [proposal] = await proposalsOf('Нурлан Предложенный');
    const coordinator = await loginAs(portal.app, 'coordinator');
    await postForm(coordinator, `/admin/groups/${groupId}/participants/${proposal.id}/confirm`).expect(303);
    const confirmed = await database.prisma.groupParticipant.findUniqueOrThrow({ where: { id: proposal.id } });
    expect(confirmed.confirmedAt).not.toBeNull();
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'participant.proposal_confirmed', entityId: String(proposal.id) } })).toBe(1);
    const mentor = await loginAs(portal.app, 'mentor');
    const protocol = await mentor.get(`${groupPath()}/protocols/${monthParam(currentMonth)}`).expect(200);
    expect(protocol.text).toContain(`value="${proposal.id}"`);
  });

  it('refuses: the proposal is removed, audited', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    await postForm(mentor, proposePath(), { fullName: 'Отказанный Участник', iin: iin(5) }, { tokenFrom: groupPath() }).expect(303);
    const [proposal] = await proposalsOf('Отказанный Участник');
    const coordinator = await loginAs(portal.app, 'coordinator');
    await postForm(coordinator, `/admin/groups/${groupId}/participants/${proposal.id}/refuse`).expect(303);
    expect(await proposalsOf('Отказанный Участник')).toHaveLength(0);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'participant.proposal_refused', entityId: String(proposal.id) } })).toBe(1);
  });

  it('cannot be confirmed by a mentor', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    await postForm(mentor, proposePath(), { fullName: 'Ждущий Участник', iin: iin(7) }, { tokenFrom: groupPath() }).expect(303);
    const [proposal] = await proposalsOf('Ждущий Участник');
    const response = await postForm(mentor, `/admin/groups/${groupId}/participants/${proposal.id}/confirm`);
    expect([403, 404]).toContain(response.status);
    expect((await database.prisma.groupParticipant.findUniqueOrThrow({ where: { id: proposal.id } })).confirmedAt).toBeNull();
  });
});

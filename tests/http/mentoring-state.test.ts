import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { addMonths, monthEndsAt, monthParam } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let groupId: number;
let regionId: number;
let mentorId: number;

const currentMonth = monthStartOf(new Date());
const start = addMonths(currentMonth, -4);
/** Five months: missing after its deadline, submitted on time, submitted late, returned, a draft of this month. */
const expected = ['missing', 'submitted', 'late', 'returned', 'draft'];

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  const mentor = await database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' } });
  mentorId = mentor.id;
  const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
  regionId = region.id;
  const group = await database.prisma.youthGroup.create({
    data: { name: 'Группа состояний', regionId, projectTitle: 'Проект', hostOrganisationName: 'ОФ', programmeStartMonth: start, programmeMonths: 5, mentorId },
  });
  groupId = group.id;
  const month = (offset: number) => addMonths(start, offset);
  const protocol = (offset: number, status: 'DRAFT' | 'SUBMITTED' | 'RETURNED', submittedAt: Date | null) =>
    database.prisma.sessionProtocol.create({ data: { groupId, month: month(offset), mentorId, status, submittedAt } });
  // On time: the middle of its month. Late: two days after its month ended (Almaty).
  await protocol(1, 'SUBMITTED', new Date(month(1).getTime() + 14 * 86_400_000));
  await protocol(2, 'SUBMITTED', new Date(monthEndsAt(month(2)).getTime() + 2 * 86_400_000));
  await protocol(3, 'RETURNED', new Date(month(3).getTime() + 10 * 86_400_000));
  await protocol(4, 'DRAFT', null);
});
afterAll(async () => {
  await portal.close();
});

/** The month cells of a list of the group's months (mentor's pages: class "month-cell month-<state>"). */
function mentorStates(html: string): string[] {
  return [...html.matchAll(/class="month-cell month-([a-z]+)"/g)].map((match) => match[1]);
}

describe('one state of a month, for the mentor and the coordinator', () => {
  it('the mentor’s group page shows late as late', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const page = await mentor.get(`/mentor/groups/${groupId}`).expect(200);
    expect(mentorStates(page.text)).toEqual(expected);
  });

  it('the mentor’s home shows the same states for the group', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const page = await mentor.get('/mentor').expect(200);
    const section = /<section class="card group-card" aria-labelledby="group-(\d+)">([\s\S]*?)<\/section>/g;
    const card = [...page.text.matchAll(section)].find((match) => match[1] === String(groupId));
    expect(card, 'the group’s card').toBeTruthy();
    expect(mentorStates(card![2])).toEqual(expected);
  });

  it('the coordinator’s grid shows the same states for the group', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const page = await coordinator.get(`/admin/compliance?region=${regionId}&mentor=${mentorId}&from=${monthParam(start)}&to=${monthParam(currentMonth)}`).expect(200);
    const row = /<tr>\s*<th scope="row"><a href="\/admin\/groups\/(\d+)">Группа состояний<\/a><\/th>([\s\S]*?)<\/tr>/.exec(page.text);
    expect(row?.[1]).toBe(String(groupId));
    const states = [...row![2].matchAll(/class="cell cell-([a-z]+)"/g)].map((match) => match[1]);
    expect(states).toEqual(expected);
  });

  it('the protocol page of the late month says late to the mentor', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const page = await mentor.get(`/mentor/groups/${groupId}/protocols/${monthParam(addMonths(start, 2))}`).expect(200);
    expect(page.text).toContain('state state-late');
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { calendarDateParam, monthParam, todayInProgramme } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { csrfTokenIn, loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let group: { id: number; participants: { id: number }[] };

const currentMonth = monthStartOf(new Date());
const protocolPath = () => `/mentor/groups/${group.id}/protocols/${monthParam(currentMonth)}`;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  const mentor = await database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' } });
  group = await database.prisma.youthGroup.findFirstOrThrow({ where: { mentorId: mentor.id, participants: { some: {} } }, orderBy: { name: 'asc' }, include: { participants: true } });
  await database.prisma.sessionProtocol.deleteMany({ where: { groupId: group.id, month: currentMonth } });
});
afterAll(async () => {
  await portal.close();
});

async function postProtocol(agent: supertest.Agent, action: 'submit', fields: Record<string, string | string[]>) {
  const page = await agent.get(protocolPath());
  const version = /name="version" value="([^"]*)"/.exec(page.text)?.[1] ?? '';
  return agent.post(protocolPath()).type('form').send({ _csrf: csrfTokenIn(page.text), version, action, ...fields });
}

const complete = {
  sessionDate: calendarDateParam(todayInProgramme(new Date())),
  format: 'IN_PERSON',
  place: 'Молодёжный центр',
  durationMinutes: '90',
  issuesRaised: 'Бюджет проекта',
  solutions: 'Составили смету',
  nextSteps: 'Первая акция',
  notes: '',
};

/** The entries of the page's history list, in order. */
function historyOf(html: string): string[] {
  const list = /<ol class="protocol-history"[^>]*>([\s\S]*?)<\/ol>/.exec(html)?.[1];
  if (!list) return [];
  return [...list.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((match) => match[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

describe('the history of a protocol', () => {
  it('shows submitted, returned with its comment, and resubmitted, to the mentor as to the coordinator', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    expect((await postProtocol(mentor, 'submit', { ...complete, attendance: String(group.participants[0].id) })).status).toBe(303);
    const protocol = await database.prisma.sessionProtocol.findUniqueOrThrow({ where: { groupId_month: { groupId: group.id, month: currentMonth } } });
    expect(protocol.status).toBe('SUBMITTED');

    const coordinator = await loginAs(portal.app, 'coordinator');
    await postForm(coordinator, `/admin/protocols/${protocol.id}/return`, { comment: 'Добавьте, кто отсутствовал и почему' }, { tokenFrom: `/admin/protocols/${protocol.id}` }).expect(303);
    expect((await postProtocol(mentor, 'submit', { ...complete, attendance: String(group.participants[0].id), notes: 'Исправила' })).status).toBe(303);

    const mentorPage = await mentor.get(protocolPath()).expect(200);
    const coordinatorPage = await coordinator.get(`/admin/protocols/${protocol.id}`).expect(200);
    for (const page of [mentorPage, coordinatorPage]) {
      const entries = historyOf(page.text);
      expect(entries).toHaveLength(3);
      expect(entries[0]).toMatch(/^Сдан/);
      expect(entries[1]).toMatch(/^Возвращён/);
      expect(entries[1]).toContain('Добавьте, кто отсутствовал и почему');
      expect(entries[2]).toMatch(/^Сдан повторно/);
    }
    // The coordinator's name comes with the return, for the mentor too.
    const coordinatorUser = await database.prisma.user.findUniqueOrThrow({ where: { email: 'coordinator@zhas.local' } });
    expect(historyOf(mentorPage.text)[1]).toContain(coordinatorUser.fullName);
  });

  it('shows nothing for a protocol never submitted', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const other = await database.prisma.youthGroup.findFirstOrThrow({ where: { mentorId: (await database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' } })).id, NOT: { id: group.id } } });
    await database.prisma.sessionProtocol.deleteMany({ where: { groupId: other.id, month: currentMonth } });
    const page = await mentor.get(`/mentor/groups/${other.id}/protocols/${monthParam(currentMonth)}`).expect(200);
    expect(historyOf(page.text)).toHaveLength(0);
  });
});

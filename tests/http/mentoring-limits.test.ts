import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { calendarDateParam, monthParam, todayInProgramme } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { csrfTokenIn, demoLogins, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import type supertest from 'supertest';

let database: Database;
let portal: TestPortal;
let groups: { id: number; participants: { id: number }[] }[];

const currentMonth = monthStartOf(new Date());
const protocolPath = (groupId: number) => `/mentor/groups/${groupId}/protocols/${monthParam(currentMonth)}`;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  const mentor = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.mentor } });
  groups = await database.prisma.youthGroup.findMany({ where: { mentorId: mentor.id }, orderBy: { name: 'asc' }, include: { participants: { orderBy: { id: 'asc' } } } });
});
afterAll(async () => {
  await portal.close();
});

async function postProtocol(agent: supertest.Agent, path: string, fields: Record<string, string | string[]>, action: 'draft' | 'submit') {
  const page = await agent.get(path);
  const version = /name="version" value="([^"]*)"/.exec(page.text)?.[1] ?? '';
  return agent.post(path).type('form').send({ _csrf: csrfTokenIn(page.text), version, action, ...fields });
}

function protocolOf(groupId: number) {
  return database.prisma.sessionProtocol.findUnique({ where: { groupId_month: { groupId, month: currentMonth } } });
}

// A real meeting link with its tracking parameters: 364 characters.
const videoLink = `https://us02web.zoom.us/j/81234567890?pwd=${'Zm9vYmFyYmF6cXV4'.repeat(16)}&uname=mentor&tk=`.padEnd(364, 'Q');

describe('the limits of the protocol form', () => {
  it('shows each limit with a live, polite counter and lets the browser cut nothing', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const page = await mentor.get(protocolPath(groups[0].id)).expect(200);
    for (const [name, limit] of [['place', '2000'], ['issuesRaised', '5000'], ['solutions', '5000'], ['nextSteps', '5000'], ['notes', '5000']]) {
      expect(page.text).toMatch(new RegExp(`id="${name}-counter"[^>]*data-limit="${limit}"`));
      expect(page.text).toMatch(new RegExp(`aria-describedby="[^"]*${name}-counter`));
    }
    expect(page.text).toContain(`До ${(5000).toLocaleString('ru')} знаков`);
    expect(page.text).toMatch(/aria-live="polite"/);
    // maxlength makes a browser drop whatever is pasted beyond it, without a word.
    expect(page.text).not.toMatch(/<textarea[^>]*maxlength/);
    expect(page.text).not.toMatch(/id="place"[^>]*maxlength/);
  });

  it('refuses text over the limit with a message next to the field, keeps all of it on screen and cuts nothing', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[0];
    await postProtocol(mentor, protocolPath(group.id), { issuesRaised: 'Короткий текст' }, 'draft');
    const long = `${'Подробный разбор бюджета. '.repeat(231)}конец`.padEnd(6012, '!');
    expect(long.length).toBe(6012);
    const response = await postProtocol(mentor, protocolPath(group.id), { issuesRaised: long, solutions: 'Это сохранится' }, 'draft');
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="issuesRaised-error">Не больше 5\s000 знаков, сейчас 6\s012\. Сократите текст на 1\s012 знаков\.</);
    expect(response.text).toContain(`${long}</textarea>`);
    expect(await protocolOf(group.id)).toMatchObject({ issuesRaised: 'Короткий текст', solutions: 'Это сохранится' });
  });

  it('says it in Kazakh and English too', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    await mentor.get('/about?lang=en');
    const response = await postProtocol(mentor, protocolPath(groups[0].id), { notes: 'x'.repeat(5001) }, 'draft');
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="notes-error">At most 5,000 characters, now 5,001\. Shorten the text by 1 character\.</);
    await mentor.get('/about?lang=kk');
    const kk = await postProtocol(mentor, protocolPath(groups[0].id), { notes: 'x'.repeat(5001) }, 'draft');
    expect(kk.text).toMatch(/id="notes-error">[^<]*5\s000[^<]*</);
    expect(kk.text).not.toContain('Не больше');
  });

  it('takes a real video link of 364 characters whole, and refuses one over 2,000', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[1];
    expect(videoLink.length).toBe(364);
    const saved = await postProtocol(mentor, protocolPath(group.id), { format: 'ONLINE', place: videoLink }, 'draft');
    expect(saved.status).toBe(303);
    expect((await protocolOf(group.id))!.place).toBe(videoLink);
    const tooLong = await postProtocol(mentor, protocolPath(group.id), { place: `https://example.kz/${'a'.repeat(2000)}` }, 'draft');
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('id="place-error"');
    expect((await protocolOf(group.id))!.place).toBe(videoLink);
  });
});

describe('links in a protocol', () => {
  it('show as safe links on the read-only, print and coordinator views', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = groups[2];
    const ids = [String(group.participants[0].id)];
    const response = await postProtocol(mentor, protocolPath(group.id), {
      sessionDate: calendarDateParam(todayInProgramme(new Date())), format: 'ONLINE', place: videoLink, durationMinutes: '60', attendance: ids,
      issuesRaised: 'Запись встречи: https://drive.google.com/file/d/abc?usp=sharing&x=<b>, обсудили её.',
      solutions: 'Не ссылка: javascript:alert(1) и <script>alert(2)</script>',
      nextSteps: 'Материалы: http://example.kz/plan.',
    }, 'submit');
    expect(response.status).toBe(303);
    const protocol = (await protocolOf(group.id))!;
    const coordinator = await loginAs(portal.app, 'coordinator');
    const pages = [
      (await mentor.get(protocolPath(group.id)).expect(200)).text,
      (await mentor.get(`${protocolPath(group.id)}/print`).expect(200)).text,
      (await coordinator.get(`/admin/protocols/${protocol.id}`).expect(200)).text,
      (await coordinator.get(`/admin/protocols/${protocol.id}/print`).expect(200)).text,
    ];
    for (const html of pages) {
      expect(html).toContain(`<a href="${videoLink.replaceAll('&', '&amp;')}" rel="noopener noreferrer">`);
      expect(html).toContain('<a href="https://drive.google.com/file/d/abc?usp=sharing&amp;x=" rel="noopener noreferrer">https://drive.google.com/file/d/abc?usp=sharing&amp;x=</a>&lt;b&gt;, обсудили её.');
      expect(html).toContain('<a href="http://example.kz/plan" rel="noopener noreferrer">http://example.kz/plan</a>.');
      expect(html).toContain('javascript:alert(1) и &lt;script&gt;alert(2)&lt;/script&gt;');
      expect(html).not.toContain('href="javascript:');
      expect(html).not.toContain('<script>alert');
    }
  });
});

/**
 * Lists of people, groups and trainings sort by the page's language (src/lib/collation.ts), not by the
 * database: on PGlite (C collation) Ә Ғ Қ Ң Ө Ұ Ү Һ І would come after Я, and in Kazakh Ғ follows Г,
 * Ұ comes before Ү and І after Ы (in Russian Ү and Ұ come the other way round and І follows И).
 */
import ExcelJS from 'exceljs';
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { addMonths, monthParam } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { demoLogins, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;

const currentMonth = monthStartOf(new Date());
const previousMonth = addMonths(currentMonth, -1);

/** The participants of one group, in the order they are added (the database's order is the same). */
const participantNames = ['Ғалым Серік', 'Яна Ким', 'Гүл Асқар', 'Әлия Нұр', 'Дана Бек', 'Арман Ұлы'];
const participantsInKazakh = ['Арман Ұлы', 'Әлия Нұр', 'Гүл Асқар', 'Ғалым Серік', 'Дана Бек', 'Яна Ким'];

/** Groups of the demo mentor (Astana). */
const groupNames = ['Ғарыш тобы', 'Ядро тобы', 'Әуен тобы', 'Дала тобы', 'Гүлзар тобы', 'Алау тобы'];
const groupsInKazakh = ['Алау тобы', 'Әуен тобы', 'Гүлзар тобы', 'Ғарыш тобы', 'Дала тобы', 'Ядро тобы'];

/** Mentors of Atyrau, each with a group there (Кира with three). */
const mentorNames = ['Ұлан Ментор', 'Үміт Ментор', 'Іңкәр Ментор', 'Кира Ментор', 'Ғани Ментор', 'Гүлім Ментор'];
const mentorsInKazakh = ['Гүлім Ментор', 'Ғани Ментор', 'Кира Ментор', 'Ұлан Ментор', 'Үміт Ментор', 'Іңкәр Ментор'];
const mentorsInRussian = ['Гүлім Ментор', 'Ғани Ментор', 'Іңкәр Ментор', 'Кира Ментор', 'Үміт Ментор', 'Ұлан Ментор'];
const kiraGroups = ['Дәурен жобасы', 'Ғалам жобасы', 'Гауһар жобасы'];
const kiraGroupsInKazakh = ['Гауһар жобасы', 'Ғалам жобасы', 'Дәурен жобасы'];

const groupIds = new Map<string, number>();
const mentorIds = new Map<string, number>();
let atyrauId: number;
let protocolId: number;
let trainingId: number;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  const { prisma } = database;
  const astana = await prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
  const atyrau = await prisma.region.findUniqueOrThrow({ where: { code: 'ATYRAU' } });
  atyrauId = atyrau.id;
  const mentor = await prisma.user.findUniqueOrThrow({ where: { email: demoLogins.mentor } });
  const group = (name: string, regionId: number, mentorId: number) =>
    prisma.youthGroup.create({ data: { name, regionId, projectTitle: `Жоба: ${name}`, hostOrganisationName: 'ҚҚ «Сұрыптау»', programmeStartMonth: previousMonth, programmeMonths: 6, mentorId } });

  for (const name of groupNames) groupIds.set(name, (await group(name, astana.id, mentor.id)).id);
  const garysh = groupIds.get('Ғарыш тобы')!;
  let serial = 0;
  for (const fullName of participantNames) await prisma.groupParticipant.create({ data: { groupId: garysh, fullName, age: 18, contact: `+7701000000${serial++}` } });

  for (const [index, fullName] of mentorNames.entries()) {
    const user = await prisma.user.create({ data: { email: `collation.mentor${index}@zhas.local`, fullName, role: 'MENTOR', isTrainer: true, passwordHash: null } });
    mentorIds.set(fullName, user.id);
    if (fullName === 'Кира Ментор') for (const name of kiraGroups) await group(name, atyrau.id, user.id);
    else await group(`${fullName.split(' ')[0]} жобасы`, atyrau.id, user.id);
  }

  // Last month's protocols of four groups, everyone present at Ғарыш тобы's.
  const participants = await prisma.groupParticipant.findMany({ where: { groupId: garysh } });
  for (const name of ['Ғарыш тобы', 'Ядро тобы', 'Әуен тобы', 'Гүлзар тобы']) {
    const protocol = await prisma.sessionProtocol.create({
      data: { groupId: groupIds.get(name)!, month: previousMonth, mentorId: mentor.id, status: 'SUBMITTED', submittedAt: new Date(previousMonth.getTime() + 10 * 86_400_000), sessionDate: new Date(previousMonth.getTime() + 5 * 86_400_000) },
    });
    if (name === 'Ғарыш тобы') {
      protocolId = protocol.id;
      await prisma.protocolAttendance.createMany({ data: participants.map((participant) => ({ protocolId: protocol.id, participantId: participant.id })) });
    }
  }

  // A training of two groups (Ғарыш тобы first) and three trainers (Гүлім last).
  const days = [0, 1, 2, 3].map((offset) => new Date(currentMonth.getTime() + (10 + offset) * 86_400_000));
  const training = await prisma.training.create({
    data: {
      regionId: astana.id,
      phase: 'PROGRAMME_START',
      title: 'Сұрыптау тренингі',
      startsOn: days[0],
      endsOn: days[3],
      days,
      trainers: { create: ['Ұлан Ментор', 'Үміт Ментор', 'Гүлім Ментор'].map((name) => ({ userId: mentorIds.get(name)! })) },
      groups: { create: ['Ғарыш тобы', 'Гүлзар тобы'].map((name) => ({ groupId: groupIds.get(name)! })) },
    },
  });
  trainingId = training.id;
});
afterAll(async () => {
  await portal.close();
});

/** The part of a page from `start` up to `end` (or the page's end); fails when `start` is missing. */
function part(html: string, start: string, end?: string): string {
  const from = html.indexOf(start);
  expect(from, `"${start}" on the page`).toBeGreaterThanOrEqual(0);
  const to = end === undefined ? -1 : html.indexOf(end, from + start.length);
  return html.slice(from, to === -1 ? undefined : to);
}

/** The names in the order they first appear in `html`; fails when one is missing. */
function shownOrder(html: string, names: readonly string[]): string[] {
  expect(names.filter((name) => !html.includes(name)), 'names missing from the page').toEqual([]);
  return [...names].sort((a, b) => html.indexOf(a) - html.indexOf(b));
}

/** A binary response body as a Buffer (supertest leaves unknown types unparsed otherwise). */
function binary(request: supertest.Test) {
  return request.buffer(true).parse((response, callback) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => callback(null, Buffer.concat(chunks)));
  });
}

async function firstSheet(body: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  return workbook.worksheets[0];
}

/** The text cells of one column below the header row. */
function columnValues(sheet: ExcelJS.Worksheet, column: number): string[] {
  const values: string[] = [];
  sheet.eachRow((row, number) => {
    if (number > 1) values.push(String(row.getCell(column).value ?? ''));
  });
  return values;
}

describe("the coordinator's group pages", () => {
  it('lists the participants of a group in the Kazakh alphabet on the Kazakh page (Г, Ғ, Д … Я, not Ә and Ғ after Я)', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const page = await coordinator.get(`/admin/groups/${groupIds.get('Ғарыш тобы')}?lang=kk`).expect(200);
    expect(shownOrder(part(page.text, 'id="participants"', 'id="add-participant"'), participantNames)).toEqual(participantsInKazakh);
  });

  it("lists a region's groups by name on the groups list", async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const page = await coordinator.get('/admin/groups?lang=kk').expect(200);
    expect(shownOrder(part(page.text, '<tbody'), groupNames)).toEqual(groupsInKazakh);
  });

  it("shows a protocol's attendance in the alphabet's order", async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const page = await coordinator.get(`/admin/protocols/${protocolId}?lang=kk`).expect(200);
    expect(shownOrder(part(page.text, 'class="attendance-readonly"', '</ul>'), participantNames)).toEqual(participantsInKazakh);
  });
});

describe("the mentor's pages", () => {
  it('lists her groups on the home page by name', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const page = await mentor.get('/mentor?lang=kk').expect(200);
    expect(shownOrder(part(page.text, 'group-card'), groupNames)).toEqual(groupsInKazakh);
  });

  it("lists the group's participants on her group page and in the protocol form's attendance", async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const groupId = groupIds.get('Ғарыш тобы')!;
    const groupPage = await mentor.get(`/mentor/groups/${groupId}?lang=kk`).expect(200);
    expect(shownOrder(part(groupPage.text, 'id="group-participants"', 'id="proposals"'), participantNames)).toEqual(participantsInKazakh);
    const form = await mentor.get(`/mentor/groups/${groupId}/protocols/${monthParam(currentMonth)}?lang=kk`).expect(200);
    expect(shownOrder(part(form.text, 'id="attendance"', '</fieldset>'), participantNames)).toEqual(participantsInKazakh);
  });
});

describe('the compliance grid', () => {
  it('orders the mentors of a region and the groups of a mentor in the Kazakh alphabet (Ұ before Ү, І after Ы)', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const page = await coordinator.get(`/admin/compliance?region=${atyrauId}&lang=kk`).expect(200);
    const grid = part(page.text, `id="region-${atyrauId}"`, 'id="region-totals-caption"');
    expect(shownOrder(grid, mentorNames)).toEqual(mentorsInKazakh);
    expect(shownOrder(grid, kiraGroups)).toEqual(kiraGroupsInKazakh);
    expect(shownOrder(part(page.text, 'id="mentor-totals-caption"', '</table>'), mentorNames)).toEqual(mentorsInKazakh);
    // The mentor filter too.
    expect(shownOrder(part(page.text, 'id="filter-mentor"', '</select>'), mentorNames)).toEqual(mentorsInKazakh);
  });

  it('orders them in the Russian alphabet on the Russian page', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const page = await coordinator.get(`/admin/compliance?region=${atyrauId}&lang=ru`).expect(200);
    expect(shownOrder(part(page.text, `id="region-${atyrauId}"`, 'id="region-totals-caption"'), mentorNames)).toEqual(mentorsInRussian);
  });

  it("exports the grid in the same order as the page's language", async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const response = await binary(coordinator.get(`/admin/compliance/export.xlsx?region=${atyrauId}&lang=kk`)).expect(200);
    const sheet = await firstSheet(response.body as Buffer);
    const mentors = columnValues(sheet, 2);
    expect(mentors.filter((name, index) => name !== mentors[index - 1])).toEqual(mentorsInKazakh);
    const groups = columnValues(sheet, 3);
    expect(groups.filter((name) => kiraGroups.includes(name))).toEqual(kiraGroupsInKazakh);
  });

  it("exports a region's protocols by group name, each protocol's attendance in the alphabet's order", async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const astana = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
    const response = await binary(coordinator.get(`/admin/protocols/export.xlsx?region=${astana.id}&month=${monthParam(previousMonth)}&lang=kk`)).expect(200);
    const sheet = await firstSheet(response.body as Buffer);
    const names = columnValues(sheet, 1);
    expect(names.filter((name) => groupNames.includes(name))).toEqual(['Әуен тобы', 'Гүлзар тобы', 'Ғарыш тобы', 'Ядро тобы']);
    const headers = (sheet.getRow(1).values as unknown[]).map((value) => String(value ?? ''));
    const attendance = columnValues(sheet, headers.indexOf('Кім қатысты'));
    expect(attendance[names.indexOf('Ғарыш тобы')]).toBe(participantsInKazakh.join(', '));
  });
});

describe('the trainings pages', () => {
  it("orders a training's groups, their participants on the attendance sheet and its trainers by name", async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const page = await coordinator.get(`/admin/trainings/${trainingId}?lang=kk`).expect(200);
    const sheet = part(page.text, 'id="attendance"');
    expect(shownOrder(sheet, ['Ғарыш тобы', 'Гүлзар тобы'])).toEqual(['Гүлзар тобы', 'Ғарыш тобы']);
    expect(shownOrder(sheet, participantNames)).toEqual(participantsInKazakh);
    expect(shownOrder(part(page.text, 'class="summary-list"', '</dl>'), ['Ұлан Ментор', 'Үміт Ментор', 'Гүлім Ментор'])).toEqual(['Гүлім Ментор', 'Ұлан Ментор', 'Үміт Ментор']);
    const list = await coordinator.get('/admin/trainings?lang=kk').expect(200);
    expect(list.text).toContain('Гүлзар тобы, Ғарыш тобы');
    expect(list.text).toContain('Гүлім Ментор, Ұлан Ментор, Үміт Ментор');
  });

  it('lists the mentors to make trainers by name', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const page = await coordinator.get('/admin/trainings/trainers?lang=kk').expect(200);
    expect(shownOrder(part(page.text, '<tbody'), mentorNames)).toEqual(mentorsInKazakh);
  });
});

describe('the users list', () => {
  it('sorts by role, then by name in the alphabet of the page', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const mentors = await coordinator.get('/admin/users?role=MENTOR&lang=kk').expect(200);
    expect(shownOrder(part(mentors.text, '<tbody'), mentorNames)).toEqual(mentorsInKazakh);
    // Within role: the coordinator, then the committee, then the mentors.
    const everyone = await coordinator.get('/admin/users?lang=kk').expect(200);
    expect(shownOrder(part(everyone.text, '<tbody'), ['Гүлім Ментор', 'Ержан Бекмуханов', 'Айгерим Сапарова', 'Іңкәр Ментор', 'Асель Жаксыбекова'])).toEqual([
      'Айгерим Сапарова',
      'Асель Жаксыбекова',
      'Ержан Бекмуханов',
      'Гүлім Ментор',
      'Іңкәр Ментор',
    ]);
  });

  it('pages through the names in that order: a name with Ә is on the first page, numbers count as numbers', async () => {
    const names = [...Array.from({ length: 50 }, (_, index) => `Яков №${index + 1} Беттеу`), 'Әлия Беттеу'];
    await database.prisma.user.createMany({ data: names.map((fullName, index) => ({ email: `collation.page${index}@zhas.local`, fullName, role: 'MENTOR' as const, passwordHash: null })) });
    const coordinator = await loginAs(portal.app, 'coordinator');
    const first = await coordinator.get(`/admin/users?q=${encodeURIComponent('Беттеу')}&lang=kk`).expect(200);
    const firstList = part(first.text, '<tbody');
    expect(shownOrder(firstList, ['Яков №10 Беттеу', 'Әлия Беттеу', 'Яков №9 Беттеу', 'Яков №49 Беттеу'])).toEqual(['Әлия Беттеу', 'Яков №9 Беттеу', 'Яков №10 Беттеу', 'Яков №49 Беттеу']);
    expect(firstList).not.toContain('Яков №50 Беттеу');
    const second = await coordinator.get(`/admin/users?q=${encodeURIComponent('Беттеу')}&page=2&lang=kk`).expect(200);
    const secondList = part(second.text, '<tbody');
    expect(secondList).toContain('Яков №50 Беттеу');
    expect(secondList).not.toContain('Әлия Беттеу');
  });
});

describe("the audit page's user filter", () => {
  it('lists the users by role, then by name', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const page = await coordinator.get('/admin/audit?lang=kk').expect(200);
    expect(shownOrder(part(page.text, 'name="actor"', '</select>'), mentorNames)).toEqual(mentorsInKazakh);
  });
});

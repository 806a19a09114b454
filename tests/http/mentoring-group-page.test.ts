import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { addMonths, monthParam, programmeLastMonth } from '../../src/features/mentoring/month-rules.ts';
import { formatMonth, monthStartOf } from '../../src/lib/dates.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { hashTestPassword } from '../helpers/demo-seed.ts';
import { csrfTokenIn, demoLogins, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
const currentMonth = monthStartOf(new Date());

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  await database.prisma.user.create({ data: { email: 'group.other@zhas.local', fullName: 'Другой Ментор', role: 'MENTOR', passwordHash: await hashTestPassword(demoPassword) } });
});
afterAll(async () => {
  await portal.close();
});

async function mentorGroup() {
  const mentor = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.mentor } });
  return database.prisma.youthGroup.findFirstOrThrow({ where: { mentorId: mentor.id }, orderBy: { name: 'asc' }, include: { participants: { orderBy: { fullName: 'asc' } }, region: true } });
}

describe('GET /mentor/groups/:groupId', () => {
  it("shows the mentor her group: project, host, period, participants with contacts, each month's state and the coordinator's contact", async () => {
    const group = await mentorGroup();
    await database.prisma.region.update({ where: { id: group.regionId }, data: { contactEmail: 'astana@zhas.kz', contactPhone: '+7 717 200 00 00' } });
    const participant = await database.prisma.groupParticipant.update({ where: { id: group.participants[0].id }, data: { contact: '+7 701 123 45 67 <b>' } });
    const mentor = await loginAs(portal.app, 'mentor');
    const page = await mentor.get(`/mentor/groups/${group.id}`).expect(200);
    expect(page.headers['cache-control']).toContain('no-store');
    expect(page.text).toContain(group.name);
    expect(page.text).toContain(group.projectTitle);
    expect(page.text).toContain(group.hostOrganisationName);
    expect(page.text).toContain(`${formatMonth(group.programmeStartMonth, 'ru')} — ${formatMonth(programmeLastMonth(group), 'ru')}`);
    expect(page.text).toContain(participant.fullName);
    expect(page.text).toContain('+7 701 123 45 67 &lt;b&gt;');
    expect(page.text).not.toContain(participant.iin ?? 'no-iin');
    expect(page.text).toContain(`href="/mentor/groups/${group.id}/protocols/${monthParam(currentMonth)}"`);
    expect(page.text).toContain('href="mailto:astana@zhas.kz"');
    expect(page.text).toContain('Координатор программы');
    // The home links to it.
    const home = await mentor.get('/mentor').expect(200);
    expect(home.text).toContain(`href="/mentor/groups/${group.id}"`);
  });

  it("answers 404 for another mentor's group, the same as for a group that does not exist", async () => {
    const group = await mentorGroup();
    const other = supertest.agent(portal.app);
    const login = await other.get('/login').expect(200);
    await other.post('/login').type('form').send({ email: 'group.other@zhas.local', password: demoPassword, _csrf: csrfTokenIn(login.text) }).expect(303);
    await other.get('/mentor').expect(200); // the "signed in" message is shown there
    const foreign = await other.get(`/mentor/groups/${group.id}`).expect(404);
    const missing = await other.get('/mentor/groups/999999').expect(404);
    // The same page, word for word: nothing tells that the group exists.
    const mainOf = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0];
    expect(mainOf(foreign.text)).toBeTruthy();
    expect(mainOf(foreign.text)).toBe(mainOf(missing.text));
    await supertest(portal.app).get(`/mentor/groups/${group.id}`).expect(303);
    const coordinator = await loginAs(portal.app, 'coordinator');
    await coordinator.get(`/mentor/groups/${group.id}`).expect(403);
  });
});

describe('a protocol month outside the group’s programme', () => {
  it('is explained with the period and a link to the group, still as a 404', async () => {
    const group = await mentorGroup();
    const mentor = await loginAs(portal.app, 'mentor');
    const before = monthParam(addMonths(group.programmeStartMonth, -2));
    const page = await mentor.get(`/mentor/groups/${group.id}/protocols/${before}`).expect(404);
    expect(page.text).toContain(`Программа группы «${group.name}» идёт ${formatMonth(group.programmeStartMonth, 'ru')} — ${formatMonth(programmeLastMonth(group), 'ru')}`);
    expect(page.text).toContain(`href="/mentor/groups/${group.id}"`);
    // Another mentor learns nothing: the plain 404.
    const other = supertest.agent(portal.app);
    const login = await other.get('/login').expect(200);
    await other.post('/login').type('form').send({ email: 'group.other@zhas.local', password: demoPassword, _csrf: csrfTokenIn(login.text) }).expect(303);
    const foreign = await other.get(`/mentor/groups/${group.id}/protocols/${before}`).expect(404);
    expect(foreign.text).not.toContain(group.name);
  });
});

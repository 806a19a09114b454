import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { addMonths, daysLeftInMonth, monthBounds, monthParam } from '../../src/features/mentoring/month-rules.ts';
import { formatDayAndMonth, formatMonth, monthStartOf } from '../../src/lib/dates.ts';
import { makeIin } from '../../src/lib/iin.ts';
import { regionIdOf } from '../helpers/application-form.ts';
import { csrfTokenIn, loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let portal: TestPortal;
let database: Database;
let coordinator: supertest.Agent;
let mentorId: number;
let astanaId: number;

const currentMonth = monthStartOf(new Date());

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  coordinator = await loginAs(portal.app, 'coordinator');
  mentorId = (await database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' } })).id;
  astanaId = await regionIdOf(database.prisma, 'ASTANA');
});
afterAll(async () => {
  await portal.close();
});

const assignedEmails = () => database.prisma.outboxEmail.findMany({ where: { template: 'group-assigned' }, orderBy: { id: 'asc' } });

function groupFields(name: string, mentor: string) {
  return { name, regionId: String(astanaId), projectTitle: 'Городские сады', projectDescription: '', hostOrganisationName: 'ОФ «Жасыл»', hostOrganisationHead: '', hostOrganisationAccountant: '', programmeStartMonth: monthParam(currentMonth), programmeMonths: '6', mentorId: mentor };
}

describe('the mentor hears that a group is hers', () => {
  it('is e-mailed, in her language, when the group form assigns her a group', async () => {
    await database.prisma.user.update({ where: { id: mentorId }, data: { locale: 'kk' } });
    try {
      await database.prisma.outboxEmail.deleteMany({ where: { template: 'group-assigned' } });
      await postForm(coordinator, '/admin/groups', groupFields('Жасыл қала', String(mentorId)), { tokenFrom: '/admin/groups/new' }).expect(303);
      const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Жасыл қала' } });
      const [email] = await assignedEmails();
      expect(email).toMatchObject({ toAddress: 'mentor@zhas.local', locale: 'kk' });
      expect(email.textBody).toContain('Сәлеметсіз бе');
      expect(email.textBody).toContain('«Жасыл қала»');
      expect(email.textBody).toContain(`/mentor/groups/${group.id}`);
      // The link leads to her group page.
      const mentor = await loginAs(portal.app, 'mentor');
      await mentor.get(`/mentor/groups/${group.id}`).expect(200);
    } finally {
      await database.prisma.user.update({ where: { id: mentorId }, data: { locale: 'ru' } });
    }
  });

  it('is e-mailed when an edit gives her a group, and not when the edit changes something else', async () => {
    await postForm(coordinator, '/admin/groups', groupFields('Без ментора', ''), { tokenFrom: '/admin/groups/new' }).expect(303);
    const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Без ментора' } });
    await database.prisma.outboxEmail.deleteMany({ where: { template: 'group-assigned' } });
    expect(await assignedEmails()).toHaveLength(0);
    await postForm(coordinator, `/admin/groups/${group.id}`, groupFields('Без ментора', String(mentorId)), { tokenFrom: `/admin/groups/${group.id}/edit` }).expect(303);
    const emails = await assignedEmails();
    expect(emails).toHaveLength(1);
    expect(emails[0].textBody).toContain('«Без ментора»');
    expect(emails[0].textBody).toContain('Здравствуйте');
    await postForm(coordinator, `/admin/groups/${group.id}`, { ...groupFields('Без ментора', String(mentorId)), projectTitle: 'Другой проект' }, { tokenFrom: `/admin/groups/${group.id}/edit` }).expect(303);
    expect(await assignedEmails()).toHaveLength(1);
  });

  it('is e-mailed when an import creates a group with her as its mentor', async () => {
    await database.prisma.outboxEmail.deleteMany({ where: { template: 'group-assigned' } });
    const iin = makeIin(new Date(Date.UTC(2008, 2, 3)), true, 7100);
    const csv = ['group_name,region,project_title,host_organisation,start_month,months,mentor_email,participant_name,participant_iin,participant_age', `Импортная,ASTANA,Медиа,ОФ,${monthParam(currentMonth)},6,mentor@zhas.local,Айдана,${iin},`].join('\n');
    const form = await coordinator.get('/admin/groups/import').expect(200);
    const preview = await coordinator.post(`/admin/groups/import?_csrf=${encodeURIComponent(csrfTokenIn(form.text))}`).attach('file', Buffer.from(csv), 'groups.csv').expect(200);
    await coordinator.post('/admin/groups/import/confirm').type('form').send({ _csrf: csrfTokenIn(preview.text), importId: /name="importId" value="([^"]+)"/.exec(preview.text)![1] }).expect(303);
    const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Импортная' } });
    const emails = await assignedEmails();
    expect(emails).toHaveLength(1);
    expect(emails[0].textBody).toContain(`/mentor/groups/${group.id}`);
  });
});

describe("the mentor's home", () => {
  it("shows each open month's deadline and the days left, with the language's plural", async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const days = daysLeftInMonth(new Date());
    const ruPlural = days % 10 === 1 && days % 100 !== 11 ? `остался ${days} день` : [2, 3, 4].includes(days % 10) && ![12, 13, 14].includes(days % 100) ? `осталось ${days} дня` : `осталось ${days} дней`;
    const home = await mentor.get('/mentor?lang=ru').expect(200);
    expect(home.text).toContain(`Сдать до ${formatDayAndMonth(monthBounds(currentMonth).last, 'ru')} · <strong>${ruPlural}</strong>`);
    // An earlier month still missing shows the deadline that has passed.
    const previous = addMonths(currentMonth, -1);
    expect(home.text).toContain(`Срок был ${formatDayAndMonth(monthBounds(previous).last, 'ru')}`);
    const english = await mentor.get('/mentor?lang=en').expect(200);
    expect(english.text).toContain(`${days} ${days === 1 ? 'day' : 'days'} left`);
    await mentor.get('/mentor?lang=ru').expect(200);
  });
});

describe('a reminder sent now from the compliance grid', () => {
  it('links each mentor of the grid to a confirmation of what will be sent', async () => {
    const grid = await coordinator.get('/admin/compliance').expect(200);
    expect(grid.text).toContain(`href="/admin/compliance/remind/${mentorId}"`);
    const confirm = await coordinator.get(`/admin/compliance/remind/${mentorId}`).expect(200);
    expect(confirm.headers['cache-control']).toContain('no-store');
    expect(confirm.text).toContain('mentor@zhas.local');
    expect(confirm.text).toContain(`Көмек, ${formatMonth(addMonths(currentMonth, -2), 'ru')}`);
    expect(confirm.text).toContain(`action="/admin/compliance/remind/${mentorId}"`);
  });

  it('is refused without the CSRF token, for someone who is not a mentor, and to a mentor', async () => {
    await coordinator.post(`/admin/compliance/remind/${mentorId}`).type('form').send({}).expect(403);
    const coordinatorId = (await database.prisma.user.findUniqueOrThrow({ where: { email: 'coordinator@zhas.local' } })).id;
    await coordinator.get(`/admin/compliance/remind/${coordinatorId}`).expect(404);
    await postForm(coordinator, `/admin/compliance/remind/${coordinatorId}`, {}, { tokenFrom: '/admin/compliance' }).expect(404);
    const mentor = await loginAs(portal.app, 'mentor');
    const refused = await postForm(mentor, `/admin/compliance/remind/${mentorId}`);
    expect([302, 303, 403, 404]).toContain(refused.status);
    expect(await database.prisma.outboxEmail.count({ where: { template: 'protocol-reminder' } })).toBe(0);
  });

  it('sends the reminder with the overdue months, audited, once per mentor and day', async () => {
    const sent = await postForm(coordinator, `/admin/compliance/remind/${mentorId}`, {}, { tokenFrom: `/admin/compliance/remind/${mentorId}` }).expect(303);
    expect(sent.headers.location).toBe('/admin/compliance');
    expect((await coordinator.get('/admin/compliance').expect(200)).text).toContain('Напоминание отправлено.');
    const emails = await database.prisma.outboxEmail.findMany({ where: { template: 'protocol-reminder' } });
    expect(emails).toHaveLength(1);
    expect(emails[0].toAddress).toBe('mentor@zhas.local');
    expect(emails[0].textBody).toContain(`Көмек, ${formatMonth(addMonths(currentMonth, -2), 'ru')}`);
    const coordinatorId = (await database.prisma.user.findUniqueOrThrow({ where: { email: 'coordinator@zhas.local' } })).id;
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'reminder.sent_now', entityType: 'User', entityId: String(mentorId), actorId: coordinatorId } })).toBe(1);

    await postForm(coordinator, `/admin/compliance/remind/${mentorId}`, {}, { tokenFrom: `/admin/compliance/remind/${mentorId}` }).expect(303);
    expect((await coordinator.get('/admin/compliance').expect(200)).text).toContain('Сегодня этому ментору уже отправляли напоминание');
    expect(await database.prisma.outboxEmail.count({ where: { template: 'protocol-reminder' } })).toBe(1);
  });
});

describe('the reminder schedule', () => {
  it("is on the coordinator's compliance page, in each language", async () => {
    const ru = await coordinator.get('/admin/compliance?lang=ru').expect(200);
    expect(ru.text).toContain('Когда отправляются напоминания');
    expect(ru.text).toContain('За 5 дней до конца месяца');
    expect(ru.text).toContain('Каждый день с 9:00');
    const en = await coordinator.get('/admin/compliance?lang=en').expect(200);
    expect(en.text).toContain('5 days before the month ends');
    await coordinator.get('/admin/compliance?lang=ru').expect(200);
  });
});

describe('the participant form', () => {
  it('names the group that already holds a duplicate IIN', async () => {
    const holder = await database.prisma.groupParticipant.findFirstOrThrow({ where: { iin: { not: null }, group: { name: 'Eco Steppe' } }, include: { group: true } });
    const target = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Жастар үні' } });
    const added = await postForm(coordinator, `/admin/groups/${target.id}/participants`, { fullName: 'Двойник', iin: holder.iin!, age: '' }, { tokenFrom: `/admin/groups/${target.id}` }).expect(422);
    expect(added.text).toContain('Этот ИИН уже есть у участника группы «Eco Steppe».');
    expect(added.text).toContain(`href="/admin/groups/${holder.groupId}#participants"`);
    expect(added.text).toContain('value="Двойник"');

    const own = await database.prisma.groupParticipant.findFirstOrThrow({ where: { groupId: target.id } });
    const edited = await postForm(coordinator, `/admin/groups/${target.id}/participants/${own.id}`, { fullName: own.fullName, iin: holder.iin!, age: '' }, { tokenFrom: `/admin/groups/${target.id}/participants/${own.id}/edit` }).expect(422);
    expect(edited.text).toContain('Этот ИИН уже есть у участника группы «Eco Steppe».');
  });
});

describe('an import that checks what it promises', () => {
  async function upload(content: string | Buffer, name: string) {
    const form = await coordinator.get('/admin/groups/import').expect(200);
    return coordinator.post(`/admin/groups/import?_csrf=${encodeURIComponent(csrfTokenIn(form.text))}`).attach('file', Buffer.from(content), name);
  }
  function confirm(preview: supertest.Response) {
    return coordinator.post('/admin/groups/import/confirm').type('form').send({ _csrf: csrfTokenIn(preview.text), importId: /name="importId" value="([^"]+)"/.exec(preview.text)![1] });
  }

  it('imports the downloadable template unchanged', async () => {
    const template = await coordinator.get('/admin/groups/import/template.csv').expect(200);
    const preview = await upload(template.text, 'zhas-groups-import.csv');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Сохранить строки без ошибок (2)');
    await confirm(preview).expect(303);
    expect(await database.prisma.groupParticipant.count({ where: { fullName: { in: ['Алия Ахметова', 'Нурлан Садыков'] }, group: { name: 'Жастар үні', programmeStartMonth: currentMonth } } })).toBe(2);
  });

  it('names the line of a malformed CSV', async () => {
    const csv = ['group_name,region,participant_name', 'Группа,ASTANA,Иван', 'Группа,ASTANA,"Иван "Пётр" Сидоров'].join('\n');
    const refused = await upload(csv, 'broken.csv');
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('ошибка в строке 3');
  });

  it('offers the rows with errors, after saving, as a file to fix and import again', async () => {
    const good = makeIin(new Date(Date.UTC(2009, 1, 1)), true, 7201);
    const bad = makeIin(new Date(Date.UTC(2009, 1, 2)), false, 7202);
    const csv = [
      'group_name,region,project_title,host_organisation,start_month,months,participant_name,participant_iin,participant_age,participant_contact',
      `Исправимая,ASTANA,Проект,ОФ,${monthParam(currentMonth)},6,Первый,${good},,`,
      `Исправимая,ASTANA,,,,,Второй,${bad},45,+7 701 000 00 02`,
    ].join('\n');
    const preview = await upload(csv, 'my groups.csv');
    expect(preview.text).toContain('Сохранить строки без ошибок (1)');
    await confirm(preview).expect(303);
    const done = await coordinator.get('/admin/groups/import/done').expect(200);
    expect(done.text).toContain('href="/admin/groups/import/errors.csv"');
    const file = await coordinator.get('/admin/groups/import/errors.csv').expect(200);
    expect(file.headers['content-disposition']).toContain('errors.csv');
    const lines = file.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^group_name,region,.*,errors$/);
    expect(lines[1]).toContain(`Второй,${bad},45`);
    expect(lines[1]).toContain('participant_age: ');
    expect(file.text).not.toContain('Первый');

    // Fixed (the age removed), the same file imports into the group the first save created.
    const fixed = file.text.replace(`${bad},45`, `${bad},`);
    const again = await upload(fixed, 'my groups-errors.csv');
    expect(again.text).toContain('Сохранить строки без ошибок (1)');
    await confirm(again).expect(303);
    expect(await database.prisma.groupParticipant.count({ where: { group: { name: 'Исправимая' } } })).toBe(2);
    expect(await database.prisma.groupParticipant.findFirstOrThrow({ where: { iin: bad } })).toMatchObject({ fullName: 'Второй', contact: '+7 701 000 00 02' });
  });
});

import ExcelJS from 'exceljs';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { addMonths, monthParam } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { makeIin } from '../../src/lib/iin.ts';
import { csrfTokenIn, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { postApplication, regionIdOf, validFields } from '../helpers/application-form.ts';

let database: Database;
let portal: TestPortal;
let coordinator: supertest.Agent;
let astanaId: number;
let almatyId: number;
let mentorId: number;

const now = new Date();
const currentMonth = monthStartOf(now);
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const iin = (serial: number) => makeIin(new Date(Date.UTC(2008, 4, 12)), serial % 2 === 0, 3000 + serial);

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100', SUBMISSIONS_PER_IP_PER_HOUR: '100', UPLOADS_PER_IP_PER_HOUR: '100' } });
  database = portal.database;
  coordinator = await loginAs(portal.app, 'coordinator');
  astanaId = await regionIdOf(database.prisma, 'ASTANA');
  almatyId = await regionIdOf(database.prisma, 'ALMATY');
  mentorId = (await database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' } })).id;
});
afterAll(async () => {
  await portal.close();
});

/** A binary response body as a Buffer (supertest leaves unknown types unparsed otherwise). */
function binary(request: supertest.Test) {
  return request.buffer(true).parse((response, callback) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => callback(null, Buffer.concat(chunks)));
  });
}

async function readWorkbook(body: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  return workbook;
}

const rowValues = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1).map((value) => (value === null || value === undefined ? '' : String(value)));

describe('youth groups', () => {
  it('lists the groups with filters by region and mentor', async () => {
    const all = await coordinator.get('/admin/groups').expect(200);
    expect(all.text).toContain('Жастар үні');
    expect(all.text).toContain('Гульнара Жумабаева');
    const almaty = await coordinator.get(`/admin/groups?region=${almatyId}`).expect(200);
    expect(almaty.text).not.toContain('Жастар үні');
    expect(almaty.text).toContain('Групп с такими условиями нет.');
    const withoutMentor = await coordinator.get('/admin/groups?mentor=none').expect(200);
    expect(withoutMentor.text).not.toContain('Eco Steppe');
    const byMentor = await coordinator.get(`/admin/groups?mentor=${mentorId}`).expect(200);
    expect(byMentor.text).toContain('Eco Steppe');
  });

  it('creates a group after checking the form, and assigns the mentor', async () => {
    const form = await coordinator.get('/admin/groups/new').expect(200);
    const token = csrfTokenIn(form.text);
    const invalid = await coordinator.post('/admin/groups').type('form').send({ _csrf: token, name: 'Новая группа', regionId: '', projectTitle: '', hostOrganisationName: 'ОФ', programmeStartMonth: '2026/09', programmeMonths: '40' }).expect(422);
    expect(invalid.text).toContain('id="regionId-error"');
    expect(invalid.text).toContain('id="projectTitle-error"');
    expect(invalid.text).toContain('Укажите месяц в виде ГГГГ-ММ');
    expect(invalid.text).toContain('Длительность — от 1 до 24 месяцев.');
    expect(invalid.text).toContain('value="Новая группа"');

    const created = await coordinator.post('/admin/groups').type('form').send({
      _csrf: token, name: 'Қадам', regionId: String(almatyId), projectTitle: 'Инклюзивный спорт', projectDescription: 'Секции для детей с инвалидностью',
      hostOrganisationName: 'ОО «Қадам»', hostOrganisationHead: 'Серік Ахметов', hostOrganisationAccountant: '', programmeStartMonth: monthParam(currentMonth), programmeMonths: '', mentorId: String(mentorId),
    }).expect(303);
    const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Қадам' } });
    expect(created.headers.location).toBe(`/admin/groups/${group.id}`);
    expect(group).toMatchObject({ regionId: almatyId, programmeMonths: 6, mentorId, hostOrganisationAccountant: null });
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'group.created', entityId: String(group.id) } })).toBe(1);

    const mentor = await loginAs(portal.app, 'mentor');
    expect((await mentor.get('/mentor').expect(200)).text).toContain('Қадам');
  });

  it('edits a group, but keeps its existing protocols inside the programme', async () => {
    const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Жастар үні' } });
    const form = await coordinator.get(`/admin/groups/${group.id}/edit`).expect(200);
    const token = csrfTokenIn(form.text);
    const fields = { _csrf: token, name: group.name, regionId: String(group.regionId), projectTitle: group.projectTitle, hostOrganisationName: group.hostOrganisationName, programmeStartMonth: monthParam(addMonths(group.programmeStartMonth, 1)), programmeMonths: '6', mentorId: String(mentorId) };
    const refused = await coordinator.post(`/admin/groups/${group.id}`).type('form').send(fields).expect(422);
    expect(refused.text).toContain('У группы уже есть протоколы за месяцы вне нового периода');
    await coordinator.post(`/admin/groups/${group.id}`).type('form').send({ ...fields, programmeStartMonth: monthParam(group.programmeStartMonth), programmeMonths: '8', mentorId: '' }).expect(303);
    expect(await database.prisma.youthGroup.findUniqueOrThrow({ where: { id: group.id } })).toMatchObject({ programmeMonths: 8, mentorId: null });
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'group.mentor_assigned', entityId: String(group.id) } })).toBe(1);
    await coordinator.post(`/admin/groups/${group.id}`).type('form').send({ ...fields, programmeStartMonth: monthParam(group.programmeStartMonth), programmeMonths: '6' }).expect(303);
  });

  it('adds participants with a checked, unique IIN, which then bars them from applying as a mentor', async () => {
    const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Қадам' } });
    const page = await coordinator.get(`/admin/groups/${group.id}`).expect(200);
    const token = csrfTokenIn(page.text);
    const badIin = await coordinator.post(`/admin/groups/${group.id}/participants`).type('form').send({ _csrf: token, fullName: 'Ерлан', iin: '123456789012', age: '' }).expect(422);
    expect(badIin.text).toContain('id="iin-error"');
    expect(badIin.text).toContain('value="Ерлан"');
    const registered = await database.prisma.groupParticipant.findFirstOrThrow({ where: { iin: { not: null } } });
    const duplicate = await coordinator.post(`/admin/groups/${group.id}/participants`).type('form').send({ _csrf: token, fullName: 'Двойник', iin: registered.iin!, age: '18' }).expect(422);
    expect(duplicate.text).toContain('Участник с этим ИИН уже зарегистрирован');
    const tooOld = await coordinator.post(`/admin/groups/${group.id}/participants`).type('form').send({ _csrf: token, fullName: 'Старший', iin: iin(1), age: '35' }).expect(422);
    expect(tooOld.text).toContain('от 14 до 29 лет');

    const participantIin = makeIin(new Date(Date.UTC(1999, 6, 1)), true, 77);
    await coordinator.post(`/admin/groups/${group.id}/participants`).type('form').send({ _csrf: token, fullName: 'Мадина Касымова', iin: participantIin, age: '', contact: '+7 705 111 22 33' }).expect(303);
    const participant = await database.prisma.groupParticipant.findFirstOrThrow({ where: { iin: participantIin } });
    expect(participant.age).toBeGreaterThanOrEqual(26); // worked out from the IIN
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'participant.added', entityId: String(participant.id) } })).toBe(1);

    // The application form refuses that IIN: members of youth groups cannot be mentors.
    const application = await postApplication(supertest.agent(portal.app), validFields(astanaId, { iin: participantIin, birthDate: '1999-07-01' }));
    expect(application.status).toBe(422);
    expect(application.text).toContain('Заявку с этим ИИН принять нельзя');

    // Edit, then remove (nobody has recorded attendance for them).
    const edit = await coordinator.get(`/admin/groups/${group.id}/participants/${participant.id}/edit`).expect(200);
    await coordinator.post(`/admin/groups/${group.id}/participants/${participant.id}`).type('form').send({ _csrf: csrfTokenIn(edit.text), fullName: 'Мадина Касымова', iin: participantIin, age: '25', contact: '' }).expect(303);
    expect((await database.prisma.groupParticipant.findUniqueOrThrow({ where: { id: participant.id } })).age).toBe(25);
    await coordinator.post(`/admin/groups/${group.id}/participants/${participant.id}/delete`).type('form').send({ _csrf: token }).expect(303);
    expect(await database.prisma.groupParticipant.count({ where: { id: participant.id } })).toBe(0);
  });

  it('keeps a participant whose attendance is recorded', async () => {
    const attendance = await database.prisma.protocolAttendance.findFirstOrThrow({ include: { participant: true } });
    const page = await coordinator.get(`/admin/groups/${attendance.participant.groupId}`).expect(200);
    await coordinator.post(`/admin/groups/${attendance.participant.groupId}/participants/${attendance.participantId}/delete`).type('form').send({ _csrf: csrfTokenIn(page.text) }).expect(303);
    expect(await database.prisma.groupParticipant.count({ where: { id: attendance.participantId } })).toBe(1);
  });
});

describe('import of groups and participants', () => {
  const header = 'group_name,region,project_title,host_organisation,start_month,months,mentor_email,participant_name,participant_iin,participant_age,participant_contact';
  const csv = () => [
    header,
    // Ages left empty: the IINs give them (a typed age must match the IIN's date of birth).
    `Шаңырақ,ASTANA,Медиашкола,ОФ «Шаңырақ»,${monthParam(currentMonth)},6,mentor@zhas.local,Айдана Серікқызы,${iin(10)},,`,
    `Шаңырақ,ASTANA,,,,,,Бекзат Ерланұлы,${iin(11)},,`,
    `Шаңырақ,ASTANA,,,,,,Повтор ИИН,${iin(10)},,`,
    `Жарық,Марс,Свет,ОФ,${monthParam(currentMonth)},6,,Асель,${iin(12)},,`,
  ].join('\n');

  async function upload(agent: supertest.Agent, content: Buffer, name: string) {
    const form = await agent.get('/admin/groups/import').expect(200);
    const token = csrfTokenIn(form.text);
    return agent.post(`/admin/groups/import?_csrf=${encodeURIComponent(token)}`).attach('file', content, name);
  }

  it('keeps the previewed rows on the server, not in the session (a big sheet must not weigh on every later page)', async () => {
    const preview = await upload(coordinator, Buffer.from(csv()), 'groups.csv');
    expect(preview.status).toBe(200);
    const sessions = await database.prisma.session.findMany({ where: { data: { contains: 'groupImport' } } });
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) {
      expect(session.data).not.toContain(iin(10));
      expect(session.data.length).toBeLessThan(2000);
    }
  });

  it('refuses an upload without the CSRF token', async () => {
    await coordinator.post('/admin/groups/import').attach('file', Buffer.from(csv()), 'groups.csv').expect(403);
  });

  it('previews every row with its errors and saves nothing until confirmed', async () => {
    const before = await database.prisma.groupParticipant.count();
    const preview = await upload(coordinator, Buffer.from(csv()), 'groups.csv');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Проверка файла');
    expect(preview.text).toContain('Этот ИИН уже есть в строке 2 файла.');
    expect(preview.text).toContain('Регион «Марс» не найден.');
    expect(preview.text).toContain('Сохранить строки без ошибок (2)');
    // The summary's figures take the plural their number asks for.
    const summary = [...preview.text.matchAll(/<span class="stat-value">(\d+)<\/span><span class="stat-label">([^<]*)<\/span>/g)].map((match) => `${match[1]} ${match[2]}`);
    expect(summary).toEqual(['2 строки без ошибок', '2 строки с ошибками', '1 новая группа', '2 новых участника']);
    expect(await database.prisma.groupParticipant.count()).toBe(before);
    expect(await database.prisma.youthGroup.count({ where: { name: 'Шаңырақ' } })).toBe(0);

    const confirmed = await coordinator.post('/admin/groups/import/confirm').type('form').send({ _csrf: csrfTokenIn(preview.text), importId: /name="importId" value="([^"]+)"/.exec(preview.text)![1] }).expect(303);
    expect(confirmed.headers.location).toBe('/admin/groups/import/done');
    const done = await coordinator.get('/admin/groups/import/done').expect(200);
    expect(done.text).toContain('Создано групп: 1. Добавлено участников: 2.');
    expect(done.text).toContain('Пропущено строк с ошибками: 2.');
    const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Шаңырақ' }, include: { participants: true } });
    expect(group).toMatchObject({ regionId: astanaId, mentorId, projectTitle: 'Медиашкола' });
    expect(group.participants.map((participant) => participant.fullName).sort()).toEqual(['Айдана Серікқызы', 'Бекзат Ерланұлы']);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'groups.imported' } })).toBe(1);

    // The same confirmation cannot be replayed.
    const replay = await coordinator.post('/admin/groups/import/confirm').type('form').send({ _csrf: csrfTokenIn(preview.text), importId: 'x' }).expect(303);
    expect(replay.headers.location).toBe('/admin/groups/import');
  });

  it('re-checks at confirmation: rows that became duplicates meanwhile are not saved', async () => {
    const content = [header, `Шаңырақ,ASTANA,,,,,,Нұрсұлтан,${iin(20)},,`, `Шаңырақ,ASTANA,,,,,,Дария,${iin(21)},,`].join('\n');
    const preview = await upload(coordinator, Buffer.from(content), 'more.csv');
    expect(preview.text).toContain('Сохранить строки без ошибок (2)');
    // Someone registers one of these IINs by hand before the confirmation.
    const other = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Eco Steppe' } });
    await database.prisma.groupParticipant.create({ data: { groupId: other.id, fullName: 'Дария', iin: iin(21) } });
    const confirmed = await coordinator.post('/admin/groups/import/confirm').type('form').send({ _csrf: csrfTokenIn(preview.text), importId: /name="importId" value="([^"]+)"/.exec(preview.text)![1] }).expect(409);
    expect(confirmed.text).toContain('Ничего не сохранено');
    expect(confirmed.text).toContain('Этот ИИН уже зарегистрирован в группе «Eco Steppe».');
    expect(await database.prisma.groupParticipant.count({ where: { iin: iin(20) } })).toBe(0);
  });

  it('reads Excel files too, and explains a file it cannot read', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Лист1');
    sheet.addRow(['group_name', 'region', 'participant_name', 'participant_iin']);
    sheet.addRow(['Шаңырақ', 'город Астана', 'Тимур Ли', iin(30)]);
    const preview = await upload(coordinator, Buffer.from(await workbook.xlsx.writeBuffer()), 'groups.xlsx');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('новый участник');
    const broken = await upload(coordinator, Buffer.from('just some words'), 'notes.csv');
    expect(broken.status).toBe(422);
    expect(broken.text).toContain('нет обязательных столбцов group_name и region');
  });

  it('offers a template file', async () => {
    const template = await coordinator.get('/admin/groups/import/template.csv').expect(200);
    expect(template.headers['content-type']).toContain('text/csv');
    expect(template.text).toContain('group_name,region,project_title');
  });
});

describe('compliance grid and exports', () => {
  it('shows groups × months with colour and words, totals, and filters', async () => {
    const page = await coordinator.get('/admin/compliance').expect(200);
    expect(page.text).toContain('Сдача протоколов');
    expect(page.text).toContain('Eco Steppe');
    expect(page.text).toMatch(/class="cell cell-submitted"[\s\S]*?сдан/);
    expect(page.text).toMatch(/class="cell cell-missing"[\s\S]*?нет протокола/);
    expect(page.text).toContain('Итоги по менторам');
    expect(page.text).toContain('Итоги по регионам');
    expect(page.text).toContain('Ментор: Гульнара Жумабаева');
    const almaty = await coordinator.get(`/admin/compliance?region=${almatyId}`).expect(200);
    expect(almaty.text).not.toContain('Eco Steppe');
    expect(almaty.text).toContain('Қадам');
  });

  it('exports the grid as a real Excel file', async () => {
    const response = await binary(coordinator.get(`/admin/compliance/export.xlsx?region=${astanaId}`)).expect(200);
    expect(response.headers['content-type']).toBe(xlsxType);
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="?zhas-compliance-\d{4}-\d{2}-\d{4}-\d{2}\.xlsx"?$/);
    const workbook = await readWorkbook(response.body as Buffer);
    const grid = workbook.worksheets[0];
    expect(rowValues(grid, 1).slice(0, 3)).toEqual(['Регион', 'Ментор', 'Название группы']);
    const ecoRow = [...Array(grid.rowCount).keys()].map((index) => rowValues(grid, index + 1)).find((values) => values[2] === 'Eco Steppe')!;
    expect(ecoRow[0]).toBe('город Астана');
    expect(ecoRow).toContain('протокол сдан');
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Протоколы по месяцам', 'Итоги', 'Обозначения']);
  });

  it('exports all protocols of a region and month', async () => {
    const firstMonth = addMonths(currentMonth, -2); // the demo's first programme month: two submitted protocols
    const response = await binary(coordinator.get(`/admin/protocols/export.xlsx?region=${astanaId}&month=${monthParam(firstMonth)}`)).expect(200);
    expect(response.headers['content-type']).toBe(xlsxType);
    const sheet = (await readWorkbook(response.body as Buffer)).worksheets[0];
    expect(sheet.rowCount).toBe(3);
    expect(rowValues(sheet, 1)).toContain('Какие вопросы поднимались');
    expect(rowValues(sheet, 2)).toContain('Распределение ролей в команде; план первого месяца.');
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'protocols.exported', entityId: String(astanaId) } })).toBe(1);
    const missing = await coordinator.get('/admin/protocols/export.xlsx?region=').expect(303);
    expect(missing.headers.location).toContain('/admin/compliance');
  });
});

describe('trainings', () => {
  it('marks a mentor as trainer, records a 4-day training with attendance, and shows it to the trainer', async () => {
    const trainersPage = await coordinator.get('/admin/trainings/trainers').expect(200);
    const token = csrfTokenIn(trainersPage.text);
    await coordinator.post(`/admin/trainings/trainers/${mentorId}`).type('form').send({ _csrf: token, isTrainer: 'yes' }).expect(303);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: mentorId } })).isTrainer).toBe(true);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'user.trainer_granted', entityId: String(mentorId) } })).toBe(1);

    const groups = await database.prisma.youthGroup.findMany({ where: { regionId: astanaId, name: { in: ['Eco Steppe', 'Көмек'] } } });
    const form = await coordinator.get('/admin/trainings/new').expect(200);
    expect(form.text).toContain('Гульнара Жумабаева');
    const base = { _csrf: token, phase: 'PROGRAMME_START', regionId: String(astanaId), title: 'Стартовый тренинг: от идеи к проекту', place: 'Астана, Дворец молодёжи', trainerIds: String(mentorId), groupIds: groups.map((group) => String(group.id)) };
    const fourDays = ['2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08'];
    const tooShort = await coordinator.post('/admin/trainings').type('form').send({ ...base, days: ['2026-10-05', '2026-10-06'] }).expect(422);
    expect(tooShort.text).toContain('Укажите четыре дня тренинга.');
    const wrongRegion = await coordinator.post('/admin/trainings').type('form').send({ ...base, regionId: String(almatyId), days: fourDays }).expect(422);
    expect(wrongRegion.text).toContain('Все группы должны быть из региона тренинга.');
    const created = await coordinator.post('/admin/trainings').type('form').send({ ...base, days: fourDays }).expect(303);
    const training = await database.prisma.training.findFirstOrThrow({ include: { groups: true, trainers: true } });
    expect(created.headers.location).toBe(`/admin/trainings/${training.id}`);
    expect(training.groups).toHaveLength(2);

    const detail = await coordinator.get(`/admin/trainings/${training.id}`).expect(200);
    const participants = await database.prisma.groupParticipant.findMany({ where: { groupId: { in: groups.map((group) => group.id) } } });
    expect((detail.text.match(/name="present"/g) ?? []).length).toBe(participants.length * 4);
    const [first, second] = participants;
    await coordinator.post(`/admin/trainings/${training.id}/attendance`).type('form')
      .send({ _csrf: token, present: [`${first.id}:1`, `${first.id}:2`, `${first.id}:3`, `${first.id}:4`, `${second.id}:1`, '99999:1', 'junk'] }).expect(303);
    const rows = await database.prisma.trainingAttendance.findMany({ where: { trainingId: training.id } });
    expect(rows).toHaveLength(participants.length * 4);
    expect(rows.filter((row) => row.present)).toHaveLength(5);
    const after = await coordinator.get(`/admin/trainings/${training.id}`).expect(200);
    expect(after.text).toContain('день 1 — 2, день 2 — 1, день 3 — 1, день 4 — 1');

    const mentor = await loginAs(portal.app, 'mentor');
    const home = await mentor.get('/mentor').expect(200);
    expect(home.text).toContain('Тренинги, которые я провожу');
    expect(home.text).toContain('Стартовый тренинг: от идеи к проекту');
  });
});

describe('every mentoring page in three languages', () => {
  it.each(['ru', 'kk', 'en'])('renders in %s with no untranslated key or placeholder', async (language) => {
    const mentor = await loginAs(portal.app, 'mentor');
    const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Eco Steppe' } });
    const protocol = await database.prisma.sessionProtocol.findFirstOrThrow({ where: { groupId: group.id } });
    const training = await database.prisma.training.findFirstOrThrow();
    const pages: [supertest.Agent, string][] = [
      [mentor, '/mentor'],
      [mentor, `/mentor/groups/${group.id}/protocols/${monthParam(currentMonth)}`],
      [mentor, `/mentor/groups/${group.id}/protocols/${monthParam(protocol.month)}`],
      [mentor, `/mentor/groups/${group.id}/protocols/${monthParam(protocol.month)}/print`],
      ...['/admin/groups', '/admin/groups/new', `/admin/groups/${group.id}`, `/admin/groups/${group.id}/edit`, '/admin/groups/import', '/admin/compliance',
        `/admin/protocols/${protocol.id}`, `/admin/protocols/${protocol.id}/print`, '/admin/trainings', '/admin/trainings/new', `/admin/trainings/${training.id}`,
        `/admin/trainings/${training.id}/edit`, '/admin/trainings/trainers'].map((path): [supertest.Agent, string] => [coordinator, path]),
    ];
    for (const [agent, path] of pages) {
      const response = await agent.get(`${path}?lang=${language}`);
      expect(response.status, path).toBe(200);
      expect(response.text, path).toContain(`lang="${language}"`);
      expect(response.text, path).not.toMatch(/mentoring:[a-zA-Z]|\{\{/);
    }
    await coordinator.get('/admin/groups?lang=ru');
    await mentor.get('/mentor?lang=ru');
  });
});

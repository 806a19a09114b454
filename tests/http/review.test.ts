import ExcelJS from 'exceljs';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { formatDate, toDateInputValue } from '../../src/lib/dates.ts';
import { loginAs, postForm, startTestPortal, type DemoRole, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

let database: Database;
let portal: TestPortal;
let uploadDir: string;
const agents = {} as Record<DemoRole, supertest.Agent>;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  uploadDir = portal.uploadDir;
  for (const role of ['coordinator', 'chair', 'member', 'secondMember', 'otherRegionMember', 'mentor'] as const) agents[role] = await loginAs(portal.app, role);
});
afterAll(async () => {
  await portal.close();
});

describe('authorisation matrix', () => {
  it('answers every committee route by role and region', async () => {
    const astana = await createApplication(database.prisma, { regionCode: 'ASTANA', uploadDir });
    const documentId = astana.documents[0].id;
    const routes = [
      `/committee/applications`,
      `/committee/applications/export.csv`,
      `/committee/applications/${astana.id}`,
      `/committee/applications/${astana.id}/documents/${documentId}`,
    ];
    // Committee of the region and the coordinator: 200; mentor: 403; visitor: to the login page.
    for (const route of routes) {
      for (const role of ['coordinator', 'chair', 'member'] as const) expect((await agents[role].get(route)).status, `${role} ${route}`).toBe(200);
      expect((await agents.mentor.get(route)).status, `mentor ${route}`).toBe(403);
      const visitor = await supertest(portal.app).get(route);
      expect(visitor.status, `visitor ${route}`).toBe(303);
      expect(visitor.headers.location).toMatch(/^\/login\?next=/);
    }
    // A member of another region: the list works but never shows it; the record answers 404.
    const list = await agents.otherRegionMember.get('/committee/applications').expect(200);
    expect(list.text).not.toContain(astana.number);
    expect((await agents.otherRegionMember.get(`/committee/applications/${astana.id}`)).status).toBe(404);
    expect((await agents.otherRegionMember.get(`/committee/applications/${astana.id}/documents/${documentId}`)).status).toBe(404);
    expect((await agents.otherRegionMember.get('/committee/applications/export.csv')).text).not.toContain(astana.number);
    const astanaRegion = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
    expect((await agents.otherRegionMember.get(`/committee/regions/${astanaRegion.id}/ranking`)).status).toBe(404);
    for (const [action, fields] of [
      ['status', { to: 'SCREENING' }],
      ['conflict', {}],
      ['score', {}],
      ['decision', { outcome: 'SELECTED' }],
      ['request-document', { kind: 'ID_CARD' }],
      [`documents/${documentId}/check`, { checkStatus: 'ACCEPTED' }],
    ] as const) {
      expect((await postForm(agents.otherRegionMember, `/committee/applications/${astana.id}/${action}`, fields)).status, action).toBe(404);
    }
    // Chair-only actions: a plain member gets 403.
    expect((await postForm(agents.member, `/committee/applications/${astana.id}/status`, { to: 'SCREENING' })).status).toBe(403);
    expect((await postForm(agents.member, `/committee/applications/${astana.id}/request-document`, { kind: 'ID_CARD' })).status).toBe(403);
    // Nothing changed.
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: astana.id } })).status).toBe('SUBMITTED');
  });

  it('answers an unknown or malformed id with 404, and a post without CSRF with 403', async () => {
    await agents.chair.get('/committee/applications/999999').expect(404);
    await agents.chair.get('/committee/applications/abc').expect(404);
    const astana = await createApplication(database.prisma, { regionCode: 'ASTANA', uploadDir });
    await agents.chair.get(`/committee/applications/${astana.id}/documents/..%2F..%2Fetc%2Fpasswd`).expect(404);
    await agents.chair.post(`/committee/applications/${astana.id}/status`).type('form').send({ to: 'SCREENING' }).expect(403);
  });
});

describe('documents', () => {
  it('are served only through the authorised route, with no-store, the right type, and an audit entry', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', uploadDir });
    const document = application.documents[0];
    const inline = await agents.member.get(`/committee/applications/${application.id}/documents/${document.id}`).expect(200);
    expect(inline.headers['content-type']).toBe('application/pdf');
    expect(inline.headers['cache-control']).toBe('no-store');
    expect(inline.headers['content-disposition']).toMatch(/^inline;/);
    const download = await agents.member.get(`/committee/applications/${application.id}/documents/${document.id}?download=1`).expect(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    const entries = await database.prisma.auditLogEntry.findMany({ where: { entityType: 'Application', entityId: String(application.id), action: { in: ['document.viewed', 'document.downloaded'] } } });
    expect(entries.map((entry) => entry.action).sort()).toEqual(['document.downloaded', 'document.viewed']);
    await supertest(portal.app).get(`/static/../uploads/documents/${document.storedName}`).expect(404);
  });

  it('are checked with a reason required for a rejection; the first check starts the screening', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', uploadDir });
    const document = application.documents[0];
    const refused = await postForm(agents.member, `/committee/applications/${application.id}/documents/${document.id}/check`, { checkStatus: 'REJECTED', reason: '' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Укажите причину');
    await postForm(agents.member, `/committee/applications/${application.id}/documents/${document.id}/check`, { checkStatus: 'REJECTED', reason: 'Скан нечитаем' }).then((response) => expect(response.status).toBe(303));
    const updated = await database.prisma.application.findUniqueOrThrow({ where: { id: application.id }, include: { documents: true } });
    expect(updated.documents[0].checkStatus).toBe('REJECTED');
    expect(updated.documents[0].rejectionReason).toBe('Скан нечитаем');
    expect(updated.status).toBe('SCREENING');
  });

  it('can be requested by the chair: status incomplete, a request, and an e-mail with a working status link', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', uploadDir });
    const response = await postForm(agents.chair, `/committee/applications/${application.id}/request-document`, { kind: 'POLICE_CLEARANCE', message: 'Нужна свежая справка' });
    expect(response.status).toBe(303);
    const updated = await database.prisma.application.findUniqueOrThrow({ where: { id: application.id }, include: { requests: true, outboxEmails: true } });
    expect(updated.status).toBe('INCOMPLETE');
    expect(updated.requests.map((request) => request.kind)).toEqual(['POLICE_CLEARANCE']);
    const email = updated.outboxEmails.find((row) => row.template === 'document-requested')!;
    expect(email.textBody).toContain('Нужна свежая справка');
    const link = /\/status\/[A-Za-z0-9_-]{43}/.exec(email.textBody)![0];
    const statusPage = await supertest(portal.app).get(link).expect(200);
    expect(statusPage.text).toContain('Нужна свежая справка');
  });

  it('is needed by a day the chair sets (a week by default), told on the status page and in the e-mail; a past day is refused', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', uploadDir });
    const url = `/committee/applications/${application.id}/request-document`;
    const refused = await postForm(agents.chair, url, { kind: 'ID_CARD', dueOn: '2020-01-10' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Дата уже прошла');
    expect(await database.prisma.documentRequest.count({ where: { applicationId: application.id } })).toBe(0);

    const dueOn = toDateInputValue(new Date(Date.now() + 10 * 24 * 3_600_000));
    await postForm(agents.chair, url, { kind: 'ID_CARD', dueOn }).expect(303);
    const request = await database.prisma.documentRequest.findFirstOrThrow({ where: { applicationId: application.id } });
    expect(toDateInputValue(request.dueAt!)).toBe(dueOn);
    const email = await database.prisma.outboxEmail.findFirstOrThrow({ where: { applicationId: application.id, template: 'document-requested' } });
    const shown = formatDate(request.dueAt!, 'ru');
    expect(email.textBody).toContain(`Пожалуйста, загрузите его до ${shown}.`);
    expect(email.htmlBody).toContain(shown);
    const link = /\/status\/[A-Za-z0-9_-]{43}/.exec(email.textBody)![0];
    expect((await supertest(portal.app).get(link).expect(200)).text).toContain(`загрузите до ${shown}`);

    await postForm(agents.chair, url, { kind: 'POLICE_CLEARANCE' }).expect(303);
    const byDefault = await database.prisma.documentRequest.findFirstOrThrow({ where: { applicationId: application.id, kind: 'POLICE_CLEARANCE' } });
    expect(toDateInputValue(byDefault.dueAt!)).toBe(toDateInputValue(new Date(Date.now() + 7 * 24 * 3_600_000)));
  });
});

describe('status transitions', () => {
  it('moves only along allowed transitions, each audited', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', uploadDir });
    const url = `/committee/applications/${application.id}/status`;
    // submitted → interview is not allowed (screening first).
    await postForm(agents.chair, url, { to: 'INTERVIEW' });
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('SUBMITTED');
    const page = await agents.chair.get(`/committee/applications/${application.id}`);
    expect(page.text).toContain('Из текущего статуса так перевести заявку нельзя.');
    await postForm(agents.chair, url, { to: 'SCREENING' });
    // Seven of the eight documents are missing: the chair overrides the document gate with a reason (tests/http/review-scoring-rules.test.ts).
    await postForm(agents.chair, url, { to: 'INTERVIEW', comment: 'Документы в порядке', documentOverride: 'yes', documentOverrideReason: 'Остальные принесёт на собеседование' });
    const moved = await database.prisma.application.findUniqueOrThrow({ where: { id: application.id }, include: { statusChanges: true } });
    expect(moved.status).toBe('INTERVIEW');
    expect(moved.completeAt).not.toBeNull();
    const audits = await database.prisma.auditLogEntry.count({ where: { entityId: String(application.id), action: 'application.status_changed' } });
    expect(audits).toBe(2);
    // Closing scoring without any score is refused.
    await postForm(agents.chair, url, { to: 'SCORED' });
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('INTERVIEW');
  });
});

describe('interviews', () => {
  it('are scheduled in Almaty time by the chair, with an .ics invitation; rescheduling sends an update', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir });
    const url = `/committee/applications/${application.id}/interview`;
    // Days ahead of today (interviews cannot be set in the past), in Almaty.
    const dayAhead = (days: number) => toDateInputValue(new Date(Date.now() + days * 86_400_000));
    const [firstDay, secondDay, thirdDay] = [dayAhead(20), dayAhead(21), dayAhead(22)];
    const compact = (day: string) => day.replace(/-/g, '');
    const invalid = await postForm(agents.chair, url, { date: firstDay, time: '10:00', durationMinutes: '45', place: '', videoLink: 'javascript:alert(1)' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Ссылка должна начинаться с https://');
    expect((await postForm(agents.chair, url, { date: firstDay, time: '10:00', durationMinutes: '45', place: 'Астана, Дом дружбы', videoLink: '' })).status).toBe(303);
    const interview = await database.prisma.interview.findUniqueOrThrow({ where: { applicationId: application.id } });
    expect(interview.scheduledAt.toISOString()).toBe(`${firstDay}T05:00:00.000Z`);
    expect((await postForm(agents.chair, url, { date: secondDay, time: '15:30', durationMinutes: '30', place: '', videoLink: 'https://meet.example.kz/zhas' })).status).toBe(303);
    const emails = await database.prisma.outboxEmail.findMany({ where: { applicationId: application.id, template: 'interview-scheduled', channel: 'EMAIL' }, orderBy: { id: 'asc' } });
    expect(emails).toHaveLength(2);
    const [first, second] = emails.map((email) => (email.attachments as { content: string }[])[0].content);
    expect(first).toContain(`DTSTART:${compact(firstDay)}T050000Z`);
    expect(first).toContain('SEQUENCE:0');
    expect(second).toContain(`DTSTART:${compact(secondDay)}T103000Z`);
    expect(second).toContain('SEQUENCE:1');
    expect(emails[1].subject).toContain('перенесено');
    // A member cannot schedule.
    expect((await postForm(agents.member, url, { date: thirdDay, time: '10:00', durationMinutes: '45', place: 'x', videoLink: '' })).status).toBe(403);
  });
});

describe('scoring', () => {
  function scoreFields(criteria: { id: number }[], values: number[], comment = '') {
    return Object.fromEntries([...criteria.map((criterion, index) => [`criterion_${criterion.id}`, String(values[index])]), ['comment', comment]]);
  }

  it('is blind until one has scored, refuses members with a conflict, and gives the weighted mean and spread', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir, withInterview: true });
    const criteria = await database.prisma.rubricCriterion.findMany({ where: { cohortId: application.cohortId }, orderBy: { sortOrder: 'asc' } });
    const url = `/committee/applications/${application.id}/score`;

    // The second member declares a conflict and then cannot score or see scores.
    await postForm(agents.secondMember, `/committee/applications/${application.id}/conflict`, { reason: 'Бывший коллега' });

    // weights 0.3 0.2 0.2 0.2 0.1: chair 5,5,5,5,5 → 5.0; member 3,3,3,3,1 → 2.8
    expect((await postForm(agents.chair, url, scoreFields(criteria, [5, 5, 5, 5, 5], 'Сильный кандидат'))).status).toBe(303);
    const memberBefore = await agents.member.get(`/committee/applications/${application.id}`);
    expect(memberBefore.text).not.toContain('Сильный кандидат');
    expect(memberBefore.text).toContain('Оценки других членов комиссии будут видны после того');

    const outOfRange = await postForm(agents.member, url, scoreFields(criteria, [6, 3, 3, 3, 1]));
    expect(outOfRange.status).toBe(422);
    expect(outOfRange.text).toContain('Поставьте оценку от 1 до 5.');

    expect((await postForm(agents.member, url, scoreFields(criteria, [3, 3, 3, 3, 1], 'Средне'))).status).toBe(303);
    const memberAfter = await agents.member.get(`/committee/applications/${application.id}`);
    expect(memberAfter.text).toContain('Сильный кандидат');

    const conflicted = await agents.secondMember.get(`/committee/applications/${application.id}`);
    expect(conflicted.text).toContain('Вы заявили о конфликте интересов');
    expect(conflicted.text).not.toContain('Сильный кандидат');
    expect((await postForm(agents.secondMember, url, scoreFields(criteria, [1, 1, 1, 1, 1]))).status).toBe(403);

    const scored = await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(Number(scored.resultScore)).toBeCloseTo(3.9, 3);
    expect(Number(scored.scoreSpread)).toBeCloseTo(2.2, 3);
    expect(scored.scoreCount).toBe(2);
    // Both members without a conflict have scored: the application is scored.
    expect(scored.status).toBe('SCORED');

    // Scoring is closed once everyone has scored: a revision is refused (revisions: tests/http/review-scoring-rules.test.ts).
    await postForm(agents.member, url, scoreFields(criteria, [4, 4, 4, 4, 4]));
    expect(await database.prisma.auditLogEntry.count({ where: { entityId: String(application.id), action: 'score.changed' } })).toBe(0);
    expect(Number((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).resultScore)).toBeCloseTo(3.9, 3);

    // A conflict declared after scoring withdraws the score from the result.
    await postForm(agents.member, `/committee/applications/${application.id}/conflict`, { reason: 'Вспомнила: соседка' });
    const afterConflict = await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(afterConflict.scoreCount).toBe(1);
    expect(Number(afterConflict.resultScore)).toBeCloseTo(5, 3);

    // The coordinator does not score.
    expect((await postForm(agents.coordinator, url, scoreFields(criteria, [5, 5, 5, 5, 5]))).status).toBe(403);
  });
});

describe('decisions and the quota', () => {
  it('never selects beyond the quota without an explicit, audited override', async () => {
    const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
    const cohort = await database.prisma.cohort.findFirstOrThrow();
    await database.prisma.cohortRegionQuota.update({ where: { cohortId_regionId: { cohortId: cohort.id, regionId: region.id } }, data: { quota: 1 } });
    const first = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCORED', uploadDir });
    const second = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCORED', uploadDir });

    expect((await postForm(agents.member, `/committee/applications/${first.id}/decision`, { outcome: 'SELECTED' })).status).toBe(403);
    expect((await postForm(agents.chair, `/committee/applications/${first.id}/decision`, { outcome: 'SELECTED' })).status).toBe(303);
    const full = await postForm(agents.chair, `/committee/applications/${second.id}/decision`, { outcome: 'SELECTED' });
    expect(full.status).toBe(422);
    expect(full.text).toContain('Квота региона уже заполнена');
    const noReason = await postForm(agents.chair, `/committee/applications/${second.id}/decision`, { outcome: 'SELECTED', quotaOverride: 'yes' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Укажите причину превышения квоты.');
    expect((await postForm(agents.chair, `/committee/applications/${second.id}/decision`, { outcome: 'SELECTED', quotaOverride: 'yes', overrideReason: 'Единственный кандидат со знанием казахского', confirmed: 'yes' })).status).toBe(303);

    const decided = await database.prisma.decision.findUniqueOrThrow({ where: { applicationId: second.id } });
    expect(decided.quotaOverride).toBe(true);
    expect(await database.prisma.auditLogEntry.count({ where: { entityId: String(second.id), action: 'decision.quota_override' } })).toBe(1);
    // A decided application is not decided again as if it were open: a change needs a reason (tests/http/review-decisions.test.ts).
    expect((await postForm(agents.chair, `/committee/applications/${first.id}/decision`, { outcome: 'REJECTED', confirmed: 'yes' })).status).toBe(422);
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: first.id } })).status).toBe('SELECTED');
    await database.prisma.cohortRegionQuota.update({ where: { cohortId_regionId: { cohortId: cohort.id, regionId: region.id } }, data: { quota: 40 } });
  });

  it('shows the ranking with result, count, spread and the quota line', async () => {
    const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
    const top = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCORED', uploadDir, fullName: 'Лучший Кандидат' });
    await database.prisma.application.update({ where: { id: top.id }, data: { resultScore: 4.95, scoreCount: 3, scoreSpread: 1.8 } });
    const page = await agents.member.get(`/committee/regions/${region.id}/ranking`).expect(200);
    expect(page.text).toContain('Лучший Кандидат');
    expect(page.text).toContain('4.95');
    expect(page.text).toContain('большое расхождение оценок');
    expect(page.text).toContain('граница квоты');
  });
});

describe('the list', () => {
  it('filters, searches, sorts, pages, and exports the same rows to CSV and Excel', async () => {
    for (let index = 0; index < 55; index += 1) await createApplication(database.prisma, { regionCode: 'ALMATY', fullName: `Алматинец ${String(index).padStart(2, '0')}` });
    const almaty = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ALMATY' } });
    const firstPage = await agents.coordinator.get(`/committee/applications?regionId=${almaty.id}&sort=name&direction=asc`).expect(200);
    expect(firstPage.text).toContain('Найдено: 55');
    expect(firstPage.text).toContain('Алматинец 00');
    expect(firstPage.text).not.toContain('Алматинец 54');
    expect(firstPage.text).toContain('Страница 1 из 2');
    const secondPage = await agents.coordinator.get(`/committee/applications?regionId=${almaty.id}&sort=name&direction=asc&page=2`).expect(200);
    expect(secondPage.text).toContain('Алматинец 54');
    const search = await agents.otherRegionMember.get('/committee/applications?q=алматинец 07').expect(200);
    expect(search.text).toContain('Найдено: 1');
    const csv = await agents.otherRegionMember.get('/committee/applications/export.csv').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.trim().split('\r\n')).toHaveLength(56);
    const xlsx = await agents.otherRegionMember.get('/committee/applications/export.xlsx').buffer(true).parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    }).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(workbook.worksheets[0].rowCount).toBe(56);
    const unknownFilters = await agents.coordinator.get('/committee/applications?status=NOPE&page=-3&sort=drop').expect(200);
    expect(unknownFilters.text).toContain('Найдено:');
  });

  it('neutralises spreadsheet formulas in the CSV export', async () => {
    await createApplication(database.prisma, { regionCode: 'ALMATY', fullName: '=HYPERLINK("http://evil.example","x")' });
    const csv = await agents.otherRegionMember.get('/committee/applications/export.csv?q=HYPERLINK').expect(200);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
  });
});

import ExcelJS from 'exceljs';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { demoLogins, loginAs, startTestPortal, type DemoRole, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

// The audit log as people read it: actions in the reader's language, records by name, and the
// events a committee has to account for (views, exports, refused access) recorded.

let database: Database;
let portal: TestPortal;
let uploadDir: string;
const agents = {} as Record<DemoRole, supertest.Agent>;
let application: Awaited<ReturnType<typeof createApplication>>;
let member: { id: number; fullName: string };
let criterion: { id: number; nameRu: string; nameEn: string };

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  uploadDir = portal.uploadDir;
  for (const role of ['coordinator', 'member', 'otherRegionMember'] as const) agents[role] = await loginAs(portal.app, role);
  const { prisma } = database;
  member = await prisma.user.findUniqueOrThrow({ where: { email: demoLogins.member }, select: { id: true, fullName: true } });
  application = await createApplication(prisma, { regionCode: 'ASTANA', status: 'SCREENING', uploadDir, fullName: 'Журналов Ерлан' });
  criterion = await prisma.rubricCriterion.findFirstOrThrow({ where: { cohortId: application.cohortId }, orderBy: { sortOrder: 'asc' } });
  const chair = await prisma.user.findUniqueOrThrow({ where: { email: demoLogins.chair } });
  const at = (minutes: number) => new Date(Date.parse('2026-03-01T06:00:00Z') + minutes * 60_000);
  await prisma.auditLogEntry.createMany({
    data: [
      { actorId: member.id, action: 'score.submitted', entityType: 'Application', entityId: String(application.id), details: { values: [{ criterionId: criterion.id, value: 4 }] }, createdAt: at(1) },
      { actorId: member.id, action: 'document.viewed', entityType: 'Application', entityId: String(application.id), details: { documentId: application.documents[0].id }, createdAt: at(2) },
      { actorId: chair.id, action: 'conflict.lifted', entityType: 'Application', entityId: String(application.id), details: { userId: member.id }, createdAt: at(3) },
      { actorId: null, action: 'user.deactivated', entityType: 'User', entityId: String(member.id), createdAt: at(4) },
      { actorId: member.id, action: 'auth.login_failed', entityType: 'User', entityId: String(member.id), details: { reason: 'wrong-password' }, createdAt: at(5) },
      { actorId: null, action: 'something.new_and_unknown', entityType: 'Thing', entityId: '5', createdAt: at(6) },
    ],
  });
});
afterAll(async () => {
  await portal.close();
});

/** The rows of the audit table: [when, who, action, record, details]. */
function rowsOf(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<td>([\s\S]*?)<\/td>/g)].map((cell) => cell[1].replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()));
}

const march = 'from=2026-03-01&to=2026-03-01';

describe('readable entries', () => {
  it('say the action in the reader\'s language and name the records, not ids or UUIDs', async () => {
    const rows = rowsOf((await agents.coordinator.get(`/admin/audit?${march}&lang=ru`).expect(200)).text);
    const byAction = (label: string) => rows.find((row) => row[2] === label) ?? [];
    expect(rows.map((row) => row[2])).toEqual(['something.new_and_unknown', 'Неудачная попытка входа', 'Пользователь отключён', 'Конфликт интересов снят', 'Документ просмотрен', 'Оценка выставлена']);
    const score = byAction('Оценка выставлена');
    expect(score[3]).toContain(application.number);
    expect(score[4]).toContain(`${criterion.nameRu}: 4`);
    expect(score[4]).not.toContain('criterionId');
    const viewed = byAction('Документ просмотрен');
    expect(viewed[4]).toContain('Копия удостоверения личности');
    expect(viewed[4]).not.toContain(application.documents[0].id);
    expect(byAction('Конфликт интересов снят')[4]).toContain(member.fullName);
    expect(byAction('Пользователь отключён')[3]).toContain(member.fullName);
    expect(byAction('Пользователь отключён')[3]).not.toContain('#');

    const english = rowsOf((await agents.coordinator.get(`/admin/audit?${march}&lang=en`).expect(200)).text);
    expect(english.map((row) => row[2])).toContain('Score submitted');
    expect(english.find((row) => row[2] === 'Score submitted')?.[4]).toContain(`${criterion.nameEn}: 4`);
    await agents.coordinator.get('/admin/audit?lang=ru').expect(200);
  });

  it('offer the actions by their names in the filter', async () => {
    const page = await agents.coordinator.get('/admin/audit').expect(200);
    expect(page.text).toMatch(/<option value="score.submitted"[^>]*>Оценка выставлена<\/option>/);
  });
});

describe('what is recorded', () => {
  it('records a committee member opening an application page', async () => {
    await agents.member.get(`/committee/applications/${application.id}`).expect(200);
    const entry = await database.prisma.auditLogEntry.findFirst({ where: { action: 'application.viewed', actorId: member.id, entityId: String(application.id) } });
    expect(entry).not.toBeNull();
  });

  it('records refused access to committee and admin routes once, for signed-in users, without personal data', async () => {
    const other = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.otherRegionMember } });
    await agents.otherRegionMember.get(`/committee/applications/${application.id}`).expect(404);
    await agents.otherRegionMember.get('/admin/audit?application=Журналов').expect(403);
    await supertest(portal.app).get(`/committee/applications/${application.id}`).expect(303);
    const entries = await database.prisma.auditLogEntry.findMany({ where: { action: 'access.refused' }, orderBy: { id: 'asc' } });
    expect(entries).toHaveLength(2);
    expect(entries.every((entry) => entry.actorId === other.id)).toBe(true);
    expect(entries[0]).toMatchObject({ entityType: 'Application', entityId: String(application.id) });
    expect(entries[0].details).toMatchObject({ status: 404, method: 'GET', path: `/committee/applications/${application.id}` });
    expect(entries[1].details).toMatchObject({ status: 403, path: '/admin/audit' });
    expect(JSON.stringify(entries.map((entry) => [entry.entityId, entry.details]))).not.toContain('Журналов');
    const rows = rowsOf((await agents.coordinator.get('/admin/audit?action=access.refused').expect(200)).text);
    expect(rows[0][2]).toBe('Отказано в доступе');
  });
});

describe('GET /admin/audit/export.xlsx', () => {
  it('exports the filtered log, readable, and records the export', async () => {
    const response = await agents.coordinator
      .get(`/admin/audit/export.xlsx?${march}`)
      .buffer(true)
      .parse((stream, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(response.headers['cache-control']).toContain('no-store');
    expect(response.headers['content-disposition']).toMatch(/audit-\d{4}-\d{2}-\d{2}\.xlsx/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(7);
    const actions = [2, 3, 4, 5, 6, 7].map((index) => sheet.getRow(index).getCell(3).value);
    expect(actions).toContain('Оценка выставлена');
    expect(sheet.getRow(2).getCell(1).type).toBe(ExcelJS.ValueType.Date);
    const entry = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { action: 'audit.exported' }, orderBy: { id: 'desc' } });
    expect(entry.details).toMatchObject({ rows: 6, filters: { from: '2026-03-01', to: '2026-03-01' } });
    await agents.member.get(`/admin/audit/export.xlsx?${march}`).expect(403);
  });
});

import ExcelJS from 'exceljs';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { demoLogins, loginAs, postForm, startTestPortal, testConfig, type DemoRole, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

// The committee's exports as a Russian-locale Excel opens them: the .xlsx with real dates and numbers,
// the CSV with ";" and a decimal comma, both following the list's filters and sort.

let database: Database;
let portal: TestPortal;
let uploadDir: string;
const agents = {} as Record<DemoRole, supertest.Agent>;
const longName = 'Абдрахмановакызы Гульнар-Айгерим Нурсултановна';
let scored: { id: number; number: string; cohortId: number; birthDate: Date };
let chairName: string;

async function scoreFields(cohortId: number, values: number[]) {
  const criteria = await database.prisma.rubricCriterion.findMany({ where: { cohortId }, orderBy: { sortOrder: 'asc' } });
  return Object.fromEntries(criteria.map((criterion, index) => [`criterion_${criterion.id}`, String(values[index])]));
}

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  uploadDir = portal.uploadDir;
  for (const role of ['coordinator', 'chair', 'member'] as const) agents[role] = await loginAs(portal.app, role);
  chairName = (await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.chair } })).fullName;
  scored = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir, withInterview: true, fullName: longName });
  await database.prisma.application.update({ where: { id: scored.id }, data: { organisation: 'Org;=1+2', completeAt: new Date() } });
  // The chair scores 4.40 (weights 0.3 0.2 0.2 0.2 0.1).
  await postForm(agents.chair, `/committee/applications/${scored.id}/score`, await scoreFields(scored.cohortId, [5, 5, 4, 4, 3])).expect(303);
});
afterAll(async () => {
  vi.useRealTimers();
  await portal.close();
});

function binary(request: supertest.Test) {
  return request.buffer(true).parse((stream, callback) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => callback(null, Buffer.concat(chunks)));
  });
}

async function sheetOf(agent: supertest.Agent, query: string) {
  const response = await binary(agent.get(`/committee/applications/export.xlsx?${query}`)).expect(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const headers = (sheet.getRow(1).values as unknown[]).map((value) => String(value ?? ''));
  const column = (header: string) => {
    const index = headers.indexOf(header);
    if (index < 1) throw new Error(`no column ${header} in ${headers.join(' | ')}`);
    return index;
  };
  return { sheet, headers, column, response };
}

describe('the .xlsx export', () => {
  it('has real dates and numbers, phones as text, fitting widths, the committee columns and a link', async () => {
    const { sheet, headers, column } = await sheetOf(agents.coordinator, `q=${encodeURIComponent(longName)}`);
    expect(sheet.rowCount).toBe(2);
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe(scored.number);

    const submitted = row.getCell(column('Подана'));
    expect(submitted.type).toBe(ExcelJS.ValueType.Date);
    expect(submitted.numFmt).toMatch(/dd/);
    const birth = row.getCell(column('Дата рождения'));
    expect(birth.type).toBe(ExcelJS.ValueType.Date);
    expect((birth.value as Date).toISOString().slice(0, 10)).toBe(scored.birthDate.toISOString().slice(0, 10));
    expect(row.getCell(column('Собеседование')).type).toBe(ExcelJS.ValueType.Date);
    expect(row.getCell(column('Решение')).value ?? '').toBe('');

    const result = row.getCell(column('Балл'));
    expect(result.type).toBe(ExcelJS.ValueType.Number);
    expect(result.value).toBeCloseTo(4.4, 3);
    expect(result.numFmt).toBe('0.00');
    expect(row.getCell(column('Стаж, лет')).type).toBe(ExcelJS.ValueType.Number);

    const phone = row.getCell(column('Телефон'));
    expect(phone.type).toBe(ExcelJS.ValueType.String);
    expect(phone.value).toBe('+77011234567');

    expect(row.getCell(column('Документы полные')).value).toBe('да');
    expect(sheet.getColumn(column('ФИО')).width).toBeGreaterThanOrEqual(longName.length);

    // Per-criterion and per-member scores, for a viewer who may see them.
    const criteria = await database.prisma.rubricCriterion.findMany({ where: { cohortId: scored.cohortId }, orderBy: { sortOrder: 'asc' } });
    expect(row.getCell(column(`Критерий: ${criteria[0].nameRu}`)).value).toBe(5);
    expect(row.getCell(column(`Критерий: ${criteria[4].nameRu}`)).value).toBe(3);
    expect(row.getCell(column(`Оценка: ${chairName}`)).value).toBeCloseTo(4.4, 3);

    const link = row.getCell(column('Ссылка на заявку'));
    expect(link.hyperlink).toBe(`${testConfig().baseUrl}/committee/applications/${scored.id}`);
    expect(headers.length).toBeGreaterThan(16);
  });

  it('shows a member who has not scored no criterion or member scores (blind scoring)', async () => {
    const { sheet, headers } = await sheetOf(agents.member, `q=${encodeURIComponent(longName)}`);
    expect(sheet.rowCount).toBe(2);
    expect(headers).toContain('Дата рождения');
    expect(headers.some((header) => header.includes(chairName))).toBe(false);
    const row = sheet.getRow(2);
    headers.forEach((header, index) => {
      if (header.startsWith('Критерий:')) expect(row.getCell(index).value ?? '').toBe('');
    });
  });
});

function csvLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').trim().split('\r\n');
}

describe('the CSV export', () => {
  it('uses ";" and a decimal comma in Russian, translated words, and no live formula after any split', async () => {
    const csv = await agents.coordinator.get(`/committee/applications/export.csv?lang=ru&q=${encodeURIComponent(longName)}`).expect(200);
    const [header, line] = csvLines(csv.text);
    const headers = header.split(';');
    expect(headers.slice(0, 3)).toEqual(['Номер', 'ФИО', 'Регион']);
    const cells = line.split(';');
    expect(cells[headers.indexOf('Балл')]).toBe('4,4');
    expect(cells[headers.indexOf('Документы полные')]).toBe('да');
    for (const separator of [';', ',']) {
      for (const cell of line.split(separator)) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+@\t\r-]/);
    }
    expect(csv.text).toContain('Org;');
    expect(csv.text).toContain('=1+2');
  });

  it('uses "," and a decimal point in English, with the committee columns too', async () => {
    const csv = await agents.coordinator.get(`/committee/applications/export.csv?lang=en&q=${encodeURIComponent(longName)}`).expect(200);
    const [header, line] = csvLines(csv.text);
    const headers = header.split(',');
    expect(headers[0]).toBe('Number');
    expect(line.split(',')[headers.indexOf('Score')]).toBe('4.4');
    expect(line).toContain(',yes,');
    expect(headers).toContain('Date of birth');
    expect(line).toContain(`${testConfig().baseUrl}/committee/applications/${scored.id}`);
    await agents.coordinator.get('/committee/applications?lang=ru').expect(200);
  });
});

describe('both exports', () => {
  it('follow the filters and the sort of the list, and are audited with the filters and the row count', async () => {
    for (const name of ['Порядков Борис', 'Порядков Анвар', 'Порядков Виктор']) await createApplication(database.prisma, { regionCode: 'ASTANA', fullName: name });
    const query = `q=${encodeURIComponent('Порядков')}&sort=name&direction=desc`;
    const csv = csvLines((await agents.coordinator.get(`/committee/applications/export.csv?${query}`).expect(200)).text).slice(1);
    expect(csv.map((line) => line.split(';')[1])).toEqual(['Порядков Виктор', 'Порядков Борис', 'Порядков Анвар']);
    const { sheet } = await sheetOf(agents.coordinator, query);
    expect([2, 3, 4].map((index) => sheet.getRow(index).getCell(2).value)).toEqual(['Порядков Виктор', 'Порядков Борис', 'Порядков Анвар']);
    const entry = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { action: 'applications.exported' }, orderBy: { id: 'desc' } });
    expect(entry.details).toMatchObject({ format: 'xlsx', rows: 3, filters: { sort: 'name', direction: 'desc', search: true } });
    expect(JSON.stringify(entry.details)).not.toContain('Порядков');
  });

  it('name the file with the Almaty date', async () => {
    // 20:30 UTC on 1 December is already 2 December in Almaty (UTC+5).
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-01T20:30:00Z') });
    try {
      const csv = await agents.coordinator.get(`/committee/applications/export.csv?q=${encodeURIComponent(longName)}`).expect(200);
      expect(csv.headers['content-disposition']).toContain('applications-2026-12-02.csv');
      const { response } = await sheetOf(agents.coordinator, `q=${encodeURIComponent(longName)}`);
      expect(response.headers['content-disposition']).toContain('applications-2026-12-02.xlsx');
    } finally {
      vi.useRealTimers();
    }
  });
});

import ExcelJS from 'exceljs';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { loginAs, postForm, startTestPortal, type DemoRole, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

// Blind scoring on every surface: a member who has not scored an application sees none of the
// others' scores of it (mean, count, spread) on the list, the ranking, the exports or the charts.

let database: Database;
let portal: TestPortal;
let uploadDir: string;
const agents = {} as Record<DemoRole, supertest.Agent>;
const hidden = 'скрыто до вашей оценки';

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  uploadDir = portal.uploadDir;
  for (const role of ['coordinator', 'chair', 'member', 'secondMember'] as const) agents[role] = await loginAs(portal.app, role);
});
afterAll(async () => {
  await portal.close();
});

async function scoreFields(cohortId: number, values: number[]) {
  const criteria = await database.prisma.rubricCriterion.findMany({ where: { cohortId }, orderBy: { sortOrder: 'asc' } });
  return Object.fromEntries(criteria.map((criterion, index) => [`criterion_${criterion.id}`, String(values[index])]));
}

/** An interviewed Astana candidate the chair has scored 4.40 (weights 0.3 0.2 0.2 0.2 0.1). */
async function scoredByChair(fullName: string) {
  const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir, withInterview: true, fullName });
  await postForm(agents.chair, `/committee/applications/${application.id}/score`, await scoreFields(application.cohortId, [5, 5, 4, 4, 3])).expect(303);
  return application;
}

/** The member scores 4.00: the result becomes 4.20 over 2 scores, spread 0.40. */
async function memberScores(application: { id: number; cohortId: number }) {
  await postForm(agents.member, `/committee/applications/${application.id}/score`, await scoreFields(application.cohortId, [4, 4, 4, 4, 4])).expect(303);
}

function rowOf(html: string, number: string): string {
  const row = html.split('<tr').find((part) => part.includes(number));
  if (!row) throw new Error(`no row for ${number}`);
  return row.split('</tr>')[0];
}

function csvRows(text: string): string[][] {
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  const separator = lines[0].includes(';') ? ';' : ',';
  return lines.map((line) => line.split(separator).map((cell) => cell.replace(/^"|"$/g, '')));
}

const asNumber = (cell: unknown) => (typeof cell === 'number' ? cell : Number(String(cell).replace(',', '.')));

describe('the list', () => {
  it('shows a member who has not scored neither the result nor the count; after scoring, both', async () => {
    const application = await scoredByChair('Слепой Список');
    const before = await agents.member.get(`/committee/applications?q=${encodeURIComponent(application.fullName)}`).expect(200);
    const row = rowOf(before.text, application.number);
    expect(row).not.toContain('4.40');
    expect(row).not.toContain('(1)');
    expect(row).toContain(hidden);
    // The coordinator and the chair who scored see it.
    expect(rowOf((await agents.coordinator.get(`/committee/applications?q=${encodeURIComponent(application.fullName)}`)).text, application.number)).toContain('4.40');
    expect(rowOf((await agents.chair.get(`/committee/applications?q=${encodeURIComponent(application.fullName)}`)).text, application.number)).toContain('4.40');

    await memberScores(application);
    const after = rowOf((await agents.member.get(`/committee/applications?q=${encodeURIComponent(application.fullName)}`)).text, application.number);
    expect(after).toContain('4.20');
    expect(after).toContain('(2)');
  });

  it('does not let a member who has not scored sort or filter by the hidden score', async () => {
    const high = await scoredByChair('Сортировка Высокий');
    const low = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir, withInterview: true, fullName: 'Сортировка Низкий' });
    await postForm(agents.member, `/committee/applications/${low.id}/score`, await scoreFields(low.cohortId, [2, 2, 2, 2, 2])).expect(303);
    const sorted = await agents.member.get(`/committee/applications?q=${encodeURIComponent('Сортировка')}&sort=score&direction=desc`).expect(200);
    // Hidden rows count as having no score: the one the member scored comes first.
    expect(sorted.text.indexOf(low.number)).toBeGreaterThan(-1);
    expect(sorted.text.indexOf(high.number)).toBeGreaterThan(sorted.text.indexOf(low.number));
    const filtered = await agents.member.get(`/committee/applications?q=${encodeURIComponent('Сортировка')}&scoreMin=4`).expect(200);
    expect(filtered.text).not.toContain(high.number);
    // The coordinator sorts and filters by every score.
    const coordinator = await agents.coordinator.get(`/committee/applications?q=${encodeURIComponent('Сортировка')}&sort=score&direction=desc`).expect(200);
    expect(coordinator.text.indexOf(high.number)).toBeLessThan(coordinator.text.indexOf(low.number));
    expect((await agents.coordinator.get(`/committee/applications?q=${encodeURIComponent('Сортировка')}&scoreMin=4`)).text).toContain(high.number);
  });
});

describe('the ranking', () => {
  it('shows a member who has not scored no result, count or spread of that candidate; after scoring, all three', async () => {
    const application = await scoredByChair('Слепой Рейтинг');
    const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
    const before = rowOf((await agents.member.get(`/committee/regions/${region.id}/ranking`).expect(200)).text, application.number);
    expect(before).not.toContain('4.40');
    expect(before).not.toMatch(/<td>1<\/td>/);
    expect(before).toContain(hidden);
    await memberScores(application);
    const after = rowOf((await agents.member.get(`/committee/regions/${region.id}/ranking`)).text, application.number);
    expect(after).toContain('4.20');
    expect(after).toContain('<td>2</td>');
    expect(after).toContain('0.40');
  });
});

describe('the exports', () => {
  it('CSV: no result, count or spread for a member who has not scored; after scoring, all three', async () => {
    const application = await scoredByChair('Слепой Экспорт');
    const before = csvRows((await agents.member.get(`/committee/applications/export.csv?q=${encodeURIComponent(application.fullName)}`).expect(200)).text);
    expect(before).toHaveLength(2);
    const [result, count, spread] = before[1].slice(5, 8);
    expect(result).toBe(hidden);
    expect(count).toBe('');
    expect(spread).toBe('');
    await memberScores(application);
    const after = csvRows((await agents.member.get(`/committee/applications/export.csv?q=${encodeURIComponent(application.fullName)}`)).text)[1].slice(5, 8).map(asNumber);
    expect(after[0]).toBeCloseTo(4.2, 3);
    expect(after[1]).toBe(2);
    expect(after[2]).toBeCloseTo(0.4, 3);
  });

  it('Excel: no result, count or spread for a member who has not scored; after scoring, all three', async () => {
    const application = await scoredByChair('Слепой Excel');
    const download = async () => {
      const response = await agents.member.get(`/committee/applications/export.xlsx?q=${encodeURIComponent(application.fullName)}`).buffer(true).parse((stream, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => callback(null, Buffer.concat(chunks)));
      }).expect(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      const headers = (sheet.getRow(1).values as unknown[]).map(String);
      const row = sheet.getRow(2);
      const cell = (header: string) => row.getCell(headers.indexOf(header)).value;
      expect(String(row.getCell(1).value)).toBe(application.number);
      return [cell('Балл'), cell('Оценок'), cell('Разброс')];
    };
    const [result, count, spread] = await download();
    expect(result).toBe(hidden);
    expect(count ?? '').toBe('');
    expect(spread ?? '').toBe('');
    await memberScores(application);
    const after = (await download()).map(asNumber);
    expect(after[0]).toBeCloseTo(4.2, 3);
    expect(after[1]).toBe(2);
    expect(after[2]).toBeCloseTo(0.4, 3);
  });
});

describe('the dashboard charts', () => {
  async function astanaScoreChart() {
    const page = await agents.member.get('/committee').expect(200);
    const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
    const section = page.text.split(`id="region-${region.id}"`)[1];
    const charts = [...section.matchAll(/data-chart="([^"]+)"/g)].map((match) => JSON.parse(match[1].replace(/&#34;/g, '"').replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as { label: string; values: number[] });
    const chart = charts.find((entry) => entry.label === 'Распределение баллов');
    if (!chart) throw new Error('no score chart');
    return chart.values;
  }

  it('count a candidate in the score distribution only once the member may see the score', async () => {
    const baseline = await astanaScoreChart();
    const application = await scoredByChair('Слепой График');
    expect(await astanaScoreChart()).toEqual(baseline);
    await memberScores(application);
    const after = await astanaScoreChart();
    // 4.20 falls in the 4–5 band.
    expect(after[3]).toBe(baseline[3] + 1);
    expect(after.slice(0, 3)).toEqual(baseline.slice(0, 3));
  });
});

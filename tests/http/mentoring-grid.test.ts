import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { addMonths, monthEndsAt, monthParam } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { hashTestPassword } from '../helpers/demo-seed.ts';
import { loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let mentorId: number;
let regionId: number;

const currentMonth = monthStartOf(new Date());
const start = addMonths(currentMonth, -3);
const from = monthParam(start);
const to = monthParam(currentMonth);

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'MANGYSTAU' } });
  regionId = region.id;
  const mentor = await database.prisma.user.create({ data: { email: 'grid.mentor@zhas.local', fullName: 'Ментор Сетки', role: 'MENTOR', passwordHash: await hashTestPassword(demoPassword) } });
  mentorId = mentor.id;
  const group = (name: string) => database.prisma.youthGroup.create({ data: { name, regionId, projectTitle: 'Проект', hostOrganisationName: 'ОФ', programmeStartMonth: start, programmeMonths: 3, mentorId } });
  const onTime = (month: Date) => new Date(month.getTime() + 10 * 86_400_000);
  const late = await group('Сетка: опоздание');
  const missing = await group('Сетка: пропуск');
  const complete = await group('Сетка: всё вовремя');
  for (const offset of [0, 1, 2]) {
    const month = addMonths(start, offset);
    await database.prisma.sessionProtocol.create({ data: { groupId: complete.id, month, mentorId, status: 'SUBMITTED', submittedAt: onTime(month), sessionDate: new Date(month.getTime() + 4 * 86_400_000) } });
    await database.prisma.sessionProtocol.create({
      data: { groupId: late.id, month, mentorId, status: 'SUBMITTED', submittedAt: offset === 1 ? new Date(monthEndsAt(month).getTime() + 86_400_000) : onTime(month) },
    });
    if (offset !== 2) await database.prisma.sessionProtocol.create({ data: { groupId: missing.id, month, mentorId, status: 'SUBMITTED', submittedAt: onTime(month) } });
  }
});
afterAll(async () => {
  await portal.close();
});

function groupNames(html: string): string[] {
  return [...html.matchAll(/<th scope="row"><a href="\/admin\/groups\/\d+">([^<]+)<\/a><\/th>/g)].map((match) => match[1]);
}

describe('the compliance grid', () => {
  it('refuses a reversed month range with a message next to the field, keeping what was typed', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const response = await coordinator.get(`/admin/compliance?from=${to}&to=${from}`);
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="filter-to-error"/);
    expect(response.text).toContain(`name="from" type="month" value="${to}"`);
    expect(response.text).toContain(`name="to" type="month" value="${from}"`);
    const exported = await coordinator.get(`/admin/compliance/export.xlsx?from=${to}&to=${from}`);
    expect(exported.status).toBe(303);
    expect(exported.headers.location).toContain(`from=${to}`);
  });

  it('filters by state: only missing, only late', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const base = `/admin/compliance?mentor=${mentorId}&from=${from}&to=${to}`;
    expect(groupNames((await coordinator.get(base).expect(200)).text).sort()).toEqual(['Сетка: всё вовремя', 'Сетка: опоздание', 'Сетка: пропуск']);
    const missing = await coordinator.get(`${base}&state=missing`).expect(200);
    expect(groupNames(missing.text)).toEqual(['Сетка: пропуск']);
    expect(missing.text).toMatch(/<option value="missing" selected/);
    expect(groupNames((await coordinator.get(`${base}&state=late`).expect(200)).text)).toEqual(['Сетка: опоздание']);
    // The export link keeps the state filter.
    expect(missing.text).toContain('state=missing');
  });

  it('exports the grid with real month dates in its header', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const response = await coordinator.get(`/admin/compliance/export.xlsx?mentor=${mentorId}&from=${from}&to=${to}`).buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
    const header = workbook.worksheets[0].getRow(1);
    const first = header.getCell(4).value;
    expect(first).toBeInstanceOf(Date);
    expect((first as Date).toISOString().slice(0, 7)).toBe(from);
    expect((header.getCell(7).value as Date).toISOString().slice(0, 7)).toBe(to);
  });

  it('exports protocols with real dates', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const response = await coordinator.get(`/admin/protocols/export.xlsx?region=${regionId}&month=${monthParam(start)}`).buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const headers = (sheet.getRow(1).values as unknown[]).map((value) => String(value ?? ''));
    const sessionColumn = headers.indexOf('Дата встречи');
    const submittedColumn = headers.findIndex((header) => /Сдан|сдан/.test(header));
    expect(sessionColumn).toBeGreaterThan(0);
    expect(submittedColumn).toBeGreaterThan(0);
    let withSessionDate = 0;
    sheet.eachRow((row, number) => {
      if (number === 1) return;
      const session = row.getCell(sessionColumn).value;
      if (session !== null && session !== undefined && session !== '') {
        expect(session).toBeInstanceOf(Date);
        withSessionDate += 1;
      }
      const submitted = row.getCell(submittedColumn).value;
      if (submitted) expect(submitted).toBeInstanceOf(Date);
    });
    expect(withSessionDate).toBeGreaterThan(0);
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { demoLogins, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let coordinator: supertest.Agent;
let chairId: number;
let memberId: number;
let application: { id: number; number: string };
let otherApplication: { id: number; number: string };

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  coordinator = await loginAs(portal.app, 'coordinator');
  const { prisma } = database;
  chairId = (await prisma.user.findUniqueOrThrow({ where: { email: demoLogins.chair } })).id;
  memberId = (await prisma.user.findUniqueOrThrow({ where: { email: demoLogins.member } })).id;
  const cohort = await prisma.cohort.findFirstOrThrow();
  const region = await prisma.region.findFirstOrThrow({ where: { code: 'ASTANA' } });
  const row = (number: string, iin: string) => ({
    number, cohortId: cohort.id, regionId: region.id, fullName: 'Тест', birthDate: new Date('1990-01-01'), iin, phone: '+77011234567', email: `${iin}@example.kz`,
    residenceMonths: 12, occupation: 'x', organisation: 'x', education: 'x', experienceYears: 6, experienceDescription: 'x', vulnerableYouthWork: 'x',
    availableForTrips: true, languages: ['ru'], motivation: 'x', declaresNotYouthGroupMember: true, declaresNotHostOrgHeadOrAccountant: true,
    consentsToDataProcessing: true, consentedAt: new Date(), statusTokenExpiresAt: new Date(Date.now() + 1e9),
  });
  application = await prisma.application.create({ data: row('ZM-2026-00777', '900101300017'), select: { id: true, number: true } });
  otherApplication = await prisma.application.create({ data: row('ZM-2026-00778', '900101300018'), select: { id: true, number: true } });

  const base = Date.parse('2026-02-01T06:00:00Z');
  await prisma.auditLogEntry.createMany({
    data: [
      // 120 scores by the member, a minute apart, the newest last.
      ...Array.from({ length: 120 }, (_, index) => ({ actorId: memberId, action: 'score.submitted', entityType: 'Application', entityId: String(otherApplication.id), details: { serial: index + 1 }, createdAt: new Date(base + index * 60_000) })),
      { actorId: null, action: 'application.submitted', entityType: 'Application', entityId: String(application.id), details: { documents: 9 }, createdAt: new Date('2026-01-05T10:00:00Z') },
      { actorId: null, action: 'email.failed_permanently', entityType: 'OutboxEmail', entityId: '5', createdAt: new Date('2026-01-06T10:00:00Z') },
      { actorId: chairId, action: 'application.status_changed', entityType: 'Application', entityId: String(application.id), details: { from: 'SUBMITTED', to: 'SCREENING' }, createdAt: new Date('2026-01-10T18:30:00Z') },
      { actorId: chairId, action: 'document.viewed', entityType: 'Application', entityId: String(application.id), details: { kind: 'ID_CARD' }, createdAt: new Date('2026-01-10T19:30:00Z') },
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

describe('GET /admin/audit', () => {
  it('shows the newest entries first, 50 a page, with a link to the next page', async () => {
    const page = await coordinator.get('/admin/audit?action=score.submitted').expect(200);
    const rows = rowsOf(page.text);
    expect(rows).toHaveLength(50);
    expect(rows[0][4]).toBe('serial: 120');
    expect(rows[49][4]).toBe('serial: 71');
    expect(rows[0][1]).toBe('Динара Оспанова');
    expect(page.text).toContain('href="/admin/audit?action=score.submitted&amp;page=2"');

    const last = await coordinator.get('/admin/audit?action=score.submitted&page=3').expect(200);
    const lastRows = rowsOf(last.text);
    expect(lastRows).toHaveLength(20);
    expect(lastRows[19][4]).toBe('serial: 1');
    expect(last.text).not.toContain('rel="next"');
    expect(last.text).toContain('rel="prev"');
  });

  it('filters by the user who acted', async () => {
    const page = await coordinator.get(`/admin/audit?actor=${chairId}`).expect(200);
    const rows = rowsOf(page.text);
    expect(rows.map((row) => row[2])).toEqual(['Документ просмотрен', 'Статус заявки изменён']);
    expect(rows.every((row) => row[1] === 'Ержан Бекмуханов')).toBe(true);
  });

  it('names the applicant and the system for entries without a user', async () => {
    const page = await coordinator.get('/admin/audit?actor=none').expect(200);
    const rows = rowsOf(page.text);
    expect(rows.map((row) => [row[1], row[2]])).toEqual([
      ['система', 'email.failed_permanently'],
      ['заявитель', 'Заявка подана'],
    ]);
  });

  it('filters by application number or id, and says when the number is unknown', async () => {
    for (const value of [application.number, application.number.toLowerCase(), String(application.id)]) {
      const rows = rowsOf((await coordinator.get(`/admin/audit?application=${encodeURIComponent(value)}`).expect(200)).text);
      expect(rows.map((row) => row[2]), value).toEqual(['Документ просмотрен', 'Статус заявки изменён', 'Заявка подана']);
      expect(rows[0][3]).toBe(`Заявка ${application.number}`);
    }
    const unknown = await coordinator.get('/admin/audit?application=ZM-1999-00001').expect(200);
    expect(rowsOf(unknown.text)).toHaveLength(0);
    expect(unknown.text).toContain('Заявка с таким номером не найдена.');
  });

  it('filters by action, offering the actions that occur', async () => {
    const page = await coordinator.get('/admin/audit?action=document.viewed').expect(200);
    expect(rowsOf(page.text).map((row) => row[2])).toEqual(['Документ просмотрен']);
    for (const action of ['application.status_changed', 'application.submitted', 'document.viewed', 'email.failed_permanently', 'score.submitted']) {
      expect(page.text).toContain(`<option value="${action}"`);
    }
  });

  it('filters by days in Almaty time and shows times in Almaty', async () => {
    // 2026-01-10T19:30Z is 00:30 on 11 January in Almaty; 18:30Z is still the 10th there.
    const eleventh = await coordinator.get('/admin/audit?from=2026-01-11&to=2026-01-11').expect(200);
    const rows = rowsOf(eleventh.text);
    expect(rows.map((row) => row[2])).toEqual(['Документ просмотрен']);
    expect(rows[0][0]).toMatch(/11 янв\.? 2026.*00:30/);

    const tenth = await coordinator.get('/admin/audit?from=2026-01-10&to=2026-01-10').expect(200);
    expect(rowsOf(tenth.text).map((row) => row[2])).toEqual(['Статус заявки изменён']);

    const combined = await coordinator.get(`/admin/audit?actor=${chairId}&from=2026-01-01&to=2026-01-31&application=${application.number}`).expect(200);
    expect(rowsOf(combined.text)).toHaveLength(2);
  });

  it('explains a date it cannot read and a range that ends before it starts', async () => {
    const bad = await coordinator.get('/admin/audit?from=yesterday');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="filter-from-error"');
    expect(bad.text).toContain('Введите дату, например 10.05.2027.');
    const reversed = await coordinator.get('/admin/audit?from=2026-02-01&to=2026-01-01');
    expect(reversed.status).toBe(422);
    expect(reversed.text).toContain('Конечная дата должна быть не раньше начальной.');
  });

  it('shows the coordinator\'s own admin changes', async () => {
    const page = await coordinator.get('/admin/regions/new');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await coordinator.post('/admin/regions').type('form').send({ _csrf: token, code: 'ULYTAU', nameRu: 'Улытауская область', nameKk: 'Ұлытау облысы', nameEn: 'Ulytau Region', isActive: 'yes' }).expect(303);
    const rows = rowsOf((await coordinator.get('/admin/audit?action=region.created').expect(200)).text);
    expect(rows).toHaveLength(1);
    expect(rows[0][1]).toBe('Айгерим Сапарова');
    expect(rows[0][4]).toContain('Код: ULYTAU');
  });
});

import { DateTime } from 'luxon';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import type { ApplicationStatus } from '../../src/generated/prisma/enums.ts';
import { startRetentionJob } from '../../src/features/retention/retention.job.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { formatDate } from '../../src/lib/dates.ts';
import { loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

let portal: TestPortal;
let database: Database;
let coordinator: supertest.Agent;
let cohortId: number;
const applications = {} as Record<ApplicationStatus, Awaited<ReturnType<typeof createApplication>>>;
const statuses: ApplicationStatus[] = ['REJECTED', 'RESERVE', 'WITHDRAWN', 'SELECTED', 'SCORED'];
const notSelected: ApplicationStatus[] = ['REJECTED', 'RESERVE', 'WITHDRAWN'];
const monthMs = 31 * 24 * 3_600_000;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  coordinator = await loginAs(portal.app, 'coordinator');
  for (const status of statuses) applications[status] = await createApplication(database.prisma, { regionCode: 'ASTANA', status, documents: portal.documents });
  cohortId = applications.REJECTED.cohortId;
});
afterAll(async () => {
  await portal.close();
});

/** Whether the file of the application of this status is still in the portal's document store. */
const fileKept = (status: ApplicationStatus) => portal.documents.store.exists(applications[status].documents[0].storedName);

describe('before the results are published', () => {
  it('deletes nothing, and the page says the periods start with the publication', async () => {
    await database.prisma.cohort.update({ where: { id: cohortId }, data: { resultsPublishedAt: null } });
    const job = startRetentionJob({ prisma: database.prisma, store: portal.documents.store, logger: createLogger('silent'), intervalMs: 3_600_000 });
    await job.runOnce();
    await job.stop();
    for (const status of statuses) expect(await fileKept(status), status).toBe(true);
    const page = await coordinator.get('/admin/retention').expect(200);
    expect(page.text).toContain('ещё не опубликованы');
  });
});

describe('GET /admin/retention', () => {
  it('shows per cohort what will be deleted and anonymised and when, to the coordinator only', async () => {
    const publishedAt = new Date(Date.now() - 2 * monthMs);
    await database.prisma.cohort.update({ where: { id: cohortId }, data: { resultsPublishedAt: publishedAt, documentRetentionMonths: 6, anonymiseAfterMonths: 24 } });
    const page = await coordinator.get('/admin/retention').expect(200);
    expect(page.headers['cache-control']).toContain('no-store');
    const row = new RegExp(`<tr data-cohort="${cohortId}">([\\s\\S]*?)</tr>`).exec(page.text)![1];
    expect(row).toContain('3 файла к удалению');
    expect(row).toContain('3 заявки к обезличиванию');
    const inAlmaty = DateTime.fromJSDate(publishedAt, { zone: 'Asia/Almaty' });
    expect(row).toContain(formatDate(inAlmaty.plus({ months: 6 }).toJSDate(), 'ru'));
    expect(row).toContain(formatDate(inAlmaty.plus({ months: 24 }).toJSDate(), 'ru'));
    expect(row).toContain('через 6 месяцев после результатов');
    expect(row).toContain('через 24 месяца после результатов');
    expect(row).not.toContain('срок наступил');

    const mentor = await loginAs(portal.app, 'mentor');
    expect((await mentor.get('/admin/retention')).status).toBe(403);
    expect((await supertest(portal.app).get('/admin/retention')).status).toBe(303);
  });
});

describe('POST /admin/retention/run', () => {
  it('asks first, then deletes the files of those not selected once the period has passed, marks and audits them', async () => {
    await database.prisma.cohort.update({ where: { id: cohortId }, data: { resultsPublishedAt: new Date(Date.now() - 7 * monthMs), documentRetentionMonths: 6, anonymiseAfterMonths: 24 } });
    const confirm = await postForm(coordinator, '/admin/retention/run', {}, { tokenFrom: '/admin/retention' }).expect(200);
    expect(confirm.text).toContain('Будет безвозвратно удалено файлов: 3.');
    expect(confirm.text).toContain('name="confirmed" value="yes"');
    for (const status of statuses) expect(await fileKept(status), status).toBe(true);

    const done = await postForm(coordinator, '/admin/retention/run', { confirmed: 'yes' }, { tokenFrom: '/admin/retention' }).expect(303);
    expect(done.headers.location).toBe('/admin/retention');
    for (const status of notSelected) {
      expect(await fileKept(status), status).toBe(false);
      const document = await database.prisma.applicationDocument.findUniqueOrThrow({ where: { id: applications[status].documents[0].id } });
      expect(document.fileDeletedAt, status).not.toBeNull();
      const audit = await database.prisma.auditLogEntry.findFirst({ where: { action: 'document.deleted_by_retention', entityId: String(applications[status].id) } });
      expect(audit?.actorId).not.toBeNull();
    }
    // The committee finds no file there any more, and no view is recorded.
    const chair = await loginAs(portal.app, 'chair');
    await chair.get(`/committee/applications/${applications.REJECTED.id}/documents/${applications.REJECTED.documents[0].id}`).expect(404);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'document.viewed', entityId: String(applications.REJECTED.id) } })).toBe(0);
    // The selected candidate and the one still in the selection keep theirs.
    for (const status of ['SELECTED', 'SCORED'] as const) expect(await fileKept(status), status).toBe(true);
    // Not anonymised yet: 24 months have not passed.
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: applications.REJECTED.id } })).anonymisedAt).toBeNull();
    const page = await coordinator.get('/admin/retention').expect(200);
    expect(new RegExp(`<tr data-cohort="${cohortId}">([\\s\\S]*?)</tr>`).exec(page.text)![1]).toContain('0 файлов к удалению');
  });

  it('refuses a run without CSRF, and a run by anyone but the coordinator', async () => {
    await coordinator.post('/admin/retention/run').type('form').send({ confirmed: 'yes' }).expect(403);
    const chair = await loginAs(portal.app, 'chair');
    expect((await postForm(chair, '/admin/retention/run', { confirmed: 'yes' })).status).toBe(403);
  });
});

describe('the daily job', () => {
  it('anonymises the applications of those not selected after M months, keeping each unique, and audits it', async () => {
    await database.prisma.cohort.update({ where: { id: cohortId }, data: { resultsPublishedAt: new Date(Date.now() - 25 * monthMs) } });
    const before = await database.prisma.application.findUniqueOrThrow({ where: { id: applications.SELECTED.id } });
    const job = startRetentionJob({ prisma: database.prisma, store: portal.documents.store, logger: createLogger('silent'), intervalMs: 3_600_000 });
    await job.runOnce();
    await job.stop();
    const anonymised = await database.prisma.application.findMany({ where: { id: { in: notSelected.map((status) => applications[status].id) } } });
    expect(anonymised).toHaveLength(3);
    expect(new Set(anonymised.map((application) => application.iin)).size).toBe(3);
    for (const application of anonymised) {
      const original = Object.values(applications).find((entry) => entry.id === application.id)!;
      expect(application.anonymisedAt).not.toBeNull();
      expect(application.fullName).not.toBe(original.fullName);
      expect(application.iin).not.toBe(original.iin);
      expect(application.email).not.toBe(original.email);
      expect(application.phone).not.toBe(original.phone);
      expect(application.motivation).not.toBe(original.motivation);
      expect(await database.prisma.auditLogEntry.count({ where: { action: 'application.anonymised', entityId: String(application.id) } })).toBe(1);
    }
    const selected = await database.prisma.application.findUniqueOrThrow({ where: { id: applications.SELECTED.id } });
    expect(selected).toEqual(before);
    expect(await fileKept('SELECTED')).toBe(true);
    const page = await coordinator.get('/admin/retention').expect(200);
    expect(new RegExp(`<tr data-cohort="${cohortId}">([\\s\\S]*?)</tr>`).exec(page.text)![1]).toContain('уже обезличено: 3');
  });
});

describe('the cohort form', () => {
  const cohortFields = (overrides: Record<string, string> = {}) => ({
    name: 'Zhas 2020',
    year: '2020',
    applicationOpensAt: '2020-03-15T09:00',
    applicationClosesAt: '2020-04-15T18:00',
    resultsAt: '2020-05-10',
    requiredDocuments: ['ID_CARD'],
    ...overrides,
  });

  it('sets N and M per cohort, refusing an anonymisation before the deletion with the values kept', async () => {
    const form = await coordinator.get('/admin/cohorts/new').expect(200);
    expect(form.text).toMatch(/name="documentRetentionMonths"[^>]*value="6"|value="6"[^>]*name="documentRetentionMonths"/);
    const created = await postForm(coordinator, '/admin/cohorts', cohortFields({ documentRetentionMonths: '3', anonymiseAfterMonths: '12' })).expect(303);
    const id = Number(/\/admin\/cohorts\/(\d+)$/.exec(created.headers.location)![1]);
    expect(await database.prisma.cohort.findUniqueOrThrow({ where: { id }, select: { documentRetentionMonths: true, anonymiseAfterMonths: true } })).toEqual({ documentRetentionMonths: 3, anonymiseAfterMonths: 12 });

    const refused = await postForm(coordinator, `/admin/cohorts/${id}`, cohortFields({ documentRetentionMonths: '9', anonymiseAfterMonths: '4' }));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Заявки обезличиваются не раньше, чем удаляются документы.');
    expect(refused.text).toMatch(/name="anonymiseAfterMonths"[^>]*value="4"|value="4"[^>]*name="anonymiseAfterMonths"/);
    await postForm(coordinator, `/admin/cohorts/${id}`, cohortFields({ documentRetentionMonths: '9', anonymiseAfterMonths: '18' })).expect(303);
    expect(await database.prisma.cohort.findUniqueOrThrow({ where: { id }, select: { documentRetentionMonths: true, anonymiseAfterMonths: true } })).toEqual({ documentRetentionMonths: 9, anonymiseAfterMonths: 18 });
    const edit = await coordinator.get(`/admin/cohorts/${id}`).expect(200);
    expect(edit.text).toMatch(/name="anonymiseAfterMonths"[^>]*value="18"|value="18"[^>]*name="anonymiseAfterMonths"/);
  });
});

describe('GET /privacy', () => {
  it("states the current cohort's periods in the page's language", async () => {
    const current = await database.prisma.cohort.update({ where: { id: cohortId }, data: { documentRetentionMonths: 5, anonymiseAfterMonths: 21 } });
    const page = await supertest(portal.app).get('/privacy').expect(200);
    expect(page.text).toContain(`не отобрали в набор «${current.name}», удаляются через 5 мес. после публикации результатов`);
    expect(page.text).toContain('через 21 мес. после публикации результатов');
    const english = await supertest(portal.app).get('/privacy?lang=en').expect(200);
    expect(english.text).toContain('are deleted 5 month(s) after the results are published');
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { enqueueApplicantNotice } from '../../src/features/sms/applicant-notice.service.ts';
import { smsParts } from '../../src/features/sms/sms-parts.ts';
import { formatDateTime } from '../../src/lib/dates.ts';
import { createApplication } from '../helpers/application-fixtures.ts';
import { csrfTokenIn, loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let coordinator: supertest.Agent;
let chair: supertest.Agent;
const dayMs = 24 * 3_600_000;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  coordinator = await loginAs(portal.app, 'coordinator');
  chair = await loginAs(portal.app, 'chair');
});
afterAll(async () => {
  await portal.close();
});

const smsOf = (applicationId: number) => database.prisma.outboxEmail.findMany({ where: { applicationId, channel: 'SMS' }, orderBy: { id: 'asc' } });

describe('results by SMS', () => {
  it('publishing tells every decided applicant by SMS too, in their language, once, beside the e-mail', async () => {
    const regions = await database.prisma.region.findMany({ where: { code: { in: ['ASTANA', 'ALMATY'] } } });
    const cohort = await database.prisma.cohort.create({
      data: {
        name: 'SMS 2025', year: 2025, applicationOpensAt: new Date(Date.now() - 90 * dayMs), applicationClosesAt: new Date(Date.now() - 60 * dayMs), resultsAt: new Date(Date.now() - dayMs),
        requiredDocuments: ['ID_CARD'], quotas: { create: regions.map((region) => ({ regionId: region.id, quota: 2 })) },
      },
    });
    const decide = async (status: 'SELECTED' | 'RESERVE' | 'REJECTED', locale: 'ru' | 'kk' | 'en', phone: string) => {
      const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status });
      return database.prisma.application.update({ where: { id: application.id }, data: { cohortId: cohort.id, locale, phone } });
    };
    const selected = await decide('SELECTED', 'kk', '+77011230001');
    const reserve = await decide('RESERVE', 'ru', '+77011230002');
    const rejected = await decide('REJECTED', 'en', '+77011230003');
    const noPhone = await decide('REJECTED', 'ru', 'не помню');

    const page = await coordinator.get(`/admin/cohorts/${cohort.id}/results`).expect(200);
    const publish = () => coordinator.post(`/admin/cohorts/${cohort.id}/results/publish`).type('form').send({ _csrf: csrfTokenIn(page.text), confirmed: 'yes' });
    expect((await publish()).status).toBe(303);

    const [selectedSms] = await smsOf(selected.id);
    expect(selectedSms).toMatchObject({ channel: 'SMS', toAddress: '+77011230001', subject: '', locale: 'kk', template: 'results', status: 'PENDING', htmlBody: null });
    expect(selectedSms.textBody).toContain(selected.number);
    expect(selectedSms.textBody).toContain('тәлімгер болып іріктелдіңіз');
    expect(selectedSms.textBody).not.toContain(selected.fullName);
    expect(selectedSms.smsParts).toBe(smsParts(selectedSms.textBody));
    expect(selectedSms.smsParts).toBeLessThanOrEqual(2);
    const email = await database.prisma.outboxEmail.findFirstOrThrow({ where: { applicationId: selected.id, template: 'results', channel: 'EMAIL' } });
    expect(email.toAddress).toBe(selected.email);
    expect(selectedSms.dedupeKey).toBeTruthy();
    expect(selectedSms.dedupeKey).not.toBe(email.dedupeKey);

    expect((await smsOf(reserve.id))[0].textBody).toContain('в резерве менторов');
    const [rejectedSms] = await smsOf(rejected.id);
    expect(rejectedSms.textBody).toContain('was not selected');
    expect(rejectedSms.smsParts).toBe(1);
    // No usable number: the e-mail alone.
    expect(await smsOf(noPhone.id)).toHaveLength(0);
    expect(await database.prisma.outboxEmail.count({ where: { applicationId: noPhone.id, template: 'results' } })).toBe(1);

    // Publishing again sends nothing twice.
    expect((await publish()).status).toBe(303);
    expect(await database.prisma.outboxEmail.count({ where: { applicationId: { in: [selected.id, reserve.id, rejected.id] }, channel: 'SMS' } })).toBe(3);
  });
});

describe('document requests and interviews by SMS', () => {
  it('a document request sends an SMS with the number and the day, without the secret link', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA' });
    await postForm(chair, `/committee/applications/${application.id}/request-document`, { kind: 'POLICE_CLEARANCE', message: 'Нужна свежая справка', dueOn: '2030-01-15' }).expect(303);
    const sms = await smsOf(application.id);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ toAddress: '+77011234567', template: 'document-requested', locale: 'ru' });
    expect(sms[0].textBody).toBe(`Zhas: по заявке ${application.number} нужен документ до 15 января 2030. Ссылка для загрузки — в письме на e-mail.`);
    expect(sms[0].textBody).not.toMatch(/\/status\//);
    expect(sms[0].smsParts).toBe(2);
  });

  it('an interview and its reschedule each send an SMS with the time', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW' });
    await database.prisma.application.update({ where: { id: application.id }, data: { locale: 'en' } });
    const url = `/committee/applications/${application.id}/interview`;
    await postForm(chair, url, { date: '2026-12-10', time: '10:00', durationMinutes: '45', place: 'Астана, Дом дружбы', videoLink: '' }).expect(303);
    await postForm(chair, url, { date: '2026-12-11', time: '15:30', durationMinutes: '30', place: '', videoLink: 'https://meet.example.kz/zhas' }).expect(303);
    const sms = await smsOf(application.id);
    expect(sms.map((row) => row.template)).toEqual(['interview-scheduled', 'interview-scheduled']);
    const at = (iso: string) => formatDateTime(new Date(iso), 'en').replace(/\s+/gu, ' ');
    expect(sms[0].textBody).toBe(`Zhas: interview for application ${application.number}: ${at('2026-12-10T05:00:00Z')}. Details in your e-mail.`);
    expect(sms[1].textBody).toBe(`Zhas: the interview for application ${application.number} has moved to ${at('2026-12-11T10:30:00Z')}. Details in your e-mail.`);
    expect(new Set(sms.map((row) => row.dedupeKey)).size).toBe(2);
  });

  it('is written in the same transaction as the e-mail: a rollback leaves neither', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA' });
    await expect(
      database.prisma.$transaction(async (tx) => {
        const notice = await enqueueApplicantNotice(tx, { to: application.email, locale: 'ru', template: 'results', data: { number: application.number, outcome: 'RESERVE', fullName: 'x', cohortName: 'x', regionName: 'x' }, applicationId: application.id });
        expect(notice.sms?.created).toBe(true);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await database.prisma.outboxEmail.count({ where: { applicationId: application.id } })).toBe(0);
  });
});

describe('the outbox page', () => {
  it('shows SMS beside e-mails: channel, the number masked but its last 4 digits, parts; filters by channel; no-store', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA' });
    await enqueueApplicantNotice(database.prisma, { to: application.email, locale: 'ru', template: 'results', data: { number: application.number, outcome: 'SELECTED', fullName: 'x', cohortName: 'x', regionName: 'x' }, applicationId: application.id, dedupeKey: `sms-page:${application.id}` });
    const [sms] = await smsOf(application.id);

    const list = await coordinator.get('/admin/outbox').expect(200);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.text).toContain('<th scope="col">Канал</th>');
    expect(list.text).toContain('•••••••4567');
    expect(list.text).not.toContain('+77011234567');
    expect(list.text).toMatch(new RegExp(`href="/admin/outbox/${sms.id}"[^>]*>[^<]*SMS`));

    const onlySms = await coordinator.get('/admin/outbox?channel=SMS').expect(200);
    expect(onlySms.text).toContain(`/admin/outbox/${sms.id}"`);
    expect(onlySms.text).not.toContain(application.email);
    expect(onlySms.text).toContain('<option value="SMS" selected>');
    const onlyEmail = await coordinator.get('/admin/outbox?channel=EMAIL').expect(200);
    expect(onlyEmail.text).not.toContain(`/admin/outbox/${sms.id}"`);
    expect(onlyEmail.text).toContain(application.email);

    const message = await coordinator.get(`/admin/outbox/${sms.id}`).expect(200);
    expect(message.headers['cache-control']).toBe('no-store');
    expect(message.text).toContain('•••••••4567');
    expect(message.text).not.toContain('+77011234567');
    expect(message.text).toMatch(new RegExp(`Частей SMS</th><td>${sms.smsParts}<`));
    expect(message.text).toContain(application.number);
  });
});

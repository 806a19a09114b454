import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import type { ApplicationStatus, Locale } from '../../src/generated/prisma/enums.ts';
import { hashUserToken } from '../../src/features/auth/invitation-tokens.ts';
import { csrfTokenIn, demoLogins, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let coordinator: supertest.Agent;
let token: string;

const baseUrl = 'https://mentors.example.kz';
const dayMs = 24 * 3_600_000;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { BASE_URL: baseUrl } });
  database = portal.database;
  coordinator = await loginAs(portal.app, 'coordinator');
  token = csrfTokenIn((await coordinator.get('/admin')).text);
});
afterAll(async () => {
  await portal.close();
});

let serial = 0;

/** A minimal application row, straight into the database. */
async function createApplication(cohortId: number, regionCode: string, status: ApplicationStatus, locale: Locale, overrides: { email?: string; fullName?: string } = {}) {
  serial += 1;
  const region = await database.prisma.region.findUniqueOrThrow({ where: { code: regionCode } });
  return database.prisma.application.create({
    data: {
      number: `ZM-2025-${String(serial).padStart(5, '0')}`, cohortId, regionId: region.id, status, locale,
      fullName: overrides.fullName ?? `Заявитель ${serial}`, birthDate: new Date('1988-04-02'), iin: String(880402300000 + serial),
      phone: `+7701555${String(serial).padStart(4, '0')}`, email: overrides.email ?? `applicant${serial}@example.kz`, residenceMonths: 24, occupation: 'Учитель',
      organisation: 'Школа', education: 'ЕНУ', experienceYears: 8, experienceDescription: 'x', vulnerableYouthWork: 'x', availableForTrips: true,
      languages: ['kk', 'ru'], motivation: 'x', declaresNotYouthGroupMember: true, declaresNotHostOrgHeadOrAccountant: true, consentsToDataProcessing: true,
      consentedAt: new Date(), statusTokenExpiresAt: new Date(Date.now() + 365 * dayMs),
    },
  });
}

async function createCohort(name: string, resultsAt: Date) {
  const regions = await database.prisma.region.findMany({ where: { code: { in: ['ASTANA', 'ALMATY'] } } });
  return database.prisma.cohort.create({
    data: {
      name, year: 2025, applicationOpensAt: new Date(Date.now() - 90 * dayMs), applicationClosesAt: new Date(Date.now() - 60 * dayMs), resultsAt,
      requiredDocuments: ['ID_CARD'], quotas: { create: regions.map((region) => ({ regionId: region.id, quota: 2 })) },
    },
  });
}

function publish(cohortId: number, agent = coordinator, csrf = token) {
  return agent.post(`/admin/cohorts/${cohortId}/results/publish`).type('form').send({ _csrf: csrf, confirmed: 'yes' });
}

describe('publishing a cohort\'s results', () => {
  let cohortId: number;
  let apps: Record<string, Awaited<ReturnType<typeof createApplication>>>;

  beforeAll(async () => {
    const cohort = await createCohort('Zhas 2025', new Date(Date.now() + 2 * dayMs));
    cohortId = cohort.id;
    apps = {
      selectedKk: await createApplication(cohortId, 'ASTANA', 'SELECTED', 'kk', { fullName: 'Айгүл Серікова', email: 'aigul@example.kz' }),
      selectedRu: await createApplication(cohortId, 'ALMATY', 'SELECTED', 'ru', { fullName: 'Сергей Ли', email: 'sergey@example.kz' }),
      selectedExisting: await createApplication(cohortId, 'ASTANA', 'SELECTED', 'en', { fullName: 'Dinara Ospanova', email: demoLogins.member }),
      reserve: await createApplication(cohortId, 'ASTANA', 'RESERVE', 'ru'),
      rejected: await createApplication(cohortId, 'ALMATY', 'REJECTED', 'en'),
      withdrawn: await createApplication(cohortId, 'ASTANA', 'WITHDRAWN', 'ru'),
      undecided: await createApplication(cohortId, 'ALMATY', 'SCORED', 'kk'),
    };
    // A committee score with a distinctive value and a reviewer whose name must never reach an applicant.
    const reviewer = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.chair } });
    for (const application of Object.values(apps)) {
      await database.prisma.application.update({ where: { id: application.id }, data: { resultScore: '4.375', scoreCount: 3, scoreSpread: '1.250' } });
    }
    await database.prisma.score.create({ data: { applicationId: apps.selectedKk.id, reviewerId: reviewer.id, comment: 'Сильный кандидат' } });
  });

  it('shows the counts by outcome and how many are undecided', async () => {
    const page = await coordinator.get(`/admin/cohorts/${cohortId}/results`).expect(200);
    const cells = [...page.text.matchAll(/<th scope="row">([^<]+)<\/th><td>(\d+)<\/td>/g)].map((match) => [match[1], Number(match[2])]);
    expect(cells).toEqual([['Отобран(а)', 3], ['Резерв', 1], ['Отклонена', 1], ['Отозвана', 1], ['Без решения', 1]]);
    expect(page.text).toContain('Публиковать результаты можно не раньше даты результатов');
  });

  it('is refused before the results date, with nothing changed', async () => {
    const response = await publish(cohortId);
    expect(response.status).toBe(409);
    expect(response.text).toContain('Публиковать результаты можно не раньше даты результатов');
    expect((await database.prisma.cohort.findUniqueOrThrow({ where: { id: cohortId } })).resultsPublishedAt).toBeNull();
    expect(await database.prisma.outboxEmail.count()).toBe(0);
  });

  it('is refused while an application is undecided, saying how many', async () => {
    await database.prisma.cohort.update({ where: { id: cohortId }, data: { resultsAt: new Date(Date.now() - dayMs) } });
    const response = await publish(cohortId);
    expect(response.status).toBe(409);
    expect(response.text).toContain('Опубликовать нельзя: заявок без решения — 1.');
    expect(await database.prisma.outboxEmail.count()).toBe(0);
    expect(await database.prisma.user.count({ where: { role: 'MENTOR' } })).toBe(1);
  });

  it('then e-mails every decided applicant once in their language, without scores, and opens mentor accounts for the selected', async () => {
    await database.prisma.application.update({ where: { id: apps.undecided.id }, data: { status: 'REJECTED' } });
    const existingBefore = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.member } });

    const response = await publish(cohortId);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/admin/cohorts/${cohortId}/results`);

    const cohort = await database.prisma.cohort.findUniqueOrThrow({ where: { id: cohortId } });
    expect(cohort.resultsPublishedAt).not.toBeNull();

    const results = await database.prisma.outboxEmail.findMany({ where: { template: 'results', channel: 'EMAIL' }, orderBy: { applicationId: 'asc' } });
    const decided = [apps.selectedKk, apps.selectedRu, apps.selectedExisting, apps.reserve, apps.rejected, apps.undecided];
    expect(results.map((email) => [email.applicationId, email.toAddress, email.locale])).toEqual(decided.map((application) => [application.id, application.email, application.locale]));
    for (const email of results) {
      for (const body of [email.subject, email.textBody, email.htmlBody ?? '']) {
        expect(body).not.toMatch(/4[.,]375|1[.,]25|балл|ұпай|score/i);
        expect(body).not.toContain('Ержан Бекмуханов');
        expect(body).not.toContain('Сильный кандидат');
      }
    }
    const byApplication = (id: number) => results.find((email) => email.applicationId === id)!;
    expect(byApplication(apps.selectedKk.id).subject).toContain('Тәлімгерлерді іріктеу нәтижесі');
    expect(byApplication(apps.selectedKk.id).textBody).toContain('тәлімгері болып іріктелдіңіз');
    expect(byApplication(apps.selectedRu.id).textBody).toContain('вы отобраны ментором');
    expect(byApplication(apps.reserve.id).textBody).toContain('включены в резерв');
    expect(byApplication(apps.rejected.id).textBody).toContain('did not select you');
    expect(byApplication(apps.undecided.id).textBody).toContain('кандидатураңызды таңдамады');
    expect(await database.prisma.outboxEmail.count({ where: { applicationId: apps.withdrawn.id } })).toBe(0);

    const notified = await database.prisma.application.findMany({ where: { cohortId, resultNotifiedAt: { not: null } }, select: { id: true } });
    expect(notified.map((row) => row.id).sort()).toEqual(decided.map((application) => application.id).sort());

    // Mentor accounts for the selected, each with a 14-day invitation e-mailed in their language.
    const mentors = await database.prisma.user.findMany({ where: { sourceApplicationId: { in: [apps.selectedKk.id, apps.selectedRu.id] } }, include: { tokens: true }, orderBy: { sourceApplicationId: 'asc' } });
    expect(mentors.map((mentor) => [mentor.email, mentor.role, mentor.fullName, mentor.phone, mentor.locale, mentor.passwordHash])).toEqual([
      ['aigul@example.kz', 'MENTOR', 'Айгүл Серікова', apps.selectedKk.phone, 'kk', null],
      ['sergey@example.kz', 'MENTOR', 'Сергей Ли', apps.selectedRu.phone, 'ru', null],
    ]);
    for (const mentor of mentors) {
      expect(mentor.tokens).toHaveLength(1);
      expect(mentor.tokens[0].purpose).toBe('INVITATION');
      expect(mentor.tokens[0].expiresAt.getTime() - mentor.tokens[0].createdAt.getTime()).toBe(14 * dayMs);
      const invitation = await database.prisma.outboxEmail.findFirstOrThrow({ where: { template: 'mentor-invitation', toAddress: mentor.email } });
      const link = new RegExp(`${baseUrl}/account/set-password/([A-Za-z0-9_-]{43})`).exec(invitation.textBody);
      expect(link).not.toBeNull();
      expect(hashUserToken(link![1])).toBe(mentor.tokens[0].tokenHash);
      expect(invitation.locale).toBe(mentor.locale);
    }
    expect(await database.prisma.outboxEmail.count({ where: { template: 'mentor-invitation' } })).toBe(2);

    // The existing account is left as it was and reported on the page.
    const existingAfter = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.member } });
    expect(existingAfter).toEqual(existingBefore);
    const page = await coordinator.get(`/admin/cohorts/${cohortId}/results`).expect(200);
    expect(page.text).toContain('Результаты опубликованы');
    expect(page.text).toContain('Учётные записи не созданы');
    expect(page.text).toContain(apps.selectedExisting.number);
    expect(page.text).toContain(demoLogins.member);

    const published = await database.prisma.auditLogEntry.findMany({ where: { action: 'results.published', entityId: String(cohortId) } });
    expect(published).toHaveLength(1);
    expect(published[0].details).toMatchObject({ notified: 6, accountsCreated: 2, existingAccounts: [{ applicationId: apps.selectedExisting.id, email: demoLogins.member }] });
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'user.created_from_application' } })).toBe(2);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'results.notified' } })).toBe(6);
  });

  it('sends nothing twice when published again', async () => {
    const before = { emails: await database.prisma.outboxEmail.count(), users: await database.prisma.user.count(), tokens: await database.prisma.userToken.count(), audit: await database.prisma.auditLogEntry.count() };
    const response = await publish(cohortId);
    expect(response.status).toBe(303);
    expect((await coordinator.get(`/admin/cohorts/${cohortId}/results`)).text).toContain('Новых решений нет');
    expect({ emails: await database.prisma.outboxEmail.count(), users: await database.prisma.user.count(), tokens: await database.prisma.userToken.count(), audit: await database.prisma.auditLogEntry.count() }).toEqual(before);
  });

  it('lets a selected applicant set a password from the e-mail and land on the mentor page', async () => {
    const invitation = await database.prisma.outboxEmail.findFirstOrThrow({ where: { template: 'mentor-invitation', toAddress: 'aigul@example.kz' } });
    const path = new URL(/https:\/\/\S+\/account\/set-password\/[A-Za-z0-9_-]{43}/.exec(invitation.textBody)![0]).pathname;
    const browser = supertest.agent(portal.app);
    const form = await browser.get(path).expect(200);
    expect(form.text).toContain('Айгүл Серікова');
    const response = await browser.post(path).type('form').send({ _csrf: csrfTokenIn(form.text), password: 'menin-kupiya-sozim', passwordConfirmation: 'menin-kupiya-sozim' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/mentor');
    await browser.get('/mentor').expect(200);
  });
});

describe('a decision made after publication', () => {
  it('is sent by the next publication, and only that one', async () => {
    const cohort = await createCohort('Zhas 2025 (осень)', new Date(Date.now() - dayMs));
    const first = await createApplication(cohort.id, 'ASTANA', 'REJECTED', 'ru');
    const reserve = await createApplication(cohort.id, 'ASTANA', 'WITHDRAWN', 'ru');
    await publish(cohort.id).expect(303);
    expect(await database.prisma.outboxEmail.count({ where: { applicationId: first.id, channel: 'EMAIL' } })).toBe(1);

    // A later decision (the review feature sets resultNotifiedAt back to null when it decides again).
    await database.prisma.application.update({ where: { id: reserve.id }, data: { status: 'SELECTED', email: 'late.selected@example.kz' } });
    await publish(cohort.id).expect(303);
    expect(await database.prisma.outboxEmail.count({ where: { applicationId: first.id, channel: 'EMAIL' } })).toBe(1);
    expect(await database.prisma.outboxEmail.count({ where: { applicationId: reserve.id, template: 'results', channel: 'EMAIL' } })).toBe(1);
    expect(await database.prisma.user.count({ where: { sourceApplicationId: reserve.id, role: 'MENTOR' } })).toBe(1);
  });

  it('two coordinators pressing "publish" at the same moment still send one e-mail per applicant', async () => {
    const cohort = await createCohort('Zhas 2025 (зима)', new Date(Date.now() - dayMs));
    const applications = [await createApplication(cohort.id, 'ALMATY', 'SELECTED', 'kk'), await createApplication(cohort.id, 'ALMATY', 'RESERVE', 'en')];
    const responses = await Promise.all([publish(cohort.id), publish(cohort.id)]);
    expect(responses.map((response) => response.status)).toEqual([303, 303]);
    for (const application of applications) {
      expect(await database.prisma.outboxEmail.count({ where: { applicationId: application.id, template: 'results', channel: 'EMAIL' } })).toBe(1);
    }
    expect(await database.prisma.user.count({ where: { sourceApplicationId: applications[0].id } })).toBe(1);
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { demoLogins, loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let coordinator: supertest.Agent;

const allKinds = ['ID_CARD', 'EDUCATION_DIPLOMA', 'YOUTH_WORK_CERTIFICATE', 'RESIDENCE_PROOF', 'POLICE_CLEARANCE', 'NARCOLOGY_STATEMENT', 'PSYCHIATRY_STATEMENT', 'RECOMMENDATION_LETTER'];

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  coordinator = await loginAs(portal.app, 'coordinator');
});
afterAll(async () => {
  await portal.close();
});

type Fields = Record<string, string | string[] | undefined>;

const validCohort = (overrides: Fields = {}): Fields => ({
  name: 'Zhas 2027',
  year: '2027',
  applicationOpensAt: '2027-03-15T09:00',
  applicationClosesAt: '2027-04-15T18:00',
  resultsAt: '2027-05-10',
  requiredDocuments: ['ID_CARD', 'EDUCATION_DIPLOMA', 'POLICE_CLEARANCE'],
  ...overrides,
});

async function latestAudit(action: string) {
  return database.prisma.auditLogEntry.findFirst({ where: { action }, orderBy: { id: 'desc' } });
}

async function createCohort(overrides: Fields = {}): Promise<number> {
  const response = await postForm(coordinator, '/admin/cohorts', validCohort(overrides));
  expect(response.status).toBe(303);
  return Number(/\/admin\/cohorts\/(\d+)$/.exec(response.headers.location)![1]);
}

describe('GET /admin/cohorts', () => {
  it('lists the cohorts with their window in Almaty time and a link to create one', async () => {
    const cohort = await database.prisma.cohort.findFirstOrThrow();
    const page = await coordinator.get('/admin/cohorts').expect(200);
    expect(page.text).toContain(cohort.name);
    expect(page.text).toContain(`href="/admin/cohorts/${cohort.id}"`);
    expect(page.text).toContain('href="/admin/cohorts/new"');
  });
});

describe('GET /admin/cohorts/new', () => {
  it('has labelled fields, date-time inputs and a checkbox for each of the eight documents, all ticked', async () => {
    const page = await coordinator.get('/admin/cohorts/new').expect(200);
    for (const field of ['name', 'year', 'applicationOpensAt', 'applicationClosesAt', 'resultsAt']) expect(page.text).toContain(`<label for="${field}">`);
    expect(page.text).toContain('type="datetime-local"');
    for (const kind of allKinds) expect(page.text).toMatch(new RegExp(`value="${kind}" checked`));
    expect(page.text).toContain('Копия удостоверения личности');
  });
});

describe('POST /admin/cohorts', () => {
  it('stores the window typed in Almaty time as UTC (09:00 in Almaty is 04:00 UTC) and audits the creation', async () => {
    const id = await createCohort();
    const cohort = await database.prisma.cohort.findUniqueOrThrow({ where: { id } });
    expect(cohort.applicationOpensAt.toISOString()).toBe('2027-03-15T04:00:00.000Z');
    expect(cohort.applicationClosesAt.toISOString()).toBe('2027-04-15T13:00:00.000Z');
    // The results day starts at midnight in Almaty.
    expect(cohort.resultsAt.toISOString()).toBe('2027-05-09T19:00:00.000Z');
    expect(cohort.requiredDocuments.sort()).toEqual(['EDUCATION_DIPLOMA', 'ID_CARD', 'POLICE_CLEARANCE']);
    expect(cohort.year).toBe(2027);

    const audit = await latestAudit('cohort.created');
    expect(audit?.entityId).toBe(String(id));
    expect(audit?.actorId).toBe((await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.coordinator } })).id);

    // Shown back in Almaty time, in the form and in the summary, with the flash message.
    const page = await coordinator.get(`/admin/cohorts/${id}`).expect(200);
    expect(page.text).toContain('value="2027-03-15T09:00"');
    expect(page.text).toContain('value="2027-04-15T18:00"');
    expect(page.text).toContain('value="2027-05-10"');
    expect(page.text).toContain('Набор создан');
  });

  it('accepts the day-first form people type when the browser shows a text field', async () => {
    const id = await createCohort({ applicationOpensAt: '15.03.2027 09:00', applicationClosesAt: '15.04.2027 18:00', resultsAt: '10.05.2027' });
    const cohort = await database.prisma.cohort.findUniqueOrThrow({ where: { id } });
    expect(cohort.applicationOpensAt.toISOString()).toBe('2027-03-15T04:00:00.000Z');
  });

  it('explains each problem next to its field and keeps what was typed (422)', async () => {
    const before = await database.prisma.cohort.count();
    const response = await postForm(coordinator, '/admin/cohorts', validCohort({ name: '  ', year: '20x7', applicationOpensAt: '2027-02-30T09:00', resultsAt: '', requiredDocuments: ['ID_CARD', 'PASSPORT'] }));
    expect(response.status).toBe(422);
    expect(response.text).toContain('id="name-error"');
    expect(response.text).toContain('Заполните это поле.');
    expect(response.text).toContain('Введите целое число цифрами.');
    expect(response.text).toContain('id="applicationOpensAt-error"');
    expect(response.text).toContain('Введите дату и время');
    expect(response.text).toContain('id="resultsAt-error"');
    expect(response.text).toContain('Выберите документы из списка.');
    expect(response.text).toContain('value="20x7"');
    expect(response.text).toContain('value="2027-04-15T18:00"');
    expect(await database.prisma.cohort.count()).toBe(before);
  });

  it('refuses a window that closes before it opens, and results before the close', async () => {
    const reversed = await postForm(coordinator, '/admin/cohorts', validCohort({ applicationClosesAt: '2027-03-01T09:00' }));
    expect(reversed.status).toBe(422);
    expect(reversed.text).toContain('id="applicationClosesAt-error"');
    expect(reversed.text).toContain('Приём должен закрываться позже, чем открывается.');

    const early = await postForm(coordinator, '/admin/cohorts', validCohort({ resultsAt: '2027-04-01' }));
    expect(early.status).toBe(422);
    expect(early.text).toContain('Дата результатов не может быть раньше закрытия приёма заявок.');
  });

  it('gives the messages in the language of the page', async () => {
    const english = await postForm(coordinator, '/admin/cohorts?lang=en', validCohort({ year: '1999' }));
    expect(english.status).toBe(422);
    expect(english.text).toContain('The year is a number from 2000 to 2100.');
    const kazakh = await postForm(coordinator, '/admin/cohorts?lang=kk', validCohort({ year: '1999' }));
    expect(kazakh.text).toContain('Жыл — 2000 мен 2100 аралығындағы сан.');
    await coordinator.get('/admin?lang=ru');
  });
});

describe('POST /admin/cohorts/:id (edit)', () => {
  it('changes the window and documents, and records what changed', async () => {
    const id = await createCohort();
    const response = await postForm(coordinator, `/admin/cohorts/${id}`, validCohort({ name: 'Zhas 2027 (весна)', applicationOpensAt: '2027-03-16T00:30', requiredDocuments: allKinds }));
    expect(response.status).toBe(303);
    const cohort = await database.prisma.cohort.findUniqueOrThrow({ where: { id } });
    expect(cohort.name).toBe('Zhas 2027 (весна)');
    // 00:30 in Almaty is still the previous day in UTC.
    expect(cohort.applicationOpensAt.toISOString()).toBe('2027-03-15T19:30:00.000Z');
    expect(cohort.requiredDocuments).toHaveLength(8);
    const audit = await latestAudit('cohort.updated');
    const changes = (audit?.details as { changes: Record<string, { from: unknown; to: unknown }> }).changes;
    expect(Object.keys(changes).sort()).toEqual(['applicationOpensAt', 'name', 'requiredDocuments']);
    expect(changes.name).toEqual({ from: 'Zhas 2027', to: 'Zhas 2027 (весна)' });
  });

  it('re-renders the cohort page with the error and the typed values', async () => {
    const id = await createCohort();
    const response = await postForm(coordinator, `/admin/cohorts/${id}`, validCohort({ name: 'Новое имя', applicationClosesAt: 'завтра' }));
    expect(response.status).toBe(422);
    expect(response.text).toContain('value="Новое имя"');
    expect(response.text).toContain('id="applicationClosesAt-error"');
    expect((await database.prisma.cohort.findUniqueOrThrow({ where: { id } })).name).toBe('Zhas 2027');
  });
});

describe('POST /admin/cohorts/:id/quotas', () => {
  it('sets, changes and clears quotas per region and audits the changes', async () => {
    const id = await createCohort();
    const regions = await database.prisma.region.findMany({ orderBy: { sortOrder: 'asc' } });
    const [akmola, atyrau, astana] = [regions[0], regions[1], regions.find((region) => region.code === 'ASTANA')!];
    const page = await coordinator.get(`/admin/cohorts/${id}`).expect(200);
    expect(page.text).toContain(`<label for="quota-${akmola.id}">`);

    await postForm(coordinator, `/admin/cohorts/${id}/quotas`, { [`quota-${akmola.id}`]: '35', [`quota-${astana.id}`]: '40', [`quota-${atyrau.id}`]: '' }).expect(303);
    let quotas = await database.prisma.cohortRegionQuota.findMany({ where: { cohortId: id } });
    expect(Object.fromEntries(quotas.map((quota) => [quota.regionId, quota.quota]))).toEqual({ [akmola.id]: 35, [astana.id]: 40 });

    await postForm(coordinator, `/admin/cohorts/${id}/quotas`, { [`quota-${akmola.id}`]: '', [`quota-${astana.id}`]: '45' }).expect(303);
    quotas = await database.prisma.cohortRegionQuota.findMany({ where: { cohortId: id } });
    expect(Object.fromEntries(quotas.map((quota) => [quota.regionId, quota.quota]))).toEqual({ [astana.id]: 45 });
    const audit = await latestAudit('cohort.quotas_updated');
    expect((audit?.details as { changes: unknown }).changes).toEqual({ AKMOLA: { from: 35, to: null }, ASTANA: { from: 40, to: 45 } });
  });

  it('refuses a negative or non-numeric quota with a message next to the region', async () => {
    const id = await createCohort();
    const region = await database.prisma.region.findFirstOrThrow({ where: { code: 'ATYRAU' } });
    const response = await postForm(coordinator, `/admin/cohorts/${id}/quotas`, { [`quota-${region.id}`]: '-3' });
    expect(response.status).toBe(422);
    expect(response.text).toContain(`id="quota-${region.id}-error"`);
    expect(response.text).toContain('Квота — целое число от 0 до 10000.');
    expect(response.text).toContain('value="-3"');
  });

  it('does not take a region with applications out of the cohort', async () => {
    const cohort = await database.prisma.cohort.findFirstOrThrow({ where: { name: { startsWith: 'Zhas 20' }, year: { not: 2027 } }, include: { quotas: true } });
    const region = await database.prisma.region.findFirstOrThrow({ where: { code: 'MANGYSTAU' } });
    await database.prisma.application.create({ data: applicationRow(cohort.id, region.id, 'ZM-QUOTA-1') });
    const response = await postForm(coordinator, `/admin/cohorts/${cohort.id}/quotas`, { [`quota-${region.id}`]: '' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('В этом регионе уже есть заявки набора');
    expect(await database.prisma.cohortRegionQuota.findUnique({ where: { cohortId_regionId: { cohortId: cohort.id, regionId: region.id } } })).not.toBeNull();
  });
});

function applicationRow(cohortId: number, regionId: number, number: string) {
  return {
    number, cohortId, regionId, fullName: 'Тест Тестов', birthDate: new Date('1990-01-01'), iin: number.replace(/\D/g, '').padStart(12, '9'),
    phone: '+77011234567', email: `${number.toLowerCase()}@example.kz`, residenceMonths: 12, occupation: 'x', organisation: 'x', education: 'x', experienceYears: 6,
    experienceDescription: 'x', vulnerableYouthWork: 'x', availableForTrips: true, languages: ['ru'], motivation: 'x',
    declaresNotYouthGroupMember: true, declaresNotHostOrgHeadOrAccountant: true, consentsToDataProcessing: true, consentedAt: new Date(),
    statusTokenExpiresAt: new Date(Date.now() + 1e9),
  };
}

const validCriterion = (overrides: Fields = {}): Fields => ({
  code: 'teamwork',
  nameRu: 'Работа в команде',
  nameKk: 'Командада жұмыс істеу',
  nameEn: 'Teamwork',
  weight: '0,25',
  ...overrides,
});

describe('rubric criteria', () => {
  it('adds a criterion with names in three languages, a decimal weight and the 1-5 scale', async () => {
    const id = await createCohort();
    await postForm(coordinator, `/admin/cohorts/${id}/criteria`, validCriterion()).expect(303);
    await postForm(coordinator, `/admin/cohorts/${id}/criteria`, validCriterion({ code: 'Motivation', nameRu: 'Мотивация', weight: '0.5' })).expect(303);
    const criteria = await database.prisma.rubricCriterion.findMany({ where: { cohortId: id }, orderBy: { sortOrder: 'asc' } });
    expect(criteria.map((criterion) => [criterion.code, criterion.weight.toString(), criterion.minScore, criterion.maxScore, criterion.sortOrder])).toEqual([
      ['teamwork', '0.25', 1, 5, 0],
      ['motivation', '0.5', 1, 5, 1],
    ]);
    expect(criteria[0].nameKk).toBe('Командада жұмыс істеу');
    expect((await latestAudit('rubric.criterion_added'))?.entityId).toBe(String(id));

    const page = await coordinator.get(`/admin/cohorts/${id}?lang=kk`).expect(200);
    expect(page.text).toContain('Командада жұмыс істеу');
    expect(page.text).toContain('0.75');
    await coordinator.get('/admin?lang=ru');
  });

  it('explains a bad code, a missing name, a bad weight and a duplicate code', async () => {
    const id = await createCohort();
    const bad = await postForm(coordinator, `/admin/cohorts/${id}/criteria`, validCriterion({ code: 'опыт', nameEn: '', weight: '0' }));
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="criterion-code-error"');
    expect(bad.text).toContain('Код: от 2 до 40 латинских строчных букв');
    expect(bad.text).toContain('id="criterion-nameEn-error"');
    expect(bad.text).toContain('Вес должен быть больше 0 и не больше 100.');
    expect(bad.text).toContain('value="Работа в команде"');

    await postForm(coordinator, `/admin/cohorts/${id}/criteria`, validCriterion()).expect(303);
    const duplicate = await postForm(coordinator, `/admin/cohorts/${id}/criteria`, validCriterion({ nameRu: 'Другой' }));
    expect(duplicate.status).toBe(422);
    expect(duplicate.text).toContain('Критерий с таким кодом в этом наборе уже есть.');
    expect(await database.prisma.rubricCriterion.count({ where: { cohortId: id } })).toBe(1);
  });

  it('edits and removes a criterion while no score uses it', async () => {
    const id = await createCohort();
    await postForm(coordinator, `/admin/cohorts/${id}/criteria`, validCriterion()).expect(303);
    const criterion = await database.prisma.rubricCriterion.findFirstOrThrow({ where: { cohortId: id } });
    const form = await coordinator.get(`/admin/cohorts/${id}/criteria/${criterion.id}`).expect(200);
    expect(form.text).toContain('value="Работа в команде"');

    await postForm(coordinator, `/admin/cohorts/${id}/criteria/${criterion.id}`, validCriterion({ weight: '1.5', nameEn: 'Team work' })).expect(303);
    const edited = await database.prisma.rubricCriterion.findUniqueOrThrow({ where: { id: criterion.id } });
    expect(edited.weight.toString()).toBe('1.5');
    expect(edited.nameEn).toBe('Team work');
    const audit = await latestAudit('rubric.criterion_updated');
    expect((audit?.details as { changes: Record<string, unknown> }).changes).toEqual({ nameEn: { from: 'Teamwork', to: 'Team work' }, weight: { from: '0.25', to: '1.5' } });

    await postForm(coordinator, `/admin/cohorts/${id}/criteria/${criterion.id}/delete`, {}).expect(303);
    expect(await database.prisma.rubricCriterion.count({ where: { cohortId: id } })).toBe(0);
    expect((await latestAudit('rubric.criterion_removed'))?.details).toMatchObject({ code: 'teamwork' });
  });

  it('refuses to edit or remove a criterion that has scores, and to add one once scoring started', async () => {
    const id = await createCohort();
    await postForm(coordinator, `/admin/cohorts/${id}/criteria`, validCriterion()).expect(303);
    const criterion = await database.prisma.rubricCriterion.findFirstOrThrow({ where: { cohortId: id } });
    const region = await database.prisma.region.findFirstOrThrow({ where: { code: 'ASTANA' } });
    await database.prisma.cohortRegionQuota.create({ data: { cohortId: id, regionId: region.id, quota: 5 } });
    const application = await database.prisma.application.create({ data: { ...applicationRow(id, region.id, `ZM-RUBRIC-${id}`), status: 'SCORED' } });
    const reviewer = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.member } });
    await database.prisma.score.create({ data: { applicationId: application.id, reviewerId: reviewer.id, items: { create: { criterionId: criterion.id, value: 4 } } } });

    const page = await coordinator.get(`/admin/cohorts/${id}`).expect(200);
    expect(page.text).toContain('Есть оценки — изменить нельзя');
    expect(page.text).not.toContain(`/criteria/${criterion.id}/delete`);

    const edit = await postForm(coordinator, `/admin/cohorts/${id}/criteria/${criterion.id}`, validCriterion({ weight: '3' }));
    expect(edit.status).toBe(303);
    expect((await coordinator.get(`/admin/cohorts/${id}`)).text).toContain('изменить или удалить его нельзя');
    await postForm(coordinator, `/admin/cohorts/${id}/criteria/${criterion.id}/delete`, {}).expect(303);
    const kept = await database.prisma.rubricCriterion.findUniqueOrThrow({ where: { id: criterion.id } });
    expect(kept.weight.toString()).toBe('0.25');

    await postForm(coordinator, `/admin/cohorts/${id}/criteria`, validCriterion({ code: 'late_one' })).expect(303);
    expect((await coordinator.get(`/admin/cohorts/${id}`)).text).toContain('новые критерии добавлять нельзя');
    expect(await database.prisma.rubricCriterion.count({ where: { cohortId: id } })).toBe(1);
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { loginAs, postForm, startTestPortal, type DemoRole, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

let database: Database;
let portal: TestPortal;
const agents = {} as Record<DemoRole, supertest.Agent>;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  for (const role of ['chair', 'member'] as const) agents[role] = await loginAs(portal.app, role);
});
afterAll(async () => {
  await portal.close();
});

async function setQuota(quota: number) {
  const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
  const cohort = await database.prisma.cohort.findFirstOrThrow({ orderBy: { applicationOpensAt: 'desc' } });
  // Room for exactly `quota` more selections in the region, whatever the demo already selected.
  const already = await database.prisma.application.count({ where: { cohortId: cohort.id, regionId: region.id, status: 'SELECTED' } });
  await database.prisma.cohortRegionQuota.update({ where: { cohortId_regionId: { cohortId: cohort.id, regionId: region.id } }, data: { quota: already + quota } });
  return cohort;
}

const statusOf = async (id: number) => (await database.prisma.application.findUniqueOrThrow({ where: { id } })).status;
const decisionUrl = (id: number) => `/committee/applications/${id}/decision`;

describe('decisions can be corrected until the results are published', () => {
  it('changes a decision with a reason, audited with the old and new outcome, within the quota; a reserve is promoted', async () => {
    const cohort = await setQuota(1);
    const selected = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCORED' });
    const reserve = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCORED' });
    await postForm(agents.chair, decisionUrl(selected.id), { outcome: 'SELECTED' }).expect(303);
    await postForm(agents.chair, decisionUrl(reserve.id), { outcome: 'RESERVE' }).expect(303);

    // The chair's page offers the correction.
    const page = await agents.chair.get(`/committee/applications/${selected.id}`).expect(200);
    expect(page.text).toContain('name="changeReason"');

    // Promoting the reserve while the place is taken: the quota rules still apply.
    const full = await postForm(agents.chair, decisionUrl(reserve.id), { outcome: 'SELECTED', changeReason: 'Резерв' });
    expect(full.status).toBe(422);
    expect(full.text).toContain('Квота региона уже заполнена');

    // A change needs a reason; the same outcome is no change.
    const noReason = await postForm(agents.chair, decisionUrl(selected.id), { outcome: 'RESERVE' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Укажите причину изменения решения.');
    expect((await postForm(agents.chair, decisionUrl(selected.id), { outcome: 'SELECTED', changeReason: 'x' })).status).toBe(422);
    expect(await statusOf(selected.id)).toBe('SELECTED');

    // The selected candidate withdrew: rejected (asked first), then the reserve takes the place.
    const reason = 'Кандидат отказался от участия';
    const asked = await postForm(agents.chair, decisionUrl(selected.id), { outcome: 'REJECTED', changeReason: reason });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('name="confirmed" value="yes"');
    expect(asked.text).toContain(reason);
    expect(await statusOf(selected.id)).toBe('SELECTED');
    await postForm(agents.chair, decisionUrl(selected.id), { outcome: 'REJECTED', changeReason: reason, confirmed: 'yes' }).expect(303);
    expect(await statusOf(selected.id)).toBe('REJECTED');
    await postForm(agents.chair, decisionUrl(reserve.id), { outcome: 'SELECTED', changeReason: 'Место освободилось' }).expect(303);
    expect(await statusOf(reserve.id)).toBe('SELECTED');

    const corrected = await database.prisma.decision.findUniqueOrThrow({ where: { applicationId: selected.id } });
    expect(corrected).toMatchObject({ outcome: 'REJECTED', changeReason: reason });
    expect(corrected.changedAt).toBeInstanceOf(Date);
    const audit = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { entityId: String(selected.id), action: 'decision.changed' } });
    expect(audit.details).toMatchObject({ from: 'SELECTED', to: 'REJECTED', reason });
    const history = await database.prisma.applicationStatusChange.findFirstOrThrow({ where: { applicationId: reserve.id, fromStatus: 'RESERVE', toStatus: 'SELECTED' } });
    expect(history.comment).toBe('Место освободилось');

    // After publishing: final, with a clear message, and no correction form.
    await database.prisma.cohort.update({ where: { id: cohort.id }, data: { resultsPublishedAt: new Date() } });
    try {
      const refused = await postForm(agents.chair, decisionUrl(reserve.id), { outcome: 'RESERVE', changeReason: 'Передумали' });
      expect(refused.status).toBe(303);
      const after = await agents.chair.get(`/committee/applications/${reserve.id}`).expect(200);
      expect(after.text).toContain('Результаты уже опубликованы — решение больше нельзя изменить.');
      expect(after.text).not.toContain('name="changeReason"');
      expect(await statusOf(reserve.id)).toBe('SELECTED');
    } finally {
      await database.prisma.cohort.update({ where: { id: cohort.id }, data: { resultsPublishedAt: null } });
    }
  });
});

describe('rejecting and a quota override ask first', () => {
  it('shows what a rejection will do, keeps the typed comment, and rejects only when confirmed', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCREENING' });
    const url = `/committee/applications/${application.id}/status`;
    const asked = await postForm(agents.chair, url, { to: 'REJECTED', comment: 'Нет справки о несудимости' });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Отклонить заявку');
    expect(asked.text).toContain('Нет справки о несудимости');
    expect(asked.text).toContain('name="confirmed" value="yes"');
    expect(await statusOf(application.id)).toBe('SCREENING');
    // A member is refused before anything is shown.
    expect((await postForm(agents.member, url, { to: 'REJECTED' })).status).toBe(403);
    await postForm(agents.chair, url, { to: 'REJECTED', comment: 'Нет справки о несудимости', confirmed: 'yes' }).expect(303);
    expect(await statusOf(application.id)).toBe('REJECTED');
  });

  it('asks before a rejection decision and before selecting over the quota', async () => {
    await setQuota(0);
    const over = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCORED' });
    const asked = await postForm(agents.chair, decisionUrl(over.id), { outcome: 'SELECTED', quotaOverride: 'yes', overrideReason: 'Знает казахский' });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('сверх квоты');
    expect(asked.text).toContain('Знает казахский');
    expect(await database.prisma.decision.count({ where: { applicationId: over.id } })).toBe(0);
    await postForm(agents.chair, decisionUrl(over.id), { outcome: 'SELECTED', quotaOverride: 'yes', overrideReason: 'Знает казахский', confirmed: 'yes' }).expect(303);
    expect(await statusOf(over.id)).toBe('SELECTED');

    const rejected = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCORED' });
    expect((await postForm(agents.chair, decisionUrl(rejected.id), { outcome: 'REJECTED' })).status).toBe(200);
    expect(await statusOf(rejected.id)).toBe('SCORED');
    await postForm(agents.chair, decisionUrl(rejected.id), { outcome: 'REJECTED', confirmed: 'yes' }).expect(303);
    expect(await statusOf(rejected.id)).toBe('REJECTED');
    await setQuota(40);
  });
});

describe('decided applications carry no stale texts or forms', () => {
  it('shows the decision and no scoring, check, interview or move forms', async () => {
    await setQuota(5);
    const selected = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCORED' });
    await postForm(agents.chair, decisionUrl(selected.id), { outcome: 'SELECTED' }).expect(303);
    const screened = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCREENING' });
    await postForm(agents.chair, `/committee/applications/${screened.id}/status`, { to: 'REJECTED', confirmed: 'yes' }).expect(303);

    for (const [role, id] of [['chair', selected.id], ['member', selected.id], ['chair', screened.id], ['member', screened.id]] as const) {
      const page = await agents[role].get(`/committee/applications/${id}`).expect(200);
      expect(page.text, `${role} ${id}`).toContain('id="decision-current"');
      for (const stale of ['Оценивание откроется после собеседования', 'Решение можно принять после оценивания', `/committee/applications/${id}/score"`, `/committee/applications/${id}/status"`, `/committee/applications/${id}/interview"`, '/check"', `/committee/applications/${id}/conflict"`, `/committee/applications/${id}/request-document"`]) {
        expect(page.text, `${role} ${id}: ${stale}`).not.toContain(stale);
      }
    }
    await setQuota(40);
  });
});

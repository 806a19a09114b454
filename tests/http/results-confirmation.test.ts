import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import type { ApplicationStatus } from '../../src/generated/prisma/enums.ts';
import { csrfTokenIn, demoLogins, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

let database: Database;
let portal: TestPortal;
let coordinator: supertest.Agent;
const dayMs = 24 * 3_600_000;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  coordinator = await loginAs(portal.app, 'coordinator');
});
afterAll(async () => {
  await portal.close();
});

describe('publishing the results asks first, counting what it will do', () => {
  let cohortId: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const regions = await database.prisma.region.findMany({ where: { code: { in: ['ASTANA', 'ALMATY'] } } });
    const cohort = await database.prisma.cohort.create({
      data: {
        name: 'Подтверждение 2026', year: 2026, applicationOpensAt: new Date(Date.now() - 90 * dayMs), applicationClosesAt: new Date(Date.now() - 60 * dayMs), resultsAt: new Date(Date.now() - dayMs),
        requiredDocuments: ['ID_CARD'], quotas: { create: regions.map((region) => ({ regionId: region.id, quota: 5 })) },
      },
    });
    cohortId = cohort.id;
    const rows: [string, string, ApplicationStatus, string?][] = [
      ['selected1', 'ASTANA', 'SELECTED'], ['selected2', 'ALMATY', 'SELECTED'], ['selectedExisting', 'ASTANA', 'SELECTED', demoLogins.secondMember],
      ['reserve', 'ASTANA', 'RESERVE'], ['rejected1', 'ALMATY', 'REJECTED'], ['rejected2', 'ASTANA', 'REJECTED'], ['withdrawn', 'ASTANA', 'WITHDRAWN'],
      ['undecidedAstana', 'ASTANA', 'SCORED'], ['undecidedAlmaty', 'ALMATY', 'INTERVIEW'],
    ];
    for (const [key, regionCode, status, email] of rows) {
      const application = await createApplication(database.prisma, { regionCode, status, fullName: `Кандидат ${key}` });
      await database.prisma.application.update({ where: { id: application.id }, data: { cohortId, ...(email ? { email } : {}) } });
      ids[key] = application.id;
    }
  });

  it('lists what blocks publishing per region, with links, and warns about a region without a chair', async () => {
    const page = await coordinator.get(`/admin/cohorts/${cohortId}/results`).expect(200);
    const blockers = page.text.slice(page.text.indexOf('id="publishing-blockers"'));
    expect(page.text).toContain('id="publishing-blockers"');
    expect(blockers).toContain(`href="/committee/applications/${ids.undecidedAstana}"`);
    expect(blockers).toContain(`href="/committee/applications/${ids.undecidedAlmaty}"`);
    const almaty = blockers.slice(blockers.indexOf('Алматы'));
    expect(almaty).toContain('В регионе нет действующего председателя комиссии');
    const astana = blockers.slice(blockers.indexOf('Астана'), blockers.indexOf('Алматы') > blockers.indexOf('Астана') ? blockers.indexOf('Алматы') : undefined);
    expect(astana).not.toContain('нет действующего председателя');
  });

  it('shows how many e-mails and accounts, sends nothing until confirmed, then publishes', async () => {
    await database.prisma.application.updateMany({ where: { id: { in: [ids.undecidedAstana, ids.undecidedAlmaty] } }, data: { status: 'REJECTED' } });
    const page = await coordinator.get(`/admin/cohorts/${cohortId}/results`).expect(200);
    expect(page.text).not.toContain('id="publishing-blockers"');
    const csrf = csrfTokenIn(page.text);
    const outboxBefore = await database.prisma.outboxEmail.count();

    const asked = await coordinator.post(`/admin/cohorts/${cohortId}/results/publish`).type('form').send({ _csrf: csrf });
    expect(asked.status).toBe(200);
    // 8 result e-mails (3 selected, 1 reserve, 4 rejected) and 2 invitations: the third selected already has an account.
    expect(asked.text).toContain('Будет отправлено 10 писем.');
    expect(asked.text).toContain('отобраны — 3, резерв — 1, отклонены — 4');
    expect(asked.text).toContain('Будет создано 2 учётные записи менторов');
    expect(asked.text).toContain('У 1 отобранного почта уже занята');
    expect(asked.text).toContain('name="confirmed" value="yes"');
    expect((await database.prisma.cohort.findUniqueOrThrow({ where: { id: cohortId } })).resultsPublishedAt).toBeNull();
    expect(await database.prisma.outboxEmail.count()).toBe(outboxBefore);

    const done = await coordinator.post(`/admin/cohorts/${cohortId}/results/publish`).type('form').send({ _csrf: csrfTokenIn(asked.text), confirmed: 'yes' });
    expect(done.status).toBe(303);
    expect((await database.prisma.cohort.findUniqueOrThrow({ where: { id: cohortId } })).resultsPublishedAt).not.toBeNull();
    expect(await database.prisma.outboxEmail.count({ where: { channel: 'EMAIL', createdAt: { gte: new Date(Date.now() - 60_000) }, OR: [{ template: 'results' }, { template: 'mentor-invitation' }], applicationId: { in: Object.values(ids) } } })).toBe(10);
  });
});

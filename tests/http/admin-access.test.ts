/**
 * Who may open and change the coordinator's administration: every route of cohorts, regions, users,
 * memberships, audit log and results, for a visitor, a mentor, a committee member, a chair and the
 * coordinator; and no change without the form's CSRF token.
 */
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { csrfTokenIn, demoLogins, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let ids: { cohort: number; criterion: number; region: number; member: number; astana: number };
let agents: Record<'visitor' | 'mentor' | 'member' | 'chair' | 'coordinator', supertest.Agent>;
let tokens: Record<keyof typeof agents, string>;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100' } });
  database = portal.database;
  const { prisma } = database;
  const cohort = await prisma.cohort.findFirstOrThrow({ include: { rubricCriteria: true } });
  ids = {
    cohort: cohort.id,
    criterion: cohort.rubricCriteria[0].id,
    region: (await prisma.region.findFirstOrThrow({ where: { code: 'AKMOLA' } })).id,
    astana: (await prisma.region.findFirstOrThrow({ where: { code: 'ASTANA' } })).id,
    member: (await prisma.user.findUniqueOrThrow({ where: { email: demoLogins.otherRegionMember } })).id,
  };
  agents = {
    visitor: supertest.agent(portal.app),
    mentor: await loginAs(portal.app, 'mentor'),
    member: await loginAs(portal.app, 'member'),
    chair: await loginAs(portal.app, 'chair'),
    coordinator: await loginAs(portal.app, 'coordinator'),
  };
  // Each client's own valid CSRF token, so a refusal below is about the role and not the token.
  tokens = {
    visitor: csrfTokenIn((await agents.visitor.get('/login')).text),
    mentor: csrfTokenIn((await agents.mentor.get('/mentor')).text),
    member: csrfTokenIn((await agents.member.get('/committee')).text),
    chair: csrfTokenIn((await agents.chair.get('/committee')).text),
    coordinator: csrfTokenIn((await agents.coordinator.get('/admin')).text),
  };
});
afterAll(async () => {
  await portal.close();
});

const pages = () => [
  '/admin',
  '/admin/cohorts',
  '/admin/cohorts/new',
  `/admin/cohorts/${ids.cohort}`,
  `/admin/cohorts/${ids.cohort}/criteria/${ids.criterion}`,
  `/admin/cohorts/${ids.cohort}/results`,
  '/admin/regions',
  '/admin/regions/new',
  `/admin/regions/${ids.region}`,
  '/admin/users',
  '/admin/users/new',
  `/admin/users/${ids.member}`,
  '/admin/audit',
];

const changes = () => [
  '/admin/cohorts',
  `/admin/cohorts/${ids.cohort}`,
  `/admin/cohorts/${ids.cohort}/quotas`,
  `/admin/cohorts/${ids.cohort}/criteria`,
  `/admin/cohorts/${ids.cohort}/criteria/${ids.criterion}`,
  `/admin/cohorts/${ids.cohort}/criteria/${ids.criterion}/delete`,
  `/admin/cohorts/${ids.cohort}/results/publish`,
  '/admin/regions',
  `/admin/regions/${ids.region}`,
  '/admin/users',
  `/admin/users/${ids.member}`,
  `/admin/users/${ids.member}/deactivate`,
  `/admin/users/${ids.member}/reactivate`,
  `/admin/users/${ids.member}/password-link`,
  `/admin/users/${ids.member}/memberships`,
  `/admin/users/${ids.member}/memberships/${ids.region}/chair`,
  `/admin/users/${ids.member}/memberships/${ids.region}/delete`,
];

async function snapshot() {
  const { prisma } = database;
  return {
    // A refused request is itself audited (access.refused); nothing else may be written.
    audit: await prisma.auditLogEntry.count({ where: { action: { not: 'access.refused' } } }),
    emails: await prisma.outboxEmail.count(),
    cohorts: await prisma.cohort.findMany({ orderBy: { id: 'asc' } }),
    regions: await prisma.region.findMany({ orderBy: { id: 'asc' } }),
    users: await prisma.user.findMany({ orderBy: { id: 'asc' }, select: { id: true, fullName: true, role: true, isActive: true } }),
    memberships: await prisma.committeeMembership.count(),
    criteria: await prisma.rubricCriterion.count(),
  };
}

describe('GET of every admin page', () => {
  it('sends a visitor to the login page and back', async () => {
    for (const path of pages()) {
      const response = await agents.visitor.get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.location, path).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it.each(['mentor', 'member', 'chair'] as const)('refuses a %s with 403', async (role) => {
    for (const path of pages()) {
      const response = await agents[role].get(path);
      expect(response.status, `${role} ${path}`).toBe(403);
      expect(response.text).toContain('Нет доступа');
    }
  });

  it('shows every page to the coordinator', async () => {
    for (const path of pages()) {
      const response = await agents.coordinator.get(path);
      expect(response.status, path).toBe(200);
    }
  });

  it('answers 404 for a record that does not exist or a malformed id', async () => {
    for (const path of ['/admin/cohorts/999999', '/admin/cohorts/abc', `/admin/cohorts/${ids.cohort}/criteria/999999`, '/admin/regions/999999', '/admin/users/999999', '/admin/cohorts/999999/results']) {
      expect((await agents.coordinator.get(path)).status, path).toBe(404);
    }
  });
});

describe('POST to every admin change', () => {
  it('sends a visitor with a valid form token to the login page and changes nothing', async () => {
    const before = await snapshot();
    for (const path of changes()) {
      const response = await agents.visitor.post(path).type('form').send({ _csrf: tokens.visitor, name: 'X' });
      expect(response.status, path).toBe(303);
      expect(response.headers.location, path).toMatch(/^\/login\?next=/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it.each(['mentor', 'member', 'chair'] as const)('refuses a %s with 403 and changes nothing', async (role) => {
    const before = await snapshot();
    for (const path of changes()) {
      const response = await agents[role].post(path).type('form').send({ _csrf: tokens[role], name: 'X', regionId: String(ids.astana), isChair: 'yes' });
      expect(response.status, `${role} ${path}`).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses the coordinator without the CSRF token (403, nothing changed)', async () => {
    const before = await snapshot();
    for (const path of changes()) {
      const response = await agents.coordinator.post(path).type('form').send({ name: 'X' });
      expect(response.status, path).toBe(403);
      expect(response.text).toContain('Форма устарела');
    }
    const wrongToken = await agents.coordinator.post(`/admin/users/${ids.member}/deactivate`).type('form').send({ _csrf: 'not-the-token' });
    expect(wrongToken.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('lets the coordinator with the token through (the same request that was refused above)', async () => {
    const response = await agents.coordinator.post(`/admin/users/${ids.member}/deactivate`).type('form').send({ _csrf: tokens.coordinator, confirmed: 'yes' });
    expect(response.status).toBe(303);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: ids.member } })).isActive).toBe(false);
    await agents.coordinator.post(`/admin/users/${ids.member}/reactivate`).type('form').send({ _csrf: tokens.coordinator }).expect(303);
  });
});

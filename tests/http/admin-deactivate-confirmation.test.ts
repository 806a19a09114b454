import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { demoLogins, loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
let coordinator: supertest.Agent;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  coordinator = await loginAs(portal.app, 'coordinator');
});
afterAll(async () => {
  await portal.close();
});

describe('deactivating a user asks first, saying what the person loses', () => {
  it('shows the consequences for a chair, changes nothing, then deactivates when confirmed', async () => {
    const chair = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.chair } });
    const chairAgent = await loginAs(portal.app, 'chair');
    const asked = await postForm(coordinator, `/admin/users/${chair.id}/deactivate`);
    expect(asked.status, asked.text.slice(0, 3000)).toBe(200);
    expect(asked.text).toContain('Войти на портал будет нельзя.');
    expect(asked.text).toContain('Открытые сеансы закончатся');
    expect(asked.text).toContain('Членство в комиссиях сохранится, но доступа не даст: город Астана (председатель).');
    expect(asked.text).toContain('В регионе «город Астана» не останется действующего председателя');
    expect(asked.text).toContain('name="confirmed" value="yes"');
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: chair.id } })).isActive).toBe(true);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'user.deactivated', entityId: String(chair.id) } })).toBe(0);
    await chairAgent.get('/committee').expect(200);

    await postForm(coordinator, `/admin/users/${chair.id}/deactivate`, { confirmed: 'yes' }).expect(303);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: chair.id } })).isActive).toBe(false);
    expect((await chairAgent.get('/committee')).status).toBe(303);
    // The memberships stay, as the page said.
    expect(await database.prisma.committeeMembership.count({ where: { userId: chair.id } })).toBe(1);
    await postForm(coordinator, `/admin/users/${chair.id}/reactivate`).expect(303);
  });
});

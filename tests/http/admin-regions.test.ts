import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

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

const turkistan = (overrides: Record<string, string | undefined> = {}) => ({
  code: 'turkistan',
  nameRu: 'Туркестанская область',
  nameKk: 'Түркістан облысы',
  nameEn: 'Turkistan Region',
  isActive: 'yes',
  sortOrder: '',
  ...overrides,
});

describe('GET /admin/regions', () => {
  it('lists every region with its names in three languages and its state', async () => {
    const page = await coordinator.get('/admin/regions').expect(200);
    expect(page.text).toContain('Западно-Казахстанская область');
    expect(page.text).toContain('Батыс Қазақстан облысы');
    expect(page.text).toContain('West Kazakhstan Region');
    expect(page.text).toContain('участвует');
  });
});

describe('POST /admin/regions', () => {
  it('creates a region at the end of the list, with its code in capitals, and audits it', async () => {
    const response = await postForm(coordinator, '/admin/regions', turkistan());
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/admin/regions');
    const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'TURKISTAN' } });
    expect(region.nameKk).toBe('Түркістан облысы');
    expect(region.isActive).toBe(true);
    expect(region.sortOrder).toBe(6);
    const audit = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { action: 'region.created', entityId: String(region.id) } });
    expect(audit.details).toMatchObject({ code: 'TURKISTAN', nameRu: 'Туркестанская область' });
    expect((await coordinator.get('/admin/regions')).text).toContain('Регион добавлен.');
  });

  it('explains missing names, a bad code and a taken code, keeping the values', async () => {
    const before = await database.prisma.region.count();
    const bad = await postForm(coordinator, '/admin/regions', turkistan({ code: 'Түркістан', nameEn: ' ', sortOrder: 'first' }));
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="code-error"');
    expect(bad.text).toContain('Код: от 2 до 40 латинских заглавных букв');
    expect(bad.text).toContain('id="nameEn-error"');
    expect(bad.text).toContain('id="sortOrder-error"');
    expect(bad.text).toContain('value="Туркестанская область"');

    const taken = await postForm(coordinator, '/admin/regions', turkistan({ code: 'ASTANA' }));
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('Регион с таким кодом уже есть.');
    expect(await database.prisma.region.count()).toBe(before);
  });
});

describe('POST /admin/regions/:id', () => {
  it('renames and deactivates a region, recording what changed; an inactive region is not offered for committees', async () => {
    const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'MANGYSTAU' } });
    const form = await coordinator.get(`/admin/regions/${region.id}`).expect(200);
    expect(form.text).toContain('value="Маңғыстау облысы"');
    expect(form.text).toMatch(/name="isActive" value="yes"[^>]*checked/);

    // An unticked checkbox sends nothing.
    const response = await postForm(coordinator, `/admin/regions/${region.id}`, { code: 'MANGYSTAU', nameRu: 'Мангистауская обл.', nameKk: 'Маңғыстау облысы', nameEn: 'Mangystau Region', sortOrder: '3' });
    expect(response.status).toBe(303);
    const updated = await database.prisma.region.findUniqueOrThrow({ where: { id: region.id } });
    expect(updated.isActive).toBe(false);
    expect(updated.nameRu).toBe('Мангистауская обл.');
    const audit = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { action: 'region.updated', entityId: String(region.id) } });
    expect(audit.details).toEqual({ changes: { nameRu: { from: 'Мангистауская область', to: 'Мангистауская обл.' }, isActive: { from: true, to: false } } });

    const invite = await coordinator.get('/admin/users/new').expect(200);
    expect(invite.text).not.toContain('Мангистауская обл.');
    expect(invite.text).toContain('город Алматы');
  });

  it('refuses to give a region the code of another one', async () => {
    const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ATYRAU' } });
    const response = await postForm(coordinator, `/admin/regions/${region.id}`, { code: 'almaty', nameRu: 'x', nameKk: 'x', nameEn: 'x', isActive: 'yes' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Регион с таким кодом уже есть.');
    expect((await database.prisma.region.findUniqueOrThrow({ where: { id: region.id } })).code).toBe('ATYRAU');
  });
});

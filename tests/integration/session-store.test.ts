import type { SessionData } from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { SqlSessionStore } from '../../src/http/session-store.ts';
import { loadSessionUser } from '../../src/features/auth/auth.service.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { demoLogins } from '../helpers/test-app.ts';

let database: Database;
let store: SqlSessionStore;

beforeAll(async () => {
  database = await createTestDatabase({ seed: 'demo' });
  store = new SqlSessionStore(database.sql, false);
});
afterAll(async () => {
  await database.close();
});

const call = <T>(run: (callback: (error?: unknown, value?: T) => void) => void) =>
  new Promise<T | undefined>((resolve, reject) => run((error, value) => (error ? reject(error as Error) : resolve(value))));
const sessionFor = (expires: Date, extra: Record<string, unknown> = {}) => ({ cookie: { originalMaxAge: 3_600_000, expires, httpOnly: true, path: '/' }, ...extra }) as unknown as SessionData;

describe('the session store (one SQL statement each, on the database\'s own connection)', () => {
  it('keeps, reads, replaces, touches and deletes a session, and never reads an expired one', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000);
    await call((done) => store.set('sid-1', sessionFor(inAnHour, { csrfToken: 'a' }), done));
    expect(await call<SessionData | null>((done) => store.get('sid-1', done))).toMatchObject({ csrfToken: 'a' });
    await call((done) => store.set('sid-1', sessionFor(inAnHour, { csrfToken: 'b' }), done));
    expect(await call<SessionData | null>((done) => store.get('sid-1', done))).toMatchObject({ csrfToken: 'b' });
    const row = await database.prisma.session.findUniqueOrThrow({ where: { sid: 'sid-1' } });
    expect(row.id).toBe('sid-1');
    expect(Math.abs(row.expiresAt.getTime() - inAnHour.getTime())).toBeLessThan(1000);

    // A touch more than five minutes after the last write moves the expiry; one sooner is skipped.
    const fresh = new SqlSessionStore(database.sql, false);
    const tomorrow = new Date(Date.now() + 24 * 3_600_000);
    await call((done) => fresh.touch('sid-1', sessionFor(tomorrow), done));
    expect((await database.prisma.session.findUniqueOrThrow({ where: { sid: 'sid-1' } })).expiresAt.getTime()).toBe(tomorrow.getTime());
    await call((done) => fresh.touch('sid-1', sessionFor(inAnHour), done));
    expect((await database.prisma.session.findUniqueOrThrow({ where: { sid: 'sid-1' } })).expiresAt.getTime()).toBe(tomorrow.getTime());

    await call((done) => store.set('sid-old', sessionFor(new Date(Date.now() - 1000)), done));
    expect(await call((done) => store.get('sid-old', done))).toBeNull();
    await store.pruneExpired();
    expect(await database.prisma.session.count({ where: { sid: 'sid-old' } })).toBe(0);

    await call((done) => store.destroy('sid-1', done));
    expect(await call((done) => store.get('sid-1', done))).toBeNull();
  });

  it('loads the signed-in user with her regions in one statement, the same through Prisma and straight', async () => {
    const chair = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.chair }, include: { memberships: true } });
    const straight = await loadSessionUser(database.sql, chair.id);
    expect(straight).toEqual(await loadSessionUser(database.prisma, chair.id));
    expect(straight).toMatchObject({ id: chair.id, email: chair.email, role: 'COMMITTEE', twoFactorEnabled: false });
    expect(straight!.committeeRegions).toEqual(chair.memberships.map((membership) => ({ regionId: membership.regionId, isChair: membership.isChair })));
    await database.prisma.user.update({ where: { id: chair.id }, data: { isActive: false } });
    expect(await loadSessionUser(database.sql, chair.id)).toBeNull();
    await database.prisma.user.update({ where: { id: chair.id }, data: { isActive: true } });
  });
});

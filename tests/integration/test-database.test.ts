import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { verifyPassword } from '../../src/features/auth/password-hashing.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { argon2ParametersOf, seedTestDemoData } from '../helpers/demo-seed.ts';
import { createTestDatabase, resetDatabase } from '../helpers/test-database.ts';

describe('createTestDatabase', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('gives a migrated, empty database that accepts writes', async () => {
    expect(await database.prisma.region.count()).toBe(0);
    expect(await database.prisma.user.count()).toBe(0);
    const region = await database.prisma.region.create({
      data: { code: 'ALA', nameRu: 'Алматы', nameKk: 'Алматы', nameEn: 'Almaty' },
    });
    expect(region.id).toBe(1);
    expect(await database.prisma.region.count()).toBe(1);
  });

  it('resetDatabase empties the tables and restarts the ids', async () => {
    await resetDatabase(database);
    expect(await database.prisma.region.count()).toBe(0);
    const region = await database.prisma.region.create({
      data: { code: 'AST', nameRu: 'Астана', nameKk: 'Астана', nameEn: 'Astana' },
    });
    expect(region.id).toBe(1);
  });
});

describe("createTestDatabase({ seed: 'demo' })", () => {
  /** The demo's rows that do not depend on the time of day it was written. */
  async function demoContents(database: Database) {
    const { prisma } = database;
    const cohort = await prisma.cohort.findFirstOrThrow({ include: { quotas: { orderBy: { regionId: 'asc' } }, rubricCriteria: { orderBy: { sortOrder: 'asc' } } } });
    return {
      regions: await prisma.region.findMany({ orderBy: { id: 'asc' }, select: { id: true, code: true, nameRu: true, nameKk: true, nameEn: true, sortOrder: true, isActive: true } }),
      users: await prisma.user.findMany({ orderBy: { id: 'asc' }, select: { id: true, email: true, fullName: true, role: true, memberships: { select: { regionId: true, isChair: true } } } }),
      cohort: { id: cohort.id, name: cohort.name, year: cohort.year, documents: cohort.requiredDocuments, quotas: cohort.quotas.map(({ regionId, quota }) => ({ regionId, quota })), rubric: cohort.rubricCriteria.map(({ code, weight }) => ({ code, weight: String(weight) })) },
      groups: await prisma.youthGroup.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, programmeStartMonth: true, mentorId: true, participants: { orderBy: { id: 'asc' }, select: { fullName: true, iin: true, age: true } } } }),
      protocols: await prisma.sessionProtocol.findMany({ orderBy: { id: 'asc' }, select: { groupId: true, month: true, status: true, sessionDate: true, attendance: { orderBy: { participantId: 'asc' }, select: { participantId: true } } } }),
    };
  }

  it('holds the same demo as a fresh seed, its window open now, the accounts hashed cheaply', async () => {
    // One database at a time: on PostgreSQL both are the same database.
    const seeded = await createTestDatabase({ seed: 'demo' });
    let fromSeededDatabase: Awaited<ReturnType<typeof demoContents>>;
    try {
      fromSeededDatabase = await demoContents(seeded);
      const cohort = await seeded.prisma.cohort.findFirstOrThrow();
      expect(cohort.applicationOpensAt.getTime()).toBeLessThan(Date.now());
      expect(cohort.applicationClosesAt.getTime()).toBeGreaterThan(Date.now());
      const mentor = await seeded.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' } });
      expect(argon2ParametersOf(mentor.passwordHash!)).toEqual({ type: 'argon2id', memoryCost: 1024, timeCost: 1, parallelism: 1 });
      expect(await verifyPassword(mentor.passwordHash!, demoPassword)).toBe(true);
    } finally {
      await seeded.close();
    }

    const fresh = await createTestDatabase();
    try {
      expect(await fresh.prisma.user.count()).toBe(0);
      await seedTestDemoData(fresh.prisma);
      const fromFreshSeed = await demoContents(fresh);
      expect(fromFreshSeed.users.map((user) => user.email)).toContain('coordinator@zhas.local');
      expect(fromSeededDatabase).toEqual(fromFreshSeed);
    } finally {
      await fresh.close();
    }
  });
});

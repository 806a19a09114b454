import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
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

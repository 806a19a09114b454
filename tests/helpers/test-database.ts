/**
 * Test databases. Without DATABASE_URL: every test file gets its own in-memory PGlite, loaded from a
 * migrated dump that tests/helpers/global-setup.ts built once. With DATABASE_URL: the global setup
 * deployed the migrations; each file connects to that database and empties it, so files must run one
 * at a time (vitest.config.ts sets maxWorkers: 1 / fileParallelism: false when DATABASE_URL is set).
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { deployMigrations } from '../../src/db/migrations.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated PGlite dump (PGlite mode), null on PostgreSQL. */
    testPgliteDumpPath: string | null;
    /** True once the global setup deployed the migrations to DATABASE_URL (PostgreSQL mode). */
    testPostgresMigrated: boolean;
  }
}

/** Environment fallback for the dump path (set by the global setup, inherited by the workers). */
export const PGLITE_DUMP_ENV = 'ZHAS_TEST_PGLITE_DUMP';

export function testDatabaseUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

/**
 * The tests empty the tables of DATABASE_URL: refuse a database whose name does not say it is for
 * tests, unless ZHAS_TEST_ALLOW_ANY_DATABASE=1.
 */
export function assertDisposableDatabase(databaseUrl: string): void {
  if (process.env.ZHAS_TEST_ALLOW_ANY_DATABASE === '1') return;
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!/test/i.test(name)) {
    throw new Error(
      `Refusing to run tests against database "${name}": the tests delete all its data. ` +
        'Use a database whose name contains "test", or set ZHAS_TEST_ALLOW_ANY_DATABASE=1.',
    );
  }
}

function provided<K extends 'testPgliteDumpPath' | 'testPostgresMigrated'>(key: K) {
  try {
    return inject(key);
  } catch {
    return undefined; // not inside a vitest worker
  }
}

let postgresMigratedHere = false;

/** A freshly migrated, empty database for one test file. Close it in afterAll. */
export async function createTestDatabase(): Promise<Database> {
  const databaseUrl = testDatabaseUrl();
  if (databaseUrl) {
    assertDisposableDatabase(databaseUrl);
    if (!provided('testPostgresMigrated') && !postgresMigratedHere) {
      await deployMigrations({ databaseUrl }); // no global setup ran (e.g. a custom runner)
      postgresMigratedHere = true;
    }
    const database = await openDatabase({ databaseUrl });
    try {
      await resetDatabase(database);
    } catch (error) {
      await database.close();
      throw error;
    }
    return database;
  }

  const dumpPath = provided('testPgliteDumpPath') ?? process.env[PGLITE_DUMP_ENV];
  let pglite: PGlite;
  if (dumpPath) {
    pglite = await PGlite.create({ loadDataDir: new Blob([await readFile(dumpPath)]) });
  } else {
    pglite = await PGlite.create(); // no global setup ran: migrate from scratch (several seconds)
    await deployMigrations({ pglite });
  }
  const database = await openDatabase({ pglite });
  return {
    ...database,
    close: async () => {
      try {
        await database.close();
      } finally {
        if (!pglite.closed) await pglite.close();
      }
    },
  };
}

const tableListCache = new WeakMap<Database, string[]>();

/** Empties every application table (not _prisma_migrations) and restarts the id sequences. */
export async function resetDatabase(database: Database): Promise<void> {
  let tables = tableListCache.get(database);
  if (!tables) {
    const rows = await database.prisma.$queryRaw<{ tablename: string }[]>`
      SELECT tablename FROM pg_catalog.pg_tables
      WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'
      ORDER BY tablename`;
    tables = rows.map((row) => row.tablename);
    tableListCache.set(database, tables);
  }
  if (tables.length === 0) return;
  const list = tables.map((name) => `"${name.replace(/"/g, '""')}"`).join(', ');
  await database.prisma.$executeRawUnsafe(`TRUNCATE TABLE ${list} RESTART IDENTITY CASCADE`);
}

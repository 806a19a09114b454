/**
 * Test databases. Without DATABASE_URL: every test file gets its own in-memory PGlite, loaded from a
 * migrated dump that tests/helpers/global-setup.ts built once (or from the dump of the migrated and
 * demo-seeded database, for `{ seed: 'demo' }`). With DATABASE_URL: the global setup deployed the
 * migrations; each file connects to that database, empties it and seeds it if asked, so files must
 * run one at a time (vitest.config.ts sets maxWorkers: 1 / fileParallelism: false when DATABASE_URL is set).
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { deployMigrations } from '../../src/db/migrations.ts';
import { demoSeedDay, seedTestDemoData } from './demo-seed.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated PGlite dump (PGlite mode), null on PostgreSQL. */
    testPgliteDumpPath: string | null;
    /** True once the global setup deployed the migrations to DATABASE_URL (PostgreSQL mode). */
    testPostgresMigrated: boolean;
    /** The migrated dump with the demo seeded (PGlite mode) and the day it was seeded (demoSeedDay); null on PostgreSQL. */
    testPgliteSeededDump: SeededDump | null;
  }
}

export interface SeededDump {
  path: string;
  seedDay: string;
}

/** Environment fallbacks for the dumps (set by the global setup, inherited by the workers). */
export const PGLITE_DUMP_ENV = 'ZHAS_TEST_PGLITE_DUMP';
export const PGLITE_SEEDED_DUMP_ENV = 'ZHAS_TEST_PGLITE_SEEDED_DUMP';

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

function provided<K extends 'testPgliteDumpPath' | 'testPostgresMigrated' | 'testPgliteSeededDump'>(key: K) {
  try {
    return inject(key);
  } catch {
    return undefined; // not inside a vitest worker
  }
}

function seededDump(): SeededDump | undefined {
  const fromSetup = provided('testPgliteSeededDump');
  if (fromSetup) return fromSetup;
  const fromEnvironment = process.env[PGLITE_SEEDED_DUMP_ENV];
  return fromEnvironment ? (JSON.parse(fromEnvironment) as SeededDump) : undefined;
}

export interface TestDatabaseOptions {
  /** 'demo': holding the demo data of prisma/demo-data.ts (accounts hashed with testPasswordHashing). */
  seed?: 'demo';
}

let postgresMigratedHere = false;

/** A freshly migrated database for one test file, empty or with the demo data. Close it in afterAll. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<Database> {
  const { database, seeded } = await openTestDatabase(options);
  if (options.seed === 'demo' && !seeded) {
    try {
      await seedTestDemoData(database.prisma);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

async function openTestDatabase(options: TestDatabaseOptions): Promise<{ database: Database; seeded: boolean }> {
  if (process.env.VITEST && provided('testPostgresMigrated') === undefined) {
    // A vitest project without the database global setup (unit): its files run in parallel even on
    // PostgreSQL, where they would empty each other's tables.
    throw new Error('This test project has no database: put tests that open one under tests/integration/ or tests/http/.');
  }
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
    return { database, seeded: false };
  }

  // The seeded dump replaces a fresh seed only on the day it was seeded (the demo's dates depend on it).
  const seeded = options.seed === 'demo' ? seededDump() : undefined;
  const useSeeded = seeded !== undefined && seeded.seedDay === demoSeedDay();
  const dumpPath = useSeeded ? seeded.path : (provided('testPgliteDumpPath') ?? process.env[PGLITE_DUMP_ENV]);
  let pglite: PGlite;
  if (dumpPath) {
    pglite = await PGlite.create({ loadDataDir: new Blob([await readFile(dumpPath)]) });
  } else {
    pglite = await PGlite.create(); // no global setup ran: migrate from scratch (several seconds)
    await deployMigrations({ pglite });
  }
  const database = await openDatabase({ pglite });
  return {
    database: {
      ...database,
      close: async () => {
        try {
          await database.close();
        } finally {
          if (!pglite.closed) await pglite.close();
        }
      },
    },
    seeded: useSeeded,
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

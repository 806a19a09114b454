/**
 * Vitest global setup (runs once per project, in the main process, before any test file).
 *
 * - DATABASE_URL set: deploys the migrations to that database once.
 * - Otherwise: builds one migrated in-memory PGlite and saves its dumpDataDir() under tests/.tmp/.
 *   The dump is named after a fingerprint of the migrations, the PGlite version and the migration
 *   module, so later runs (and the other projects of this run) reuse it instead of paying the ~5 s
 *   of initdb + migrations again. Each test file then loads it (createTestDatabase, ~1 s).
 *   Then the same for the migrated database with the demo data (tests/helpers/demo-seed.ts), keyed
 *   also on the seed's source files and the day (the demo's dates depend on it): the files that
 *   need the demo load that dump instead of running the seed (~1.5 s each).
 * - Dumps of other keys are removed once unused for an hour (another run in this working tree, of
 *   other sources, may still be loading its own).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.ts';
import { deployMigrations, migrationsFingerprint } from '../../src/db/migrations.ts';
import { projectRoot } from '../../src/project-root.ts';
import { demoSeedDay, demoSeedSourceFingerprint, seedTestDemoData } from './demo-seed.ts';
import { assertDisposableDatabase, PGLITE_DUMP_ENV, PGLITE_SEEDED_DUMP_ENV, testDatabaseUrl, type SeededDump } from './test-database.ts';

const TMP_DIR = path.join(projectRoot, 'tests', '.tmp');
const DUMP_PREFIX = 'pglite-migrated-';
const SEEDED_DUMP_PREFIX = 'pglite-seeded-';
const UNUSED_DUMP_LIFETIME_MS = 3_600_000;

async function dumpCacheKey(): Promise<string> {
  const pglitePackage = await fs.readFile(path.join(projectRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8');
  const hash = createHash('sha256')
    .update(String(JSON.parse(pglitePackage).version))
    .update('\0')
    .update(await migrationsFingerprint());
  // The migration runner's code: the commands and the engine adapter they run on.
  for (const runnerFile of ['migrations.ts', 'schema-engine.ts']) {
    hash.update('\0').update(await fs.readFile(path.join(projectRoot, 'src', 'db', runnerFile), 'utf8'));
  }
  return hash.digest('hex').slice(0, 16);
}

async function writeDump(pglite: PGlite, dumpPath: string): Promise<void> {
  const dump = await pglite.dumpDataDir('none');
  await fs.mkdir(TMP_DIR, { recursive: true });
  const partial = `${dumpPath}.${randomUUID()}.partial`; // the projects' setups may write at once
  await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await fs.rename(partial, dumpPath); // atomic: a reader never sees half a dump
}

/** True when the dump exists; its time is then set to now, so that it counts as in use. */
async function reuse(dumpPath: string): Promise<boolean> {
  if (!existsSync(dumpPath)) return false;
  const now = new Date();
  await fs.utimes(dumpPath, now, now).catch(() => {});
  return true;
}

async function ensureMigratedPgliteDump(key: string): Promise<string> {
  const dumpPath = path.join(TMP_DIR, `${DUMP_PREFIX}${key}.tar`);
  if (await reuse(dumpPath)) return dumpPath;

  const pglite = await PGlite.create();
  try {
    await deployMigrations({ pglite });
    await writeDump(pglite, dumpPath);
  } finally {
    await pglite.close();
  }
  return dumpPath;
}

/** The migrated dump plus the demo data, written as the tests write it (seedTestDemoData). */
async function ensureSeededPgliteDump(migratedKey: string, migratedDumpPath: string): Promise<SeededDump> {
  const now = new Date();
  const seedDay = demoSeedDay(now);
  const key = createHash('sha256').update(migratedKey).update('\0').update(await demoSeedSourceFingerprint()).update('\0').update(seedDay).digest('hex').slice(0, 16);
  const dumpPath = path.join(TMP_DIR, `${SEEDED_DUMP_PREFIX}${key}.tar`);
  if (await reuse(dumpPath)) return { path: dumpPath, seedDay };

  const pglite = await PGlite.create({ loadDataDir: new Blob([await fs.readFile(migratedDumpPath)]) });
  try {
    const database = await openDatabase({ pglite });
    try {
      await seedTestDemoData(database.prisma, now);
    } finally {
      await database.close(); // Prisma only: the PGlite instance stays open for the dump
    }
    await writeDump(pglite, dumpPath);
  } finally {
    await pglite.close();
  }
  return { path: dumpPath, seedDay };
}

/** Dumps of other sources (or days), and leftovers of interrupted writes, not used for an hour. */
async function removeUnusedDumps(keep: string[]): Promise<void> {
  for (const name of await fs.readdir(TMP_DIR).catch(() => [] as string[])) {
    const file = path.join(TMP_DIR, name);
    if (!name.startsWith('pglite-') || keep.includes(file)) continue;
    const stat = await fs.stat(file).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > UNUSED_DUMP_LIFETIME_MS) await fs.rm(file, { force: true });
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const databaseUrl = testDatabaseUrl();
  if (databaseUrl) {
    assertDisposableDatabase(databaseUrl);
    await deployMigrations({ databaseUrl });
    project.provide('testPostgresMigrated', true);
    project.provide('testPgliteDumpPath', null);
    project.provide('testPgliteSeededDump', null);
    return;
  }
  const key = await dumpCacheKey();
  const dumpPath = await ensureMigratedPgliteDump(key);
  const seededDump = await ensureSeededPgliteDump(key, dumpPath);
  await removeUnusedDumps([dumpPath, seededDump.path]);
  process.env[PGLITE_DUMP_ENV] = dumpPath;
  process.env[PGLITE_SEEDED_DUMP_ENV] = JSON.stringify(seededDump);
  project.provide('testPgliteDumpPath', dumpPath);
  project.provide('testPgliteSeededDump', seededDump);
  project.provide('testPostgresMigrated', false);
}

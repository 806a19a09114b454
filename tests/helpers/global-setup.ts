/**
 * Vitest global setup (runs once per project, in the main process, before any test file).
 *
 * - DATABASE_URL set: deploys the migrations to that database once.
 * - Otherwise: builds one migrated in-memory PGlite and saves its dumpDataDir() under tests/.tmp/.
 *   The dump is named after a fingerprint of the migrations, the PGlite version and the migration
 *   module, so later runs (and the other projects of this run) reuse it instead of paying the ~5 s
 *   of initdb + migrations again. Each test file then loads it (createTestDatabase, ~1 s).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { deployMigrations, migrationsFingerprint } from '../../src/db/migrations.ts';
import { projectRoot } from '../../src/project-root.ts';
import { assertDisposableDatabase, PGLITE_DUMP_ENV, testDatabaseUrl } from './test-database.ts';

const TMP_DIR = path.join(projectRoot, 'tests', '.tmp');
const DUMP_PREFIX = 'pglite-migrated-';

async function dumpCacheKey(): Promise<string> {
  const pglitePackage = await fs.readFile(path.join(projectRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8');
  const migrationModule = await fs.readFile(path.join(projectRoot, 'src', 'db', 'migrations.ts'), 'utf8');
  return createHash('sha256')
    .update(String(JSON.parse(pglitePackage).version))
    .update('\0')
    .update(await migrationsFingerprint())
    .update('\0')
    .update(migrationModule)
    .digest('hex')
    .slice(0, 16);
}

async function ensureMigratedPgliteDump(): Promise<string> {
  const dumpPath = path.join(TMP_DIR, `${DUMP_PREFIX}${await dumpCacheKey()}.tar`);
  if (existsSync(dumpPath)) return dumpPath;

  const pglite = await PGlite.create();
  try {
    await deployMigrations({ pglite });
    const dump = await pglite.dumpDataDir('none');
    await fs.mkdir(TMP_DIR, { recursive: true });
    const partial = `${dumpPath}.${process.pid}.partial`;
    await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await fs.rename(partial, dumpPath); // atomic: a reader never sees half a dump
  } finally {
    await pglite.close();
  }
  // Dumps of older migration histories are of no further use.
  for (const name of await fs.readdir(TMP_DIR)) {
    const file = path.join(TMP_DIR, name);
    if (name.startsWith(DUMP_PREFIX) && file !== dumpPath && name.endsWith('.tar')) await fs.rm(file, { force: true });
  }
  return dumpPath;
}

export default async function setup(project: TestProject): Promise<void> {
  const databaseUrl = testDatabaseUrl();
  if (databaseUrl) {
    assertDisposableDatabase(databaseUrl);
    await deployMigrations({ databaseUrl });
    project.provide('testPostgresMigrated', true);
    project.provide('testPgliteDumpPath', null);
    return;
  }
  const dumpPath = await ensureMigratedPgliteDump();
  process.env[PGLITE_DUMP_ENV] = dumpPath;
  project.provide('testPgliteDumpPath', dumpPath);
  project.provide('testPostgresMigrated', false);
}

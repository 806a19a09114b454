/**
 * The migration runner (src/db/migrations.ts over src/db/schema-engine.ts) on PGlite, or on PostgreSQL
 * when DATABASE_URL is set (each test then uses its own throwaway database test_mig_<random>, dropped
 * afterwards). Several tests guard the fixes for adapter bugs (docs/migrations.md lists which): they
 * fail if an upgrade of @prisma/adapter-pg or pglite-prisma-adapter breaks them.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createEmptyPglite,
  createMigration,
  defaultMigrationsDir,
  defaultSchemaPath,
  deployMigrations,
  diffSchemaAgainstMigrations,
  MigrationError,
  migrationStatus,
  type MigrationTarget,
} from '../../src/db/migrations.ts';
import { projectRoot } from '../../src/project-root.ts';
import { adminQuery, withDatabaseName } from '../helpers/postgres-admin.ts';

const databaseUrl = process.env.DATABASE_URL || undefined;

interface ScratchDatabase {
  target: MigrationTarget;
  query<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
}

/** Runs `body` against a brand-new empty database and removes it afterwards. */
async function withScratchDatabase(body: (database: ScratchDatabase) => Promise<void>): Promise<void> {
  if (!databaseUrl) {
    const pglite: PGlite = await createEmptyPglite();
    try {
      await body({
        target: { pglite },
        query: async <Row,>(sql: string) => (await pglite.query<Row>(sql)).rows,
      });
    } finally {
      await pglite.close();
    }
    return;
  }

  const name = `test_mig_${randomBytes(6).toString('hex')}`;
  const url = withDatabaseName(databaseUrl, name);
  const admin = (sql: string) => adminQuery(databaseUrl, sql);
  await admin(`CREATE DATABASE "${name}"`);
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await body({
      target: { databaseUrl: url },
      query: async <Row,>(sql: string) => (await client.query(sql)).rows as Row[],
    });
  } finally {
    await client.end().catch(() => {});
    await admin(`DROP DATABASE IF EXISTS "${name}"`).catch(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

const temporaryDirs: string[] = [];
afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

async function temporaryDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

/** A copy of prisma/migrations, plus extra migrations { dirName: sql }. */
async function migrationsCopy(extra: Record<string, string> = {}): Promise<string> {
  const dir = await temporaryDir('zhas-migrations-');
  await fs.cp(defaultMigrationsDir, dir, { recursive: true });
  await addMigrations(dir, extra);
  return dir;
}

async function addMigrations(dir: string, extra: Record<string, string>): Promise<void> {
  for (const [name, sql] of Object.entries(extra)) {
    await fs.mkdir(path.join(dir, name));
    await fs.writeFile(path.join(dir, name, 'migration.sql'), sql);
  }
}

/** schema.prisma with one more column on Region (`notes String?`), as a temp file. */
async function editedSchema(): Promise<string> {
  const original = await fs.readFile(defaultSchemaPath, 'utf8');
  const edited = original.replace(/(model Region \{\n)/, '$1  notes     String?\n');
  expect(edited).not.toBe(original);
  const file = path.join(await temporaryDir('zhas-schema-'), 'schema.prisma');
  await fs.writeFile(file, edited);
  return file;
}

async function tableExists(database: ScratchDatabase, table: string): Promise<boolean> {
  const rows = await database.query<{ exists: boolean }>(
    `SELECT to_regclass('"${table}"') IS NOT NULL AS "exists"`,
  );
  return rows[0].exists;
}

let realMigrations: string[];
beforeAll(async () => {
  const entries = await fs.readdir(defaultMigrationsDir, { withFileTypes: true });
  realMigrations = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  expect(realMigrations.length).toBeGreaterThan(0);
});

// Sorts after any real migration.
const EXTRA = '99990101000000';

describe(`migrations on ${databaseUrl ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('a fresh database gets the whole history, recorded in _prisma_migrations', async () => {
    await withScratchDatabase(async (database) => {
      const started = performance.now();
      const { applied } = await deployMigrations(database.target);
      console.info(`deploy of ${applied.length} migration(s) to a fresh database: ${Math.round(performance.now() - started)} ms`);
      expect(applied).toEqual(realMigrations);
      expect(await tableExists(database, 'Region')).toBe(true);
      expect(await tableExists(database, 'AuditLogEntry')).toBe(true);

      const rows = await database.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(rows.map((row) => row.migration_name)).toEqual(realMigrations);
      for (const row of rows) {
        const sql = await fs.readFile(path.join(defaultMigrationsDir, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).not.toBeNull();
      }

      const status = await migrationStatus(database.target);
      expect(status).toMatchObject({ upToDate: true, pending: [], failed: [], hasMigrationsTable: true });
    });
  });

  it('a re-run applies nothing', async () => {
    await withScratchDatabase(async (database) => {
      await deployMigrations(database.target);
      const started = performance.now();
      expect(await deployMigrations(database.target)).toEqual({ applied: [] });
      console.info(`no-op deploy: ${Math.round(performance.now() - started)} ms`);
      const rows = await database.query<{ count: string | number }>('SELECT count(*) AS count FROM _prisma_migrations');
      expect(Number(rows[0].count)).toBe(realMigrations.length);
    });
  });

  it('status lists pending migrations before deploy', async () => {
    await withScratchDatabase(async (database) => {
      const status = await migrationStatus(database.target);
      expect(status.upToDate).toBe(false);
      expect(status.pending).toEqual(realMigrations);
      expect(status.local).toEqual(realMigrations);
    });
  });

  it('applies a later migration with ";" inside string literals and function bodies whole', async () => {
    const migrationsDir = await migrationsCopy();
    await withScratchDatabase(async (database) => {
      expect((await deployMigrations(database.target, { migrationsDir })).applied).toEqual(realMigrations);

      const name = `${EXTRA}_semicolons`;
      await addMigrations(migrationsDir, {
        [name]: [
          'CREATE TABLE "MigrationProbe" ("id" INTEGER PRIMARY KEY, "note" TEXT NOT NULL);',
          `INSERT INTO "MigrationProbe" ("id", "note") VALUES (1, 'first; second; third');`,
          `INSERT INTO "MigrationProbe" ("id", "note") VALUES (2, 'it''s; quoted');`,
          `CREATE FUNCTION "probe_note"() RETURNS TEXT LANGUAGE plpgsql AS $$ BEGIN RETURN 'x;y'; END; $$;`,
          '',
        ].join('\n'),
      });
      // A second migration on an existing database: only the new one runs.
      expect((await deployMigrations(database.target, { migrationsDir })).applied).toEqual([name]);
      expect(await database.query('SELECT "id", "note" FROM "MigrationProbe" ORDER BY "id"')).toEqual([
        { id: 1, note: 'first; second; third' },
        { id: 2, note: "it's; quoted" },
      ]);
      expect(await database.query('SELECT "probe_note"() AS "value"')).toEqual([{ value: 'x;y' }]);
    });
  });

  it('the status-links migration keeps every application\'s link but a withdrawn one\'s', async () => {
    const linksMigration = realMigrations.find((name) => name.endsWith('_status_links'))!;
    const migrationsDir = await migrationsCopy();
    await fs.rm(path.join(migrationsDir, linksMigration), { recursive: true });
    await withScratchDatabase(async (database) => {
      await deployMigrations(database.target, { migrationsDir });
      await database.query(`INSERT INTO "Region" ("code", "nameRu", "nameKk", "nameEn") VALUES ('ASTANA', 'Астана', 'Астана', 'Astana')`);
      await database.query(`INSERT INTO "Cohort" ("name", "year", "applicationOpensAt", "applicationClosesAt", "resultsAt", "updatedAt") VALUES ('2026', 2026, now(), now(), now(), now())`);
      for (const [number, iin, status, hash] of [['ZM-2026-00001', '000000000001', 'SUBMITTED', 'a'.repeat(64)], ['ZM-2026-00002', '000000000002', 'WITHDRAWN', 'b'.repeat(64)]]) {
        await database.query(`INSERT INTO "Application" ("number", "cohortId", "regionId", "status", "fullName", "birthDate", "iin", "phone", "email", "residenceMonths",
          "occupation", "organisation", "education", "experienceYears", "experienceDescription", "vulnerableYouthWork", "availableForTrips", "languages", "motivation",
          "declaresNotYouthGroupMember", "declaresNotHostOrgHeadOrAccountant", "consentsToDataProcessing", "consentedAt", "statusTokenHash", "statusTokenExpiresAt", "updatedAt")
          VALUES ('${number}', 1, 1, '${status}', 'Test', '1990-01-01', '${iin}', '+77010000000', 'a@example.kz', 12,
          'x', 'x', 'x', 6, 'x', 'x', true, ARRAY['ru'], 'x', true, true, true, now(), '${hash}', now() + interval '1 day', now())`);
      }
      await fs.cp(path.join(defaultMigrationsDir, linksMigration), path.join(migrationsDir, linksMigration), { recursive: true });
      expect((await deployMigrations(database.target, { migrationsDir })).applied).toEqual([linksMigration]);
      expect(await database.query('SELECT "applicationId", "tokenHash", "purpose" FROM "ApplicationStatusLink" ORDER BY "id"')).toEqual([
        { applicationId: 1, tokenHash: 'a'.repeat(64), purpose: 'submitted' },
      ]);
    });
  });

  it('a broken migration applies nothing, is reported, and blocks later deploys', async () => {
    const name = `${EXTRA}_broken`;
    const migrationsDir = await migrationsCopy({
      [name]: [
        'CREATE TABLE "BrokenProbe" ("id" INTEGER PRIMARY KEY);',
        `INSERT INTO "BrokenProbe" ("id") VALUES (1);`,
        'INSERT INTO "NoSuchTable" ("id") VALUES (1);',
        '',
      ].join('\n'),
    });
    await withScratchDatabase(async (database) => {
      const failure = await deployMigrations(database.target, { migrationsDir }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(MigrationError);
      expect((failure as MigrationError).migrationName).toBe(name);
      expect((failure as MigrationError).message).toContain(name);
      expect((failure as MigrationError).message).toMatch(/NoSuchTable/);

      expect(await tableExists(database, 'BrokenProbe')).toBe(false);
      expect(await tableExists(database, 'Region')).toBe(true); // the migrations before it did apply

      const status = await migrationStatus(database.target, { migrationsDir });
      expect(status.failed).toEqual([name]);
      expect(status.upToDate).toBe(false);

      // Like the native CLI: a failed migration must be resolved before anything else is applied (P3009).
      const again = await deployMigrations(database.target, { migrationsDir }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(again).toBeInstanceOf(MigrationError);
      expect((again as MigrationError).code).toBe('P3009');
      expect((again as MigrationError).message).toContain(name);
      expect(await tableExists(database, 'BrokenProbe')).toBe(false);
    });
  });

  it('schema.prisma and prisma/migrations agree (no drift)', async () => {
    await withScratchDatabase(async (database) => {
      const started = performance.now();
      const result = await diffSchemaAgainstMigrations(database.target);
      console.info(`drift check: ${Math.round(performance.now() - started)} ms`);
      expect(result.hasDrift, `missing migration:\n${result.script}`).toBe(false);
    });
  });

  it('detects a schema edit without its migration as drift', async () => {
    const schemaPath = await editedSchema();
    await withScratchDatabase(async (database) => {
      const result = await diffSchemaAgainstMigrations(database.target, { schemaPath });
      expect(result.hasDrift).toBe(true);
      expect(result.script).toMatch(/ALTER TABLE "Region" ADD COLUMN\s+"notes" TEXT/);
    });
  });

  it('createMigration writes the missing migration, which then clears the drift', async () => {
    const schemaPath = await editedSchema();
    const migrationsDir = await migrationsCopy();
    await fs.rm(path.join(migrationsDir, 'migration_lock.toml'));
    await withScratchDatabase(async (database) => {
      const started = performance.now();
      const result = await createMigration(database.target, 'add region notes', { migrationsDir, schemaPath });
      console.info(`createMigration: ${Math.round(performance.now() - started)} ms`);
      expect(result.applied).toEqual(realMigrations); // brought the database up to date first
      expect(result.created).toMatch(/^\d{14}_add_region_notes$/);

      const sql = await fs.readFile(path.join(migrationsDir, result.created!, 'migration.sql'), 'utf8');
      expect(sql).toMatch(/ALTER TABLE "Region" ADD COLUMN\s+"notes" TEXT/);
      expect(await fs.readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8')).toMatch(/provider = "postgresql"/);

      expect(await diffSchemaAgainstMigrations(database.target, { migrationsDir, schemaPath })).toMatchObject({ hasDrift: false });
      expect((await deployMigrations(database.target, { migrationsDir })).applied).toEqual([result.created]);
      expect(await createMigration(database.target, 'nothing_new', { migrationsDir, schemaPath })).toMatchObject({ created: null, applied: [] });
    });
  });

  it('rejects a migration name that is not a plain identifier', async () => {
    await expect(createMigration({ databaseUrl: 'postgresql://127.0.0.1:1/unused' }, '../evil')).rejects.toThrow(/Invalid migration name/);
  });

  it('the CLI deploys from any working directory and exits promptly (no lingering engine timer)', async () => {
    const cwd = await temporaryDir('zhas-cli-cwd-');
    const run = async (env: Record<string, string>) => {
      const child = spawn(
        process.execPath,
        ['--import', pathToFileURL(path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, path.join(projectRoot, 'src', 'db', 'migrate-cli.ts'), 'deploy'],
        { cwd, env: { ...process.env, DATABASE_URL: '', PGLITE_DATA_DIR: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      let lastOutputAt = performance.now();
      child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk), (lastOutputAt = performance.now())));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
      return { exitCode, stdout, stderr, lingeredMs: performance.now() - lastOutputAt };
    };
    const check = (result: Awaited<ReturnType<typeof run>>) => {
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`Applied ${realMigrations.length} migration`);
      expect(result.lingeredMs).toBeLessThan(5_000); // the engine's own timer would hold it ~10 s
    };
    if (!databaseUrl) {
      check(await run({ PGLITE_DATA_DIR: path.join(await temporaryDir('zhas-cli-pglite-'), 'data') }));
      return;
    }
    await withScratchDatabase(async (database) => {
      check(await run({ DATABASE_URL: (database.target as { databaseUrl: string }).databaseUrl }));
      expect(await tableExists(database, 'Region')).toBe(true);
    });
  });

  it('keeps working when the module is evaluated a second time in the same process', async () => {
    // Vitest evaluates the global setup once per project in one process; the wasm glue module is
    // cached process-wide, so the engine instance must be too.
    await deployMigrations({ databaseUrl: 'postgresql://127.0.0.1:1/unused' }).catch(() => {}); // loads the engine
    vi.resetModules();
    const again = await import('../../src/db/migrations.ts');
    await withScratchDatabase(async (database) => {
      expect((await again.deployMigrations(database.target)).applied).toEqual(realMigrations);
    });
  });
});

/**
 * Migration command line (package.json: db:migrate, db:migration, db:status).
 *
 *   tsx src/db/migrate-cli.ts deploy          apply pending migrations
 *   tsx src/db/migrate-cli.ts create <name>   write a migration for schema.prisma changes, then apply it
 *   tsx src/db/migrate-cli.ts status          list pending / failed migrations (exit 1 unless up to date)
 *   tsx src/db/migrate-cli.ts check           exit 1 when schema.prisma has changes without a migration
 *
 * Database: DATABASE_URL (PostgreSQL) if set, else the PGlite directory PGLITE_DATA_DIR
 * (default <project root>/data/pglite). `check` without DATABASE_URL uses an in-memory PGlite.
 */
import 'dotenv/config';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  createEmptyPglite,
  createMigration,
  deployMigrations,
  diffSchemaAgainstMigrations,
  MigrationError,
  migrationStatus,
  type MigrationTarget,
} from './migrations.ts';
import { projectRoot } from '../project-root.ts';

const USAGE = 'Usage: tsx src/db/migrate-cli.ts deploy | create <name> | status | check';

interface OpenTarget {
  target: MigrationTarget;
  description: string;
  close(): Promise<void>;
}

function envValue(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

async function openTarget(options: { inMemoryPglite?: boolean } = {}): Promise<OpenTarget> {
  const databaseUrl = envValue('DATABASE_URL');
  if (databaseUrl) {
    return { target: { databaseUrl }, description: `PostgreSQL ${redactUrl(databaseUrl)}`, close: async () => {} };
  }
  if (options.inMemoryPglite) {
    const pglite = await createEmptyPglite(); // its dump then also serves the shadow database
    return { target: { pglite }, description: 'an in-memory PGlite', close: () => pglite.close() };
  }
  const dataDir = path.resolve(envValue('PGLITE_DATA_DIR') ?? path.join(projectRoot, 'data', 'pglite'));
  await fs.mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  return { target: { pglite }, description: `PGlite ${path.relative(process.cwd(), dataDir) || dataDir}`, close: () => pglite.close() };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'create' && rest.length !== 1) {
    console.error('Usage: tsx src/db/migrate-cli.ts create <name>   (e.g. npm run db:migration -- add_region_notes)');
    return 2;
  }
  if (!command || !['deploy', 'create', 'status', 'check'].includes(command) || (command !== 'create' && rest.length > 0)) {
    console.error(USAGE);
    return 2;
  }

  const opened = await openTarget({ inMemoryPglite: command === 'check' });
  try {
    switch (command) {
      case 'deploy': {
        const { applied } = await deployMigrations(opened.target);
        if (applied.length === 0) console.log(`No pending migrations: ${opened.description} is up to date.`);
        else console.log(`Applied ${plural(applied.length, 'migration')} to ${opened.description}:\n${applied.map((name) => `  ${name}`).join('\n')}`);
        return 0;
      }
      case 'create': {
        const { created, applied } = await createMigration(opened.target, rest[0]);
        if (applied.length > 0) console.log(`Applied ${plural(applied.length, 'pending migration')} first: ${applied.join(', ')}`);
        if (!created) {
          console.log('schema.prisma has no changes since the last migration: nothing created.');
          return 0;
        }
        console.log(`Created prisma/migrations/${created}/migration.sql`);
        const deployed = await deployMigrations(opened.target);
        console.log(`Applied it to ${opened.description} (${deployed.applied.join(', ') || 'nothing to apply'}).`);
        return 0;
      }
      case 'status': {
        const status = await migrationStatus(opened.target);
        console.log(`${plural(status.local.length, 'migration')} in prisma/migrations; database: ${opened.description}`);
        const report = (label: string, names: string[]) => {
          if (names.length > 0) console.log(`${label}:\n${names.map((name) => `  ${name}`).join('\n')}`);
        };
        report('Not yet applied', status.pending);
        report('Failed (fix the database, then mark it rolled back or resolved)', status.failed);
        report('Modified after being applied', status.edited);
        report('Applied to the database but missing in prisma/migrations', status.missingLocally);
        console.log(status.upToDate ? 'Database schema is up to date.' : 'Database is NOT up to date.');
        return status.upToDate ? 0 : 1;
      }
      case 'check': {
        const { hasDrift, script } = await diffSchemaAgainstMigrations(opened.target);
        if (!hasDrift) {
          console.log('schema.prisma and prisma/migrations agree.');
          return 0;
        }
        console.error('schema.prisma has changes without a migration. Create one with `npm run db:migration -- <name>`.');
        console.error('Missing SQL:\n' + script);
        return 1;
      }
    }
    return 2;
  } finally {
    await opened.close();
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof MigrationError) {
    console.error(`Migration failed${error.code ? ` (${error.code})` : ''}: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
// No process.exit(): every pool, PGlite and engine timer is released, so the process ends by itself
// (tests/integration/migrations.test.ts checks it does so promptly; a leak would show there).

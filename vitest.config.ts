import { defineConfig } from 'vitest/config';

// With DATABASE_URL every test file shares one PostgreSQL database (each file empties it first), so
// the files of database-using projects (http, integration) must run one at a time. A project with
// maxWorkers: 1 (and the default groupOrder 0) goes into vitest's single "sequential" group: even
// `--project unit --project http --project integration` then runs one file at a time across them.
// Without DATABASE_URL each file has its own in-memory PGlite and files run in parallel.
// unit: pure rules and rendering, no database. integration: modules against a real database
// (migrations, jobs, races), slow on a busy 2-core machine, hence the long timeouts.
// unit and http run without isolation: the files of one worker share loaded modules (the app,
// Prisma's and PGlite's wasm) instead of loading them again per file, which halves the CPU time.
// So a file there must leave no global change behind (vi.mock, fake timers, process.env, open
// servers): put such a test under tests/integration/, which keeps one fresh module graph per file.
const shareModulesBetweenFiles = { isolate: false };
const onPostgres = Boolean(process.env.DATABASE_URL);
const databaseParallelism = onPostgres ? { fileParallelism: false, maxWorkers: 1 } : {};
const globalSetup = ['tests/helpers/global-setup.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          ...shareModulesBetweenFiles,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup,
          // PGlite is slow on 2 cores (a fresh instance: ~4-5 s; a migrated dump: ~1 s); the migration
          // tests replay the history several times (and spawn the CLI): 30 s was hit under load.
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // s3rver (the local S3 server of the document store tests) encrypts the continuation token of a
          // long object listing with DES, which OpenSSL 3 keeps in its legacy provider.
          execArgv: ['--openssl-legacy-provider'],
          ...databaseParallelism,
        },
      },
      {
        test: {
          name: 'http',
          include: ['tests/http/**/*.test.ts'],
          environment: 'node',
          globalSetup,
          ...shareModulesBetweenFiles,
          // PGlite is slow on 2 cores (a migrated dump loads in ~1 s).
          testTimeout: 30_000,
          hookTimeout: 60_000,
          ...databaseParallelism,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup,
          pool: 'forks',
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';

// With DATABASE_URL every test file shares one PostgreSQL database (each file empties it first), so
// the files of database-using projects must run one at a time. A project with maxWorkers: 1 (and the
// default groupOrder 0) goes into vitest's single "sequential" group: even `--project unit --project
// http` then runs one file at a time across both projects. Without DATABASE_URL each file has its own
// in-memory PGlite and files run in parallel.
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
          globalSetup,
          // PGlite is slow on 2 cores (a fresh instance: ~4-5 s; a migrated dump: ~1 s).
          testTimeout: 30_000,
          hookTimeout: 60_000,
          ...databaseParallelism,
        },
      },
      {
        test: {
          name: 'http',
          include: ['tests/http/**/*.test.ts'],
          environment: 'node',
          globalSetup,
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

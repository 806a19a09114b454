/**
 * The benchmark's PostgreSQL database: BENCH_DATABASE_URL, or a throwaway database created on the
 * local server and dropped at the end. Migrations are the project's own (deployMigrations).
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { deployMigrations } from '../src/db/migrations.ts';

export interface BenchDatabase {
  url: string;
  name: string;
  /** True when the benchmark created it (and so drops it). */
  throwaway: boolean;
  drop(): Promise<void>;
}

/** Starts the local cluster if it is down (`pg_ctlcluster 15 main start`); harmless when it runs. */
async function ensureServerUp(adminUrl: string): Promise<void> {
  try {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.end();
    return;
  } catch (error) {
    console.log(`PostgreSQL is not answering (${(error as Error).message}); trying pg_ctlcluster 15 main start`);
  }
  try {
    execFileSync('pg_ctlcluster', ['15', 'main', 'start'], { stdio: 'inherit' });
  } catch {
    throw new Error('PostgreSQL is not running and could not be started: start it, or set BENCH_DATABASE_URL');
  }
}

export async function openBenchDatabase(options: { databaseUrl?: string; adminUrl: string }): Promise<BenchDatabase> {
  if (options.databaseUrl) {
    const url = options.databaseUrl;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'Region'`);
    if (Number(rows[0].n) > 0) {
      const regions = await client.query<{ n: string }>('SELECT count(*) AS n FROM "Region"');
      if (Number(regions.rows[0].n) > 0) {
        await client.end();
        throw new Error('BENCH_DATABASE_URL must point to an empty database (the benchmark writes its own data set)');
      }
    }
    await client.end();
    await deployMigrations({ databaseUrl: url });
    return { url, name: new URL(url).pathname.slice(1), throwaway: false, drop: async () => {} };
  }

  await ensureServerUp(options.adminUrl);
  const name = `zhas_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: options.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(options.adminUrl);
  url.pathname = `/${name}`;
  const database: BenchDatabase = {
    url: url.toString(),
    name,
    throwaway: true,
    drop: once(async () => {
      const client = new pg.Client({ connectionString: options.adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    }),
  };
  try {
    await deployMigrations({ databaseUrl: database.url });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return database;
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}

/**
 * The Prisma client over PostgreSQL (DATABASE_URL, via @prisma/adapter-pg) or embedded PGlite
 * (a data directory, in memory, or an instance the caller already opened).
 */
import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';

/**
 * One SQL statement with $1… parameters, past Prisma's query engine: for the few statements every
 * request runs (its session, its user), where Prisma's own work costs several times the database's.
 * On PostgreSQL it runs on the pool Prisma uses; on PGlite through Prisma (PGlite has one connection,
 * and a statement beside an open transaction would run inside it).
 */
export type SqlQuery = <Row = Record<string, unknown>>(text: string, values: unknown[]) => Promise<Row[]>;

export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgres';
  sql: SqlQuery;
  /** Disconnects Prisma and closes the PGlite instance if openDatabase opened it. Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgresql://… — takes precedence over the PGlite options. */
  databaseUrl?: string;
  /** PGlite data directory (created if missing); in memory when absent. */
  pgliteDataDir?: string;
  /** An already open PGlite instance; the caller keeps ownership (close() leaves it open). */
  pglite?: PGlite;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl });
    // An idle connection that breaks (PostgreSQL restarted) is dropped and replaced on the next query;
    // without a listener its error would end the process.
    pool.on('error', () => undefined);
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    const sql: SqlQuery = async <Row,>(text: string, values: unknown[]) => (await pool.query(text, values)).rows as Row[];
    return {
      prisma,
      kind: 'postgres',
      sql,
      close: once(async () => {
        try {
          await prisma.$disconnect();
        } finally {
          if (!pool.ended) await pool.end();
        }
      }),
    };
  }

  let ownedPglite: PGlite | undefined;
  let pglite = options.pglite;
  if (!pglite) {
    if (options.pgliteDataDir) {
      await fs.mkdir(options.pgliteDataDir, { recursive: true });
      ownedPglite = await PGlite.create(options.pgliteDataDir);
    } else {
      ownedPglite = await PGlite.create();
    }
    pglite = ownedPglite;
  }
  // PGlite has one connection: inside an interactive $transaction use its `tx`, never `prisma`.
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const sql = sqlThroughPrisma(prisma);
  return {
    prisma,
    kind: 'pglite',
    sql,
    close: once(async () => {
      try {
        await prisma.$disconnect();
      } finally {
        if (ownedPglite && !ownedPglite.closed) await ownedPglite.close();
      }
    }),
  };
}

/** SQL through Prisma's raw query path: one statement, inside whatever transaction `prisma` is. */
export function sqlThroughPrisma(prisma: Pick<PrismaClient, '$queryRawUnsafe'>): SqlQuery {
  return <Row,>(text: string, values: unknown[]) => prisma.$queryRawUnsafe<Row[]>(text, ...values);
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}

/**
 * The Prisma client over PostgreSQL (DATABASE_URL, via @prisma/adapter-pg) or embedded PGlite
 * (a data directory, in memory, or an instance the caller already opened).
 */
import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';

export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgres';
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
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: options.databaseUrl }) });
    return { prisma, kind: 'postgres', close: once(() => prisma.$disconnect()) };
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
  return {
    prisma,
    kind: 'pglite',
    close: once(async () => {
      try {
        await prisma.$disconnect();
      } finally {
        if (ownedPglite && !ownedPglite.closed) await ownedPglite.close();
      }
    }),
  };
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}

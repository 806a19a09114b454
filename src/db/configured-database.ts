import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config.ts';
import type { Logger } from '../lib/logger.ts';
import { openDatabase, type Database } from './database.ts';
import { deployMigrations } from './migrations.ts';

/**
 * The database the configuration asks for, with every pending migration applied: PostgreSQL when
 * DATABASE_URL is set, otherwise the embedded PGlite in its data folder (one instance shared by the
 * migration runner and Prisma, since PGlite has a single connection).
 */
export async function openConfiguredDatabase(config: Config, logger?: Logger): Promise<Database> {
  if (config.databaseUrl) {
    const { applied } = await deployMigrations({ databaseUrl: config.databaseUrl });
    if (applied.length > 0) logger?.info({ applied }, 'migrations applied');
    return openDatabase({ databaseUrl: config.databaseUrl });
  }
  fs.mkdirSync(config.pgliteDataDir, { recursive: true });
  const pglite = await PGlite.create(config.pgliteDataDir);
  try {
    const { applied } = await deployMigrations({ pglite });
    if (applied.length > 0) logger?.info({ applied }, 'migrations applied');
  } catch (error) {
    await pglite.close();
    throw error;
  }
  const database = await openDatabase({ pglite });
  return {
    ...database,
    async close() {
      await database.close();
      if (!pglite.closed) await pglite.close();
    },
  };
}

import pg from 'pg';

/**
 * Runs one statement on its own connection and closes it: for statements that cannot run inside a
 * database they act on, or in a transaction (CREATE DATABASE, DROP DATABASE … WITH (FORCE)).
 */
export async function adminQuery(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `databaseUrl` with another database name (same server, user and options). */
export function withDatabaseName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

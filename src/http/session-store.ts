import session, { type SessionData } from 'express-session';
import type { SqlQuery } from '../db/database.ts';

/** The session cookie's name. */
export const sessionCookieName = 'zhas.sid';

/** How long a session's expiry may lag behind the reader's last click before it is written again. */
const touchIntervalMs = 5 * 60 * 1000;
/** How often expired sessions are deleted. */
const pruneIntervalMs = 10 * 60 * 1000;
/** Expiry of a session whose cookie has none (the portal's cookies always have one). */
const fallbackLifetimeMs = 24 * 3600 * 1000;

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * Sessions in the "Session" table, one SQL statement per read, write, touch or delete (database.sql:
 * on PostgreSQL straight on Prisma's pool; Prisma's query engine cost more than the statement itself
 * on every signed-in page). express-session "touches" a session on every request to push its expiry
 * forward; here a session is touched at most every few minutes (per process), which keeps a 12-hour
 * idle timeout accurate to minutes. Times are passed as UTC ISO strings, as Prisma stores them.
 */
export class SqlSessionStore extends session.Store {
  private readonly lastTouched = new Map<string, number>();
  private readonly pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sql: SqlQuery,
    pruneExpiredSessions: boolean,
  ) {
    super();
    if (pruneExpiredSessions) {
      this.pruneTimer = setInterval(() => void this.pruneExpired().catch(() => undefined), pruneIntervalMs);
      this.pruneTimer.unref();
    }
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.sql<{ data: string }>('SELECT data FROM "Session" WHERE sid = $1 AND "expiresAt" > $2::timestamp', [sid, new Date().toISOString()])
      .then((rows) => (rows.length > 0 ? (JSON.parse(rows[0].data) as SessionData) : null))
      .then(
        (data) => callback(undefined, data),
        (error: unknown) => callback(error),
      );
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    this.lastTouched.set(sid, Date.now());
    this.sql(
      'INSERT INTO "Session" (id, sid, data, "expiresAt") VALUES ($1, $1, $2, $3::timestamp) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, "expiresAt" = EXCLUDED."expiresAt"',
      [sid, JSON.stringify(data), expiryOf(data)],
    ).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  override touch(sid: string, data: SessionData, callback?: Callback): void {
    const now = Date.now();
    const last = this.lastTouched.get(sid);
    if (last !== undefined && now - last < touchIntervalMs) return callback?.();
    if (this.lastTouched.size > 50_000) this.lastTouched.clear();
    this.lastTouched.set(sid, now);
    this.sql('UPDATE "Session" SET "expiresAt" = $2::timestamp WHERE sid = $1', [sid, expiryOf(data)]).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  override destroy(sid: string, callback?: Callback): void {
    this.lastTouched.delete(sid);
    this.sql('DELETE FROM "Session" WHERE sid = $1', [sid]).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  async pruneExpired(): Promise<void> {
    await this.sql('DELETE FROM "Session" WHERE "expiresAt" <= $1::timestamp', [new Date().toISOString()]);
  }

  /** Stops the pruning timer (the app's stop()). */
  stopInterval(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }
}

function expiryOf(data: SessionData): string {
  const expires = data.cookie?.expires;
  return (expires ? new Date(expires) : new Date(Date.now() + fallbackLifetimeMs)).toISOString();
}

export function createSessionStore(sql: SqlQuery, pruneExpiredSessions: boolean): SqlSessionStore {
  return new SqlSessionStore(sql, pruneExpiredSessions);
}

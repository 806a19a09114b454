import { PrismaSessionStore } from '@quixo3/prisma-session-store';
import type { SessionData } from 'express-session';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** The session cookie's name. */
export const sessionCookieName = 'zhas.sid';

/** How long a session's expiry may lag behind the reader's last click before it is written again. */
const touchIntervalMs = 5 * 60 * 1000;

/**
 * Sessions in the database through Prisma. express-session "touches" a session on every request to
 * push its expiry forward, which is a database write per page view; here a session is touched at
 * most every few minutes (per process), which keeps a 12-hour idle timeout accurate to minutes.
 */
export function createSessionStore(prisma: PrismaClient, pruneExpiredSessions: boolean): PrismaSessionStore {
  const store = new PrismaSessionStore(prisma as never, {
    checkPeriod: pruneExpiredSessions ? 10 * 60 * 1000 : undefined,
    dbRecordIdIsSessionId: true,
    logger: false as never,
  });
  const lastTouched = new Map<string, number>();
  const touch = store.touch.bind(store);
  // The library defines touch as a read-only instance property; it is replaced on this one instance.
  (store as { touch: (sid: string, session: SessionData, callback?: (error?: unknown) => void) => Promise<void> }).touch = (sid, session, callback) => {
    const now = Date.now();
    const last = lastTouched.get(sid);
    if (last !== undefined && now - last < touchIntervalMs) {
      callback?.();
      return Promise.resolve();
    }
    if (lastTouched.size > 50_000) lastTouched.clear();
    lastTouched.set(sid, now);
    return touch(sid, session, callback);
  };
  // A save writes the expiry too, so it counts as a touch.
  const set = store.set.bind(store);
  (store as { set: (sid: string, session: SessionData, callback?: (error?: unknown) => void) => Promise<void> }).set = (sid, session, callback) => {
    lastTouched.set(sid, Date.now());
    return set(sid, session, callback);
  };
  return store;
}

// Entry point of `npm run start:production`: WEB_CONCURRENCY portal processes (default 1). Each is a
// whole portal (src/server.ts) sharing only the database. Sessions, the outbox, reminders and digests
// are safe across processes; three things are not yet, so more than one process is opt-in (README,
// "Running in production"): the login and upload rate limits are counted per process, and so are the
// lock that lets one visitor's parallel uploads join her session and the resumable uploads' locks.
// The embedded database belongs to one process, so without DATABASE_URL there is always one.
import 'dotenv/config';
import cluster, { type Worker } from 'node:cluster';

const requested = process.env.WEB_CONCURRENCY?.trim();
const workerCount = !process.env.DATABASE_URL ? 1 : requested ? Number(requested) : 1;
if (!Number.isInteger(workerCount) || workerCount < 1) {
  console.error(`WEB_CONCURRENCY must be a whole number of processes (1 or more), got "${requested}"`);
  process.exit(1);
}

if (workerCount === 1 || cluster.isWorker) {
  await import('./server.ts');
} else {
  let shuttingDown = false;
  let someoneListened = false;
  const startedAt = new Map<Worker, number>();
  const workersLeft = () => Object.keys(cluster.workers ?? {}).length;
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    // The first worker to listen has applied the pending migrations (and the demo seed) alone: the others start then.
    worker.once('listening', () => {
      if (someoneListened) return;
      someoneListened = true;
      for (let index = 1; index < workerCount; index += 1) fork();
    });
    return worker;
  };
  fork();
  let exitCode = 0;
  cluster.on('exit', (worker, code, signal) => {
    const livedMs = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (shuttingDown) {
      // A worker that failed while stopping makes the whole portal's exit a failure.
      if (code) exitCode ||= code;
      if (workersLeft() === 0) process.exit(exitCode);
      return;
    }
    // A worker that fails at start (bad configuration, no database) would fail again: stop with it.
    if (livedMs < 10_000) {
      console.error(`A portal worker stopped ${Math.round(livedMs / 1000)} s after it started (${signal ?? `exit code ${code}`}); stopping.`);
      shuttingDown = true;
      exitCode = code || 1;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      if (workersLeft() === 0) process.exit(exitCode);
      return;
    }
    console.error(`A portal worker stopped (${signal ?? `exit code ${code}`}); starting another.`);
    fork();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      shuttingDown = true;
      // Each worker finishes its requests in flight and closes its database connections (server.ts).
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    });
  }
}

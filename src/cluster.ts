// Entry point of `npm run start:production`: one portal process per core. Each worker is a whole
// portal (src/server.ts) sharing nothing but the database: sessions, the outbox, reminders and rate
// limits that matter live there. WEB_CONCURRENCY sets the number (default: the cores); the embedded
// database belongs to one process, so without DATABASE_URL there is always one.
import 'dotenv/config';
import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';

const requested = process.env.WEB_CONCURRENCY?.trim();
const workerCount = !process.env.DATABASE_URL ? 1 : requested ? Number(requested) : os.availableParallelism();
if (!Number.isInteger(workerCount) || workerCount < 1) {
  console.error(`WEB_CONCURRENCY must be a whole number of processes (1 or more), got "${requested}"`);
  process.exit(1);
}

if (workerCount === 1 || cluster.isWorker) {
  await import('./server.ts');
} else {
  let shuttingDown = false;
  const startedAt = new Map<Worker, number>();
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    return worker;
  };
  // The first worker applies pending migrations (and the demo seed) alone; the others start once it listens.
  fork().once('listening', () => {
    for (let index = 1; index < workerCount; index += 1) fork();
  });
  cluster.on('exit', (worker, code, signal) => {
    const livedMs = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (shuttingDown) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A worker that fails at start (bad configuration, no database) would fail again: stop with it.
    if (livedMs < 10_000) {
      console.error(`A portal worker stopped ${Math.round(livedMs / 1000)} s after it started (${signal ?? `exit code ${code}`}); stopping.`);
      shuttingDown = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = code || 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode);
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

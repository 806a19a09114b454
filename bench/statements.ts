/**
 * SQL statements per request: one request at a time against a portal whose database connection goes
 * through the counting proxy (query-counter.ts); the statements seen between the start of a request
 * and a short pause after its response belong to it. The median over the samples is the figure (the
 * outbox worker polls every 2 s and may land in one sample's window; the median ignores that).
 */
import { difference, type QueryCounter, type StatementCounts } from './query-counter.ts';

export interface Probe {
  name: string;
  label: string;
  /** Sends the i-th request and resolves with its status once the whole response has arrived. */
  send: (index: number) => Promise<number>;
}

export interface StatementMeasurement {
  samples: number;
  median: number;
  min: number;
  max: number;
  /** The kinds of statement in a sample with the median total. */
  breakdown: StatementCounts;
  /** That sample's statements, shortened (which tables, in which order). */
  statements: string[];
  statuses: Record<string, number>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureStatements(counter: QueryCounter, probe: Probe, options: { samples: number; warmup?: number; settleMs?: number }): Promise<StatementMeasurement> {
  const settleMs = options.settleMs ?? 60;
  let index = 0;
  for (let warm = 0; warm < (options.warmup ?? 3); warm += 1) {
    await probe.send(index);
    index += 1;
  }
  await pause(settleMs);
  const perRequest: (StatementCounts & { sql: string[] })[] = [];
  const statuses: Record<string, number> = {};
  for (let sample = 0; sample < options.samples; sample += 1) {
    const before = counter.snapshot();
    const status = await probe.send(index);
    index += 1;
    await pause(settleMs);
    const counts = difference(counter.snapshot(), before);
    const sql = counts.total > 0 ? counter.recent().slice(-counts.total) : [];
    perRequest.push({ ...counts, sql: sql.map((text) => text.replace(/\s+/g, ' ').replace(/"public"\./g, '').slice(0, 160)) });
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  const sorted = [...perRequest].sort((a, b) => a.total - b.total);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  const { sql, ...breakdown } = middle;
  return { samples: options.samples, median: middle.total, min: sorted[0].total, max: sorted[sorted.length - 1].total, breakdown, statements: sql, statuses };
}

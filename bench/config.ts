/** The benchmark's knobs, all from the environment (none of them is needed). */
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/project-root.ts';

function numberFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export interface BenchConfig {
  /** Seconds of each load run (BENCH_SECONDS, default 10). */
  seconds: number;
  /** Seconds of the upload run (BENCH_UPLOAD_SECONDS, default: BENCH_SECONDS). */
  uploadSeconds: number;
  /** Concurrent connections of every run (BENCH_CONNECTIONS, default 20). */
  connections: number;
  /** Sequential requests per page when counting SQL statements (BENCH_QUERY_SAMPLES, default 20). */
  querySamples: number;
  /** Applications in the first (small) data set and in the full one (BENCH_APPLICATIONS_SMALL / BENCH_APPLICATIONS). */
  applicationsSmall: number;
  applications: number;
  /** Youth groups with six months of protocols, small and full. */
  groupsSmall: number;
  groups: number;
  /** An existing empty database to use instead of a throwaway one (BENCH_DATABASE_URL). */
  databaseUrl: string | undefined;
  /** Server URL (any database) used to create and drop the throwaway database. */
  adminUrl: string;
  /** Write a V8 CPU profile of the portal under load (BENCH_CPU_PROF=1) into bench-results/. */
  cpuProfile: boolean;
  resultsDir: string;
}

export function loadBenchConfig(): BenchConfig {
  const seconds = numberFrom('BENCH_SECONDS', 10);
  const applications = Math.round(numberFrom('BENCH_APPLICATIONS', 5000));
  const groups = Math.round(numberFrom('BENCH_GROUPS', 300));
  return {
    seconds,
    uploadSeconds: numberFrom('BENCH_UPLOAD_SECONDS', seconds),
    connections: Math.round(numberFrom('BENCH_CONNECTIONS', 20)),
    querySamples: Math.round(numberFrom('BENCH_QUERY_SAMPLES', 20)),
    applicationsSmall: Math.min(applications, Math.round(numberFrom('BENCH_APPLICATIONS_SMALL', Math.round(applications / 5)))),
    applications,
    groupsSmall: Math.min(groups, Math.round(numberFrom('BENCH_GROUPS_SMALL', Math.round(groups / 5)))),
    groups,
    databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
    adminUrl: process.env.BENCH_ADMIN_DATABASE_URL || 'postgresql://zhas:zhas@127.0.0.1:5432/postgres',
    cpuProfile: ['1', 'true', 'yes'].includes(process.env.BENCH_CPU_PROF ?? ''),
    resultsDir: path.join(projectRoot, 'bench-results'),
  };
}

export function machineDescription() {
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

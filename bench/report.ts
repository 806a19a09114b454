/** The benchmark's result: targets, a Markdown table for stdout and the JSON file. */
import fs from 'node:fs';
import path from 'node:path';
import type { RunResult } from './load.ts';
import type { StatementMeasurement } from './statements.ts';

export interface PageResult {
  run: RunResult;
  /** Throughput as a fraction of the bare Express route's. */
  ratioToExpress: number | null;
  /** Bare Express's server CPU time per request divided by this page's: the ratio on an otherwise idle core. */
  cpuRatioToExpress: number | null;
  statements?: { small: StatementMeasurement; full: StatementMeasurement; grows: boolean };
}

export interface Target {
  target: string;
  actual: string;
  met: boolean;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: Record<string, unknown>;
  settings: Record<string, unknown>;
  database: { name: string; throwaway: boolean; serverVersion: string };
  dataset: {
    generationSeconds: { base: number; small: number; growth: number; total: number };
    small: Record<string, number>;
    full: Record<string, number>;
    scoreAggregatesVerified: number;
  };
  ceilings: { bareNode: RunResult; bareExpress: RunResult };
  /** Each data page's floor, by statement count: bare Express running that many statements through node-postgres. */
  floors: Record<string, RunResult>;
  /** The same pages with one portal process per core. */
  workers: { count: number; pages: Record<string, RunResult> };
  pages: Record<string, PageResult>;
  upload: { peakRssMb: number; rssAfterStartMb: number; rssBeforeMb: number; vmHwmMb: number; bytesPerSubmission: number; files: number };
  statementMethod: string;
  sessionMethod: string;
  cpuProfile?: { file: string; topSelfTime: { name: string; percent: number }[]; byPackage: { name: string; percent: number }[] };
  targets: Target[];
  notes: string[];
}

const percent = (ratio: number | null) => (ratio === null ? '–' : `${Math.round(ratio * 100)}%`);
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

/** A page's server CPU per request as a multiple of another run's (bare Express, or the page's floor). */
function cpuTimes(run: RunResult, base: RunResult | undefined): number | null {
  return run.serverCpuMsPerRequest && base?.serverCpuMsPerRequest ? run.serverCpuMsPerRequest / base.serverCpuMsPerRequest : null;
}
const times = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)}×`);

/** The floor of a page: bare Express plus the page's own number of statements (bare Express when it runs none). */
export function floorOf(report: Pick<BenchReport, 'floors' | 'ceilings'>, page: PageResult): RunResult | undefined {
  const statements = page.statements?.full.median ?? 0;
  return statements > 0 ? report.floors[statements] : report.ceilings.bareExpress;
}

export function evaluateTargets(report: Omit<BenchReport, 'targets'>): Target[] {
  const targets: Target[] = [];
  const express = report.ceilings.bareExpress;
  // The issue's targets: CPU per request as a multiple of bare Express's, measured in the same run.
  const cpuTarget = (key: string, maximum: number) => {
    const page = report.pages[key];
    if (!page) return;
    const multiple = cpuTimes(page.run, express);
    const floor = floorOf(report, page);
    targets.push({
      target: `${page.run.label}: server CPU ≤ ${maximum}× bare Express`,
      actual: `${times(multiple)} (${page.run.serverCpuMsPerRequest} ms; its floor, ${floor?.label ?? '–'}, is ${times(floor ? cpuTimes(floor, express) : null)}; ${times(floor ? cpuTimes(page.run, floor) : null)} its floor)`,
      met: multiple !== null && multiple <= maximum,
    });
  };
  cpuTarget('applyForm', 6);
  cpuTarget('committeeList', 8);
  cpuTarget('applicationPage', 8);
  cpuTarget('mentorHome', 8);
  cpuTarget('protocolSubmit', 20);
  for (const key of ['applyForm', 'committeeList', 'applicationPage', 'mentorHome']) {
    const page = report.pages[key];
    if (page) targets.push({ target: `${page.run.label}: p99 < 100 ms at ${page.run.connections} connections`, actual: `${ms(page.run.latencyMs.p99)} ms`, met: page.run.latencyMs.p99 < 100 });
  }
  const upload = report.pages.upload;
  if (upload) {
    const cpu = upload.run.serverCpuMsPerRequest;
    targets.push({ target: `${upload.run.label}: ≤ 60 ms of server CPU per submission`, actual: cpu === null ? '–' : `${ms(cpu)} ms`, met: cpu !== null && cpu <= 60 });
    targets.push({ target: 'Upload run: zero errors', actual: `${upload.run.errors} of ${upload.run.requests}`, met: upload.run.errors === 0 && upload.run.requests > 0 });
    targets.push({ target: 'Upload run: portal peak RSS < 250 MB', actual: `${Math.round(report.upload.peakRssMb)} MB`, met: report.upload.peakRssMb > 0 && report.upload.peakRssMb < 250 });
  }
  const growing = Object.values(report.pages).filter((page) => page.statements?.grows);
  const measured = Object.values(report.pages).filter((page) => page.statements);
  targets.push({
    target: 'SQL statements per request do not grow with the data',
    actual: growing.length === 0 ? `constant on all ${measured.length} pages` : `grows on: ${growing.map((page) => `${page.run.label} (${page.statements!.small.median} → ${page.statements!.full.median})`).join(', ')}`,
    met: measured.length > 0 && growing.length === 0,
  });
  return targets;
}

export function markdown(report: BenchReport): string {
  const lines: string[] = [];
  const small = report.dataset.small.Application;
  const full = report.dataset.full.Application;
  lines.push(`### Throughput (${report.settings.connections} connections, ${report.settings.seconds} s per run, NODE_ENV=production)`);
  lines.push('');
  lines.push(`| Run | req/s | vs bare Express | p50 ms | p95 ms | p99 ms | errors | server CPU ms/req | vs Express by CPU | SQL/request (${small} → ${full} applications) |`);
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  const row = (run: RunResult, ratio: number | null, cpuRatio: number | null, statements?: PageResult['statements']) => {
    const sql = statements ? `${statements.small.median} → ${statements.full.median}${statements.grows ? ' ✗ grows' : ''}` : '–';
    const cpu = run.serverCpuMsPerRequest === null ? '–' : run.serverCpuMsPerRequest.toFixed(2);
    lines.push(`| ${run.label} | ${run.requestsPerSecond} | ${percent(ratio)} | ${ms(run.latencyMs.p50)} | ${ms(run.latencyMs.p95)} | ${ms(run.latencyMs.p99)} | ${run.errors} of ${run.requests} | ${cpu} | ${percent(cpuRatio)} | ${sql} |`);
  };
  const express = report.ceilings.bareExpress;
  const byCpu = (run: RunResult) => (run.serverCpuMsPerRequest && express.serverCpuMsPerRequest ? express.serverCpuMsPerRequest / run.serverCpuMsPerRequest : null);
  row(report.ceilings.bareNode, express.requestsPerSecond > 0 ? report.ceilings.bareNode.requestsPerSecond / express.requestsPerSecond : null, byCpu(report.ceilings.bareNode));
  row(express, 1, 1);
  for (const floor of Object.values(report.floors)) row(floor, express.requestsPerSecond > 0 ? floor.requestsPerSecond / express.requestsPerSecond : null, byCpu(floor));
  for (const page of Object.values(report.pages)) row(page.run, page.ratioToExpress, page.cpuRatioToExpress, page.statements);
  lines.push('');
  lines.push('### Server CPU per request, against bare Express and against each page\'s own floor');
  lines.push('');
  lines.push('| Page | SQL | CPU ms/req | × bare Express | floor | floor CPU ms/req | × its floor |');
  lines.push('|---|---:|---:|---:|---|---:|---:|');
  for (const page of Object.values(report.pages)) {
    const floor = floorOf(report, page);
    lines.push(`| ${page.run.label} | ${page.statements?.full.median ?? '–'} | ${page.run.serverCpuMsPerRequest ?? '–'} | ${times(cpuTimes(page.run, express))} | ${floor?.label ?? '–'} | ${floor?.serverCpuMsPerRequest ?? '–'} | ${times(floor ? cpuTimes(page.run, floor) : null)} |`);
  }
  lines.push('');
  lines.push('"vs Express by CPU": bare Express\'s server CPU time per request divided by the page\'s (from /proc/<pid>/stat), i.e. the throughput ratio the two would have on an otherwise idle core; it does not depend on what else the machine is doing.');
  lines.push('');
  if (Object.keys(report.workers.pages).length > 0) {
    lines.push(`### Throughput with 1 and with ${report.workers.count} portal processes (WEB_CONCURRENCY, src/cluster.ts)`);
    lines.push('');
    lines.push(`| Page | req/s, 1 process | req/s, ${report.workers.count} processes | gain | p99 ms, ${report.workers.count} processes |`);
    lines.push('|---|---:|---:|---:|---:|');
    for (const [key, run] of Object.entries(report.workers.pages)) {
      const single = report.pages[key]?.run;
      const gain = single && single.requestsPerSecond > 0 ? `${(run.requestsPerSecond / single.requestsPerSecond).toFixed(2)}×` : '–';
      lines.push(`| ${single?.label ?? key} | ${single?.requestsPerSecond ?? '–'} | ${run.requestsPerSecond} | ${gain} | ${ms(run.latencyMs.p99)} |`);
    }
    lines.push('');
    lines.push('The load generator and PostgreSQL run on the same cores, so the gain is below what a machine of its own would give.');
    lines.push('');
  }
  lines.push(`Upload run: ${report.upload.files} files, ${(report.upload.bytesPerSubmission / 1024 / 1024).toFixed(1)} MB per submission; portal RSS ${Math.round(report.upload.rssAfterStartMb)} MB idle after start, ${Math.round(report.upload.rssBeforeMb)} MB before the upload run, peak ${Math.round(report.upload.peakRssMb)} MB during the run (VmHWM since start ${Math.round(report.upload.vmHwmMb)} MB).`);
  lines.push('');
  lines.push('### Targets');
  lines.push('');
  lines.push('| Target | Actual | |');
  lines.push('|---|---|:-:|');
  for (const target of report.targets) lines.push(`| ${target.target} | ${target.actual} | ${target.met ? '✓' : '✗'} |`);
  return lines.join('\n');
}

export function statementTable(report: BenchReport): string {
  const lines = ['| Page | small: median (min–max) | full: median (min–max) | full, by kind: transaction / session store / other |', '|---|---|---|---|'];
  for (const page of Object.values(report.pages)) {
    const statements = page.statements;
    if (!statements) continue;
    const kinds = statements.full.breakdown;
    lines.push(`| ${page.run.label} | ${statements.small.median} (${statements.small.min}–${statements.small.max}) | ${statements.full.median} (${statements.full.min}–${statements.full.max}) | ${kinds.transaction} / ${kinds.session} / ${kinds.other} |`);
  }
  return lines.join('\n');
}

export function writeJson(directory: string, report: BenchReport): string {
  fs.mkdirSync(directory, { recursive: true });
  const file = path.join(directory, 'latest.json');
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

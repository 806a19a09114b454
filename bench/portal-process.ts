/**
 * Child processes of the benchmark: the portal itself (compiled by `npm run build`, started as
 * `npm run start:production` starts it, in production mode), and the two ceilings (a bare Express 5 route and a bare node:http server). Also reads a
 * process's memory from /proc.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/project-root.ts';
import { freePort } from '../tests/helpers/portal-process.ts';

export interface ChildServer {
  name: string;
  pid: number;
  baseUrl: string;
  port: number;
  /** Everything the child wrote, for the error message when it dies. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildServer>();

/** Stops every child still running (on the way out, also after a crash). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

function track(name: string, child: ChildProcess, port: number): ChildServer {
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 20_000) output = output.slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server: ChildServer = {
    name,
    pid: child.pid!,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      running.delete(server);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await exited;
      clearTimeout(killer);
    },
  };
  running.add(server);
  child.once('exit', () => running.delete(server));
  return server;
}

async function waitUntilReady(server: ChildServer, child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${server.name} exited with code ${child.exitCode}:\n${server.output()}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.stop();
  throw new Error(`${server.name} did not answer ${url} within ${timeoutMs / 1000} s:\n${server.output()}`);
}

export interface PortalOptions {
  name: string;
  databaseUrl: string;
  sessionSecret: string;
  uploadDir: string;
  mailDir: string;
  /** Write a V8 CPU profile into this folder when the process exits. */
  cpuProfileDir?: string;
  /** Portal processes (WEB_CONCURRENCY); 1 by default, so that CPU and memory are one process's. */
  workers?: number;
}

/** `npm run build`: the portal compiled into dist/ (once per benchmark run). */
export function buildPortal(): void {
  execFileSync(path.join(projectRoot, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: projectRoot, stdio: 'inherit' });
}

/** The node arguments of `npm run start:production` (V8 flags and the compiled entry point), from package.json. */
function productionNodeArguments(): string[] {
  const scripts = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).scripts as Record<string, string>;
  const [command, ...rest] = scripts['start:production'].trim().split(/\s+/);
  if (command !== 'node') throw new Error(`start:production should run node directly, found "${scripts['start:production']}"`);
  return rest;
}

/** The compiled portal in production mode, as `npm run start:production` runs it, with the rate limits out of the way. */
export async function startPortal(options: PortalOptions): Promise<ChildServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    BASE_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: options.databaseUrl,
    // Set (even empty) so that a developer's .env cannot slip values in: dotenv never overrides.
    PGLITE_DATA_DIR: '',
    SMTP_URL: '',
    DEMO_SEED: 'never',
    SESSION_SECRET: options.sessionSecret,
    LOG_LEVEL: 'warn',
    TRUST_PROXY_HOPS: '0',
    UPLOAD_DIR: options.uploadDir,
    MAIL_DIR: options.mailDir,
    SUBMISSIONS_PER_IP_PER_HOUR: '10000000',
    UPLOADS_PER_IP_PER_HOUR: '10000000',
    LOGIN_RATE_LIMIT_PER_15_MIN: '10000000',
    LOGIN_FAILURES_PER_ACCOUNT_PER_15_MIN: '10000000',
    // The load generator signs in with a password only.
    REQUIRE_TWO_FACTOR_ROLES: 'none',
    // Production requires the documents' master key; the bench's uploads are encrypted like real ones.
    DOCUMENT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    WEB_CONCURRENCY: String(options.workers ?? 1),
  };
  const profiling = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = spawn(process.execPath, [...profiling, ...productionNodeArguments()], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = track(options.name, child, port);
  await waitUntilReady(server, child, `${server.baseUrl}/health`, 90_000);
  return server;
}

/**
 * One of the ceilings: bench/servers/bare-express.ts or bare-node.ts; or a data page's floor,
 * bench/servers/bare-express-sql.ts running `statements` statements through node-postgres per request.
 */
export async function startBareServer(kind: 'express' | 'node' | { statements: number; databaseUrl: string }): Promise<ChildServer> {
  const port = await freePort();
  const file = kind === 'express' ? 'bare-express.ts' : kind === 'node' ? 'bare-node.ts' : 'bare-express-sql.ts';
  const script = path.join(projectRoot, 'bench', 'servers', file);
  const extra = typeof kind === 'object' ? { STATEMENTS: String(kind.statements), DATABASE_URL: kind.databaseUrl } : {};
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = track(typeof kind === 'object' ? `bare express + ${kind.statements} SQL` : `bare ${kind}`, child, port);
  await waitUntilReady(server, child, `${server.baseUrl}/`, 30_000);
  return server;
}

/** Resident memory now and its high-water mark, in MB, from /proc/<pid>/status (null if unreadable). */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak and the samples' range. */
export function sampleMemory(pid: number, everyMs = 100) {
  let peakRssMb = 0;
  let firstRssMb: number | null = null;
  const sample = () => {
    const memory = memoryOf(pid);
    if (!memory) return;
    firstRssMb ??= memory.rssMb;
    peakRssMb = Math.max(peakRssMb, memory.rssMb);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { startRssMb: firstRssMb ?? 0, peakRssMb, hwmMb: memoryOf(pid)?.hwmMb ?? 0 };
    },
  };
}

let clockTicksPerSecond: number | undefined;

/** CPU time (user + system) used so far by a process and its living children (cluster workers), in ms, from /proc; null if unreadable. */
export function cpuTimeMsOf(pid: number): number | null {
  try {
    clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    let ticks = 0;
    for (const id of [pid, ...childrenOf(pid)]) {
      const stat = fs.readFileSync(`/proc/${id}/stat`, 'utf8');
      // The command name (field 2) may contain spaces: count the fields after its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return (ticks * 1000) / clockTicksPerSecond;
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

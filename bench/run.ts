/**
 * `npm run bench`: the portal under load, in production mode, against PostgreSQL with a generated
 * data set. One run:
 *
 *  1. a throwaway database (or BENCH_DATABASE_URL) with the project's migrations;
 *  2. the small data set, bulk-generated (dataset.ts);
 *  3. a portal whose database connection goes through a statement-counting proxy: SQL statements per
 *     request of every page, then the data set grown to full size and the same count again;
 *  4. the ceilings (bare node:http, bare Express 5) and a fresh portal (direct connection) driven by
 *     autocannon and by 20 concurrent uploaders, with the portal's RSS sampled during the uploads;
 *  5. the table on stdout, bench-results/latest.json, and everything cleaned up.
 *
 * Settings: BENCH_SECONDS (10), BENCH_UPLOAD_SECONDS, BENCH_CONNECTIONS (20), BENCH_QUERY_SAMPLES (20),
 * BENCH_APPLICATIONS (5000), BENCH_GROUPS (300), BENCH_DATABASE_URL, BENCH_CPU_PROF=1.
 * Exits non-zero only when the benchmark itself fails, never because a target is missed.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { loadBenchConfig, machineDescription } from './config.ts';
import { openBenchDatabase } from './database.ts';
import { addApplications, addGroups, analyze, benchPassword, createBaseData, datasetCounts, verifyScoreAggregates, type Dataset } from './dataset.ts';
import { errorSummary, makeDocumentFiles, postMultipart, runAutocannon, runUploads, type FormFields, type RequestSpec, type RunResult } from './load.ts';
import { buildPortal, memoryOf, sampleMemory, startBareServer, startPortal, stopAllChildren, type ChildServer } from './portal-process.ts';
import { startQueryCounter } from './query-counter.ts';
import { evaluateTargets, markdown, statementTable, writeJson, type BenchReport, type PageResult } from './report.ts';
import { SessionMaker, type BrowserSession } from './sessions.ts';
import { measureStatements, type Probe, type StatementMeasurement } from './statements.ts';
import { summariseProfile } from './cpu-profile.ts';
import { validFields } from '../tests/helpers/application-form.ts';

const config = loadBenchConfig();
const cleanups: (() => Promise<void> | void)[] = [];
const seconds = (fromMs: number) => Math.round((Date.now() - fromMs) / 100) / 10;
const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

async function cleanUp(): Promise<void> {
  await stopAllChildren().catch((error) => console.error('stopping children:', error));
  while (cleanups.length > 0) {
    const step = cleanups.pop()!;
    try {
      await step();
    } catch (error) {
      console.error('cleanup step failed:', error);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** One request with fetch (redirects not followed), resolving with the status once the body is read. */
async function send(baseUrl: string, spec: RequestSpec): Promise<number> {
  const response = await fetch(`${baseUrl}${spec.path}`, { method: spec.method ?? 'GET', headers: spec.headers, body: spec.body, redirect: 'manual' });
  const body = await response.text();
  if (response.status >= 400) log(`  ${spec.method ?? 'GET'} ${spec.path.slice(0, 80)} → ${response.status}: ${errorSummary(body).slice(0, 200)}`);
  return response.status;
}

/** The distinct statement counts of the data pages (a page without statements has bare Express as its floor). */
function floorStatementCounts(measurements: (StatementMeasurement | undefined)[]): number[] {
  return [...new Set(measurements.map((measurement) => measurement?.median ?? 0).filter((count) => count > 0))].sort((a, b) => a - b);
}

/** Round-robin over a list (a different cookie, page or id for each request). */
function cycle<T>(items: T[]): () => T {
  let index = 0;
  return () => items[index++ % items.length];
}

interface PageDefinition {
  name: string;
  label: string;
  next: () => RequestSpec;
}

interface Sessions {
  committee: BrowserSession[];
  mentor: BrowserSession[];
  protocolMentor: BrowserSession[];
  visitors: BrowserSession[];
}

async function makeSessions(maker: SessionMaker, baseUrl: string, dataset: Dataset, count: number): Promise<Sessions> {
  // Logins of one user one after another (each is found by what is new in the store), users side by side.
  const loginMany = async (email: string) => {
    const sessions: BrowserSession[] = [];
    for (let index = 0; index < count; index += 1) sessions.push(await maker.login(baseUrl, email, benchPassword, '/'));
    return sessions;
  };
  const [committee, mentor, protocolMentor] = await Promise.all([loginMany(dataset.users.committeeMember), loginMany(dataset.users.mentor), loginMany(dataset.users.protocolMentor)]);
  const visitors: BrowserSession[] = [];
  for (let index = 0; index < count; index += 1) visitors.push(await maker.visitorSession(baseUrl, '/apply'));
  return { committee, mentor, protocolMentor, visitors };
}

function definePages(dataset: Dataset, sessions: Sessions, applicationIds: number[], protocolCursor: { next: number }): PageDefinition[] {
  const astana = dataset.regionIds.get('ASTANA')!;
  const committeeCookie = cycle(sessions.committee);
  const mentorCookie = cycle(sessions.mentor);
  const protocolSession = cycle(sessions.protocolMentor);
  const listQuery = cycle(['SCORED', 'SCREENING', 'SUBMITTED'].flatMap((status) => [1, 2].map((page) => `regionId=${astana}&status=${status}&sort=score&page=${page}`)));
  const applicationId = cycle(applicationIds);
  return [
    { name: 'home', label: 'Home page GET /', next: () => ({ path: '/' }) },
    { name: 'applyForm', label: 'Application form GET /apply', next: () => ({ path: '/apply' }) },
    {
      name: 'committeeList',
      label: 'Committee list (filtered, paged, by score)',
      next: () => ({ path: `/committee/applications?${listQuery()}`, headers: { Cookie: committeeCookie().cookie } }),
    },
    {
      name: 'applicationPage',
      label: 'Application page (committee)',
      next: () => ({ path: `/committee/applications/${applicationId()}`, headers: { Cookie: committeeCookie().cookie } }),
    },
    { name: 'mentorHome', label: 'Mentor home GET /mentor', next: () => ({ path: '/mentor', headers: { Cookie: mentorCookie().cookie } }) },
    {
      name: 'protocolSubmit',
      label: 'Protocol submission POST',
      next: () => {
        // A (group, month) that has no protocol yet: each submission creates and locks one.
        const target = dataset.protocolSlots[protocolCursor.next % dataset.protocolSlots.length];
        protocolCursor.next += 1;
        const session = protocolSession();
        const body = new URLSearchParams({
          _csrf: session.csrfToken,
          action: 'submit',
          version: '',
          sessionDate: target.sessionDate,
          format: 'IN_PERSON',
          place: 'Молодёжный центр, ауд. 3',
          durationMinutes: '90',
          issuesRaised: 'Бюджет проекта; распределение ролей; план на месяц.',
          solutions: 'Составлен календарь встреч, назначены ответственные.',
          nextSteps: 'Подготовить отчёт о закупках.',
          notes: '',
        });
        for (const id of target.participantIds) body.append('attendance', String(id));
        return {
          method: 'POST',
          path: `/mentor/groups/${target.groupId}/protocols/${target.month}`,
          headers: { Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: body.toString(),
        };
      },
    },
  ];
}

function uploadFields(dataset: Dataset): () => FormFields {
  const regionIds = [...dataset.regionIds.values()];
  let count = 0;
  return () => {
    count += 1;
    const person = dataset.iins.next(1966, 1995);
    const fields = validFields(regionIds[count % regionIds.length], { iin: person.iin, birthDate: person.birthDate, email: `upload${count}@example.kz` });
    return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
  };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const notes: string[] = [];
  log(`settings: ${config.seconds} s per run, ${config.connections} connections, ${config.applicationsSmall} → ${config.applications} applications, ${config.groupsSmall} → ${config.groups} groups`);

  // 1. Database ---------------------------------------------------------------------------------
  let phase = Date.now();
  const database = await openBenchDatabase({ databaseUrl: config.databaseUrl, adminUrl: config.adminUrl });
  if (database.throwaway) cleanups.push(() => database.drop());
  log(`database ${database.name} (${database.throwaway ? 'throwaway, dropped at the end' : 'BENCH_DATABASE_URL'}), migrations applied in ${seconds(phase)} s`);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  cleanups.push(() => db.end());
  const serverVersion = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;

  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-bench-'));
  cleanups.push(() => fs.rmSync(tempRoot, { recursive: true, force: true }));
  const uploadDir = path.join(tempRoot, 'uploads');
  const mailDir = path.join(tempRoot, 'mail');
  fs.mkdirSync(uploadDir);
  fs.mkdirSync(mailDir);
  const sessionSecret = randomBytes(32).toString('hex');

  // 2. Small data set ---------------------------------------------------------------------------
  phase = Date.now();
  const prismaDatabase = await openDatabase({ databaseUrl: database.url });
  // The protocol run creates one protocol per request: enough open (group, month) pairs for it.
  const protocolSlotsNeeded = 2 * (config.querySamples + 3) + Math.ceil((config.seconds + 2) * 200);
  const dataset = await createBaseData(prismaDatabase.prisma, db, { protocolGroups: Math.ceil(protocolSlotsNeeded / 6) });
  await prismaDatabase.close();
  const baseSeconds = seconds(phase);
  phase = Date.now();
  await addApplications(db, dataset, 1, config.applicationsSmall);
  await addGroups(db, dataset, 1, config.groupsSmall);
  await analyze(db);
  const smallSeconds = seconds(phase);
  const smallCounts = await datasetCounts(db);
  log(`data set (small) generated: base ${baseSeconds} s (demo seed, committees, mentors, ${dataset.protocolSlots.length / 6} empty groups for the protocol run), bulk ${smallSeconds} s: ${JSON.stringify(smallCounts)}`);

  // 3. SQL statements per request, small then full data set -------------------------------------
  phase = Date.now();
  buildPortal();
  log(`portal compiled into dist/ (npm run build) in ${seconds(phase)} s`);
  const dbUrl = new URL(database.url);
  const counter = await startQueryCounter({ host: dbUrl.hostname, port: Number(dbUrl.port || 5432) });
  cleanups.push(() => counter.close());
  const countedUrl = new URL(database.url);
  countedUrl.hostname = '127.0.0.1';
  countedUrl.port = String(counter.port);
  phase = Date.now();
  const countingPortal = await startPortal({ name: 'portal (statement counting)', databaseUrl: countedUrl.toString(), sessionSecret, uploadDir, mailDir });
  log(`portal for the statement count started in ${seconds(phase)} s (pid ${countingPortal.pid}, ${countingPortal.baseUrl})`);

  phase = Date.now();
  const maker = new SessionMaker(db, sessionSecret);
  const sessions = await makeSessions(maker, countingPortal.baseUrl, dataset, config.connections);
  const cookieSources = new Set([...sessions.committee, ...sessions.mentor, ...sessions.protocolMentor, ...sessions.visitors].map((session) => session.cookieSource));
  log(`${config.connections} sessions each for ${dataset.users.committeeMember}, ${dataset.users.mentor}, ${dataset.users.protocolMentor} and visitors in ${seconds(phase)} s (cookie from: ${[...cookieSources].join(', ')})`);

  const astana = dataset.regionIds.get('ASTANA')!;
  const applicationIds = (await db.query<{ id: number }>(`SELECT id FROM "Application" WHERE "regionId" = $1 AND status = 'SCORED' ORDER BY id LIMIT 100`, [astana])).rows.map((row) => row.id);
  const protocolCursor = { next: 0 };
  const pages = definePages(dataset, sessions, applicationIds, protocolCursor);
  const files = makeDocumentFiles();
  const bytesPerSubmission = files.reduce((sum, file) => sum + file.content.length, 0);
  const nextUploadFields = uploadFields(dataset);
  const uploadAgent = new http.Agent({ keepAlive: true });
  cleanups.push(() => uploadAgent.destroy());

  const probesFor = (baseUrl: string): Probe[] => [
    ...pages.map((page) => ({ name: page.name, label: page.label, send: () => send(baseUrl, page.next()) })),
    {
      name: 'upload',
      label: 'Application submission with 8 files',
      send: async () => {
        const visitor = sessions.visitors[0];
        const result = await postMultipart(uploadAgent, `${baseUrl}/apply?_csrf=${encodeURIComponent(visitor.csrfToken)}`, visitor.cookie, nextUploadFields(), files);
        if (result.status !== 303) log(`  upload → ${result.status}: ${errorSummary(result.body)}`);
        return result.status;
      },
    },
  ];
  const measureAll = async (which: string) => {
    const results: Record<string, StatementMeasurement> = {};
    for (const probe of probesFor(countingPortal.baseUrl)) {
      const samples = probe.name === 'upload' ? Math.min(config.querySamples, 5) : config.querySamples;
      results[probe.name] = await measureStatements(counter, probe, { samples, warmup: probe.name === 'upload' ? 1 : 3 });
      log(`  ${which}: ${probe.label}: ${results[probe.name].median} statements/request (min ${results[probe.name].min}, max ${results[probe.name].max}; statuses ${JSON.stringify(results[probe.name].statuses)})`);
    }
    return results;
  };
  phase = Date.now();
  const statementsSmall = await measureAll(`${config.applicationsSmall} applications`);
  log(`statement count (small data set) in ${seconds(phase)} s`);

  phase = Date.now();
  await addApplications(db, dataset, config.applicationsSmall + 1, config.applications);
  await addGroups(db, dataset, config.groupsSmall + 1, config.groups);
  await analyze(db);
  const growthSeconds = seconds(phase);
  const fullCounts = await datasetCounts(db);
  const verified = await verifyScoreAggregates(db);
  log(`data set grown in ${growthSeconds} s: ${JSON.stringify(fullCounts)}; stored score aggregates of ${verified} applications checked against the portal's aggregation`);
  log(`data generation took ${Math.round((baseSeconds + smallSeconds + growthSeconds) * 10) / 10} s in all (base ${baseSeconds} s + small ${smallSeconds} s + growth ${growthSeconds} s)`);

  phase = Date.now();
  const statementsFull = await measureAll(`${config.applications} applications`);
  log(`statement count (full data set) in ${seconds(phase)} s`);
  await countingPortal.stop();
  await counter.close();

  // 4. Load -------------------------------------------------------------------------------------
  const warmupSeconds = Math.min(2, Math.max(1, config.seconds / 5));
  const load = async (name: string, label: string, server: ChildServer, next: () => RequestSpec): Promise<RunResult> => {
    const common = { name, label, baseUrl: server.baseUrl, connections: config.connections, next };
    await runAutocannon({ ...common, seconds: warmupSeconds });
    const result = await runAutocannon({ ...common, seconds: config.seconds, serverPid: server.pid });
    log(`  ${label}: ${result.requestsPerSecond} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, server CPU ${result.serverCpuMsPerRequest} ms/request, errors ${result.errors}${result.firstErrorBody ? ` (first: ${result.firstErrorBody.slice(0, 200)})` : ''}`);
    return result;
  };

  const bareNode = await startBareServer('node');
  const bareNodeRun = await load('bareNode', 'Bare node:http (ceiling)', bareNode, () => ({ path: '/' }));
  await bareNode.stop();
  const bareExpress = await startBareServer('express');
  const bareExpressRun = await load('bareExpress', 'Bare Express 5 route', bareExpress, () => ({ path: '/' }));
  await bareExpress.stop();
  // Each data page's floor: bare Express plus as many statements through node-postgres as the page runs.
  const floors: Record<string, RunResult> = {};
  for (const statements of floorStatementCounts(pages.map((page) => statementsFull[page.name]))) {
    const floor = await startBareServer({ statements, databaseUrl: database.url });
    floors[statements] = await load(`floor${statements}`, `Bare Express + ${statements} SQL (node-postgres)`, floor, () => ({ path: '/' }));
    await floor.stop();
  }

  const profileDir = config.cpuProfile ? path.join(config.resultsDir, 'cpu-profiles', startedAt.toISOString().replace(/[:.]/g, '-')) : undefined;
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  phase = Date.now();
  const portal: ChildServer = await startPortal({ name: 'portal', databaseUrl: database.url, sessionSecret, uploadDir, mailDir, cpuProfileDir: profileDir });
  const rssAfterStart = memoryOf(portal.pid)?.rssMb ?? 0;
  log(`portal started in ${seconds(phase)} s (pid ${portal.pid}, ${portal.baseUrl}, NODE_ENV=production, direct connection, RSS ${Math.round(rssAfterStart)} MB)`);

  const pageResults: Record<string, PageResult> = {};
  const ratio = (run: RunResult) => (bareExpressRun.requestsPerSecond > 0 ? Math.round((run.requestsPerSecond / bareExpressRun.requestsPerSecond) * 1000) / 1000 : null);
  const cpuRatio = (run: RunResult) =>
    run.serverCpuMsPerRequest && bareExpressRun.serverCpuMsPerRequest ? Math.round((bareExpressRun.serverCpuMsPerRequest / run.serverCpuMsPerRequest) * 1000) / 1000 : null;
  const withStatements = (name: string) => {
    const small = statementsSmall[name];
    const full = statementsFull[name];
    return small && full ? { small, full, grows: full.median > small.median } : undefined;
  };
  for (const page of pages) {
    const run = await load(page.name, page.label, portal, page.next);
    if (page.name === 'protocolSubmit' && protocolCursor.next > dataset.protocolSlots.length) {
      run.note = `the pool of ${dataset.protocolSlots.length} open (group, month) pairs ran out after ${dataset.protocolSlots.length} submissions; later ones hit submitted protocols (409)`;
      notes.push(`Protocol run: ${run.note}.`);
    }
    pageResults[page.name] = { run, ratioToExpress: ratio(run), cpuRatioToExpress: cpuRatio(run), statements: withStatements(page.name) };
  }

  // Every core: the same pages' throughput with one portal process per core (src/cluster.ts).
  const workerCount = os.availableParallelism();
  const multiWorker: Record<string, RunResult> = {};
  if (workerCount > 1) {
    const cluster = await startPortal({ name: `portal (${workerCount} workers)`, databaseUrl: database.url, sessionSecret, uploadDir, mailDir, workers: workerCount });
    for (const page of pages.filter((candidate) => ['applyForm', 'committeeList', 'applicationPage', 'mentorHome'].includes(candidate.name))) {
      multiWorker[page.name] = await load(page.name, `${page.label}, ${workerCount} workers`, cluster, page.next);
    }
    await cluster.stop();
  }

  const rssBefore = memoryOf(portal.pid)?.rssMb ?? 0;
  const sampler = sampleMemory(portal.pid, 100);
  const uploadRun = await runUploads({
    name: 'upload',
    label: 'Application submission with 8 files',
    baseUrl: portal.baseUrl,
    sessions: sessions.visitors,
    seconds: config.uploadSeconds,
    serverPid: portal.pid,
    files,
    nextFields: nextUploadFields,
  });
  const memory = sampler.stop();
  log(`  ${uploadRun.label}: ${uploadRun.requestsPerSecond} submissions/s, p50 ${uploadRun.latencyMs.p50} ms, p99 ${uploadRun.latencyMs.p99} ms, server CPU ${uploadRun.serverCpuMsPerRequest} ms/submission, errors ${uploadRun.errors}; RSS ${Math.round(rssBefore)} → peak ${Math.round(memory.peakRssMb)} MB${uploadRun.firstErrorBody ? ` (first error: ${uploadRun.firstErrorBody.slice(0, 200)})` : ''}`);
  pageResults.upload = { run: uploadRun, ratioToExpress: ratio(uploadRun), cpuRatioToExpress: cpuRatio(uploadRun), statements: withStatements('upload') };
  await portal.stop();

  let cpuProfile: BenchReport['cpuProfile'];
  if (profileDir) {
    const file = fs.readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (file) cpuProfile = { file: path.join(profileDir, file), ...summariseProfile(path.join(profileDir, file)) };
    else notes.push('BENCH_CPU_PROF=1 but the portal wrote no profile.');
  }

  // 5. Report -----------------------------------------------------------------------------------
  notes.push(
    `Shared ${os.cpus().length}-core machine: the portal, PostgreSQL, the load generator (this process) and other people's work share the CPUs, so absolute numbers are noisy; the ratios to the bare Express route measured minutes apart are the comparable figures.`,
  );
  notes.push('The home page is requested as a visitor without a session, as most visitors come: the portal serves /, /about and /faq to them from a 10-second in-process cache (src/http/visitor-page-cache.ts), before the session and sign-in middleware; its statement count is taken over 20 requests, most of them cache hits.');
  if (cookieSources.has('session-store')) {
    notes.push('Production cookies are Secure and express-session does not send them over plain http: the benchmark logged in through the real form and rebuilt each session cookie from the session the portal stored (signed with SESSION_SECRET, as express-session signs it).');
  }
  const reportWithoutTargets: Omit<BenchReport, 'targets'> = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machineDescription(),
    settings: { seconds: config.seconds, uploadSeconds: config.uploadSeconds, warmupSeconds, connections: config.connections, querySamples: config.querySamples, nodeEnv: 'production' },
    database: { name: database.name, throwaway: database.throwaway, serverVersion },
    dataset: {
      generationSeconds: { base: baseSeconds, small: smallSeconds, growth: growthSeconds, total: Math.round((baseSeconds + smallSeconds + growthSeconds) * 10) / 10 },
      small: smallCounts,
      full: fullCounts,
      scoreAggregatesVerified: verified,
    },
    ceilings: { bareNode: bareNodeRun, bareExpress: bareExpressRun },
    floors,
    workers: { count: workerCount, pages: multiWorker },
    pages: pageResults,
    upload: { peakRssMb: Math.round(memory.peakRssMb * 10) / 10, rssAfterStartMb: Math.round(rssAfterStart * 10) / 10, rssBeforeMb: Math.round(rssBefore * 10) / 10, vmHwmMb: Math.round(memory.hwmMb * 10) / 10, bytesPerSubmission, files: files.length },
    statementMethod:
      `Exact statement counts: the portal used for counting connected to PostgreSQL through a TCP proxy in the benchmark process that reads the wire protocol (each simple Query and each extended-protocol Execute is one statement; BEGIN/COMMIT included). ` +
      `${config.querySamples} sequential requests per page (5 for uploads) after warm-up; the statements between a request's start and 60 ms after its response count for it; the median is reported (the outbox worker polls every 2 s). ` +
      `Counted with ${config.applicationsSmall} applications / ${config.groupsSmall} groups, then again after growing the data to ${config.applications} / ${config.groups}. ` +
      'That portal is a separate process from the one under load, so the proxy costs the throughput runs nothing. pg_stat_statements is not preloaded on this server (it needs shared_preload_libraries and a restart), and pg_stat_user_tables counts table scans rather than statements and is flushed by PostgreSQL 15 backends up to 10 s late.',
    sessionMethod: [...cookieSources].join(', '),
    cpuProfile,
    notes,
  };
  const report: BenchReport = { ...reportWithoutTargets, targets: evaluateTargets(reportWithoutTargets) };
  const file = writeJson(config.resultsDir, report);

  console.log('\n## Zhas portal benchmark\n');
  console.log(markdown(report));
  console.log('\n### SQL statements per request\n');
  console.log(statementTable(report));
  console.log(`\n${report.statementMethod}\n`);
  if (cpuProfile) {
    console.log(`### CPU profile of the portal under load (${cpuProfile.file}), share of busy time\n`);
    console.log(cpuProfile.byPackage.map((entry) => `- ${entry.name}: ${entry.percent}%`).join('\n'));
    console.log('\nTop functions by self time:\n');
    console.log(cpuProfile.topSelfTime.map((entry) => `- ${entry.percent}% ${entry.name}`).join('\n'));
    console.log('');
  }
  console.log(`Data set: generated in ${report.dataset.generationSeconds.total} s; ${JSON.stringify(fullCounts)}.`);
  for (const note of notes) console.log(`Note: ${note}`);
  console.log(`\nJSON: ${path.relative(process.cwd(), file)}`);
}

try {
  await main();
  await cleanUp();
} catch (error) {
  console.error('\nThe benchmark failed:', error);
  await cleanUp();
  process.exit(1);
}

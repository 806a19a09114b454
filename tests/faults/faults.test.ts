import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { documentsDir, incomingDir } from '../../src/features/documents/document-storage.ts';
import { enqueueEmail } from '../../src/features/mail/outbox.service.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { cookieClient, startPortalProcess, type PortalProcess } from '../helpers/portal-process.ts';
import { adminQuery, withDatabaseName } from '../helpers/postgres-admin.ts';
import { validFields } from '../helpers/application-form.ts';
import { pdfOfSize } from '../helpers/document-fixtures.ts';

// Faults need a real PostgreSQL server (and, for the restart, root with pg_ctlcluster): `.ci/run` provides both.
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('The fault tests need DATABASE_URL pointing at a PostgreSQL server (bash .ci/run sets it).');

const databaseName = `zhas_faults_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const databaseUrl = withDatabaseName(serverUrl, databaseName);
const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-faults-uploads-'));
const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-faults-mail-'));
let database: Database;
const portals: PortalProcess[] = [];

async function start(env: Record<string, string> = {}) {
  const portal = await startPortalProcess({ DATABASE_URL: databaseUrl, UPLOAD_DIR: uploadDir, MAIL_DIR: mailDir, SUBMISSIONS_PER_IP_PER_HOUR: '1000', ...env });
  portals.push(portal);
  return portal;
}

/**
 * fetch, tried again once when the reused keep-alive connection was closed by the server just as it
 * was reused (a race with the server's idle timeout, more likely on a loaded machine), not an answer.
 */
async function fetchAnswer(url: string): Promise<Response> {
  try {
    return await fetch(url);
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
    return fetch(url);
  }
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  await adminQuery(serverUrl, `CREATE DATABASE ${databaseName}`);
  // The first start migrates and seeds; the tests then talk to the same database directly too.
  const first = await start();
  await first.stop();
  database = await openDatabase({ databaseUrl });
});
afterAll(async () => {
  for (const portal of portals) await portal.kill();
  await database?.close();
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).catch(() => undefined);
  fs.rmSync(uploadDir, { recursive: true, force: true });
  fs.rmSync(mailDir, { recursive: true, force: true });
});

async function signIn(portal: PortalProcess, email: string) {
  const client = cookieClient(portal.baseUrl);
  const page = await (await client.request('/login')).text();
  const token = /name="_csrf" value="([^"]+)"/.exec(page)![1];
  const response = await client.request('/login', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, password: demoPassword, _csrf: token }) });
  expect(response.status).toBe(303);
  return client;
}

describe('the portal is killed in the middle of a submission with files', () => {
  it('keeps no half-saved application, and the next start removes the orphan file', async () => {
    const portal = await start({ ORPHAN_FILE_GRACE_MINUTES: '0' });
    const client = cookieClient(portal.baseUrl);
    const form = await (await client.request('/apply')).text();
    const token = decodeURIComponent(/action="\/apply\?_csrf=([^"]+)"/.exec(form)![1]);
    const regionId = (await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } })).id;
    const applicationsBefore = await database.prisma.application.count();
    // Files are received into the incoming folder and reach the documents folder only once checked.
    const staged = () => (fs.existsSync(incomingDir(uploadDir)) ? fs.readdirSync(incomingDir(uploadDir)) : []);
    const filesBefore = new Set(staged());

    // A multipart body sent slowly: the first file is being written when the process dies.
    const boundary = `----zhas${randomUUID()}`;
    const fields = validFields(regionId);
    let head = '';
    for (const [name, value] of Object.entries(fields)) {
      for (const item of ([] as (string | undefined)[]).concat(value)) if (item !== undefined) head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${item}\r\n`;
    }
    head += `--${boundary}\r\nContent-Disposition: form-data; name="ID_CARD"; filename="id.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const request = http.request(`${portal.baseUrl}/apply?_csrf=${encodeURIComponent(token)}`, { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, Cookie: cookie, 'Content-Length': String(10 * 1024 * 1024) } });
    request.on('error', () => undefined);
    request.write(head);
    request.write(pdfOfSize(2 * 1024 * 1024));
    await until(async () => staged().some((name) => !filesBefore.has(name)), 20_000, 'the partial upload on disk');
    await portal.kill();
    request.destroy();

    const partial = staged().filter((name) => !filesBefore.has(name));
    expect(partial.length).toBeGreaterThan(0);
    expect(await database.prisma.application.count()).toBe(applicationsBefore);

    const restarted = await start({ ORPHAN_FILE_GRACE_MINUTES: '0' });
    await until(async () => partial.every((name) => !fs.existsSync(path.join(incomingDir(uploadDir), name))), 20_000, 'the orphan sweep');
    const recorded = new Set((await database.prisma.applicationDocument.findMany({ select: { storedName: true } })).map((row) => row.storedName));
    expect(fs.readdirSync(documentsDir(uploadDir)).every((name) => recorded.has(name))).toBe(true);
    await restarted.stop();
  });
});

describe('two portal instances on one database', () => {
  it('share sessions, and send every outbox e-mail exactly once', async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          received.push(...session.envelope.rcptTo.map((recipient) => recipient.address));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const smtpPort = (smtp.server.address() as { port: number }).port;
    const smtpUrl = `smtp://127.0.0.1:${smtpPort}`;
    const [first, second] = await Promise.all([start({ SMTP_URL: smtpUrl }), start({ SMTP_URL: smtpUrl })]);
    try {
      const member = await signIn(first, 'member.astana@zhas.local');
      const onSecond = cookieClient(second.baseUrl);
      onSecond.useCookiesOf(member.cookies);
      const page = await onSecond.request('/committee');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Динара Оспанова');

      for (let index = 0; index < 12; index += 1) {
        await enqueueEmail(database.prisma, { to: `person${index}@example.kz`, locale: 'ru', template: 'document-requested', data: { fullName: `Человек ${index}`, number: `ZM-FAULT-${index}`, statusUrl: 'https://example.kz/status/x', documentName: 'ID', message: '' } });
      }
      await until(async () => (await database.prisma.outboxEmail.count({ where: { status: { not: 'SENT' } } })) === 0, 60_000, 'all e-mails sent');
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const faultMail = received.filter((address) => /^person\d+@example\.kz$/.test(address));
      expect(faultMail).toHaveLength(12);
      expect(new Set(faultMail).size).toBe(12);
    } finally {
      await first.stop();
      await second.stop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});

describe('PostgreSQL restarts while the portal runs', () => {
  it('answers with a friendly 503 during the outage and recovers by itself', async () => {
    const cluster = execFileSync('pg_lsclusters', ['--no-header']).toString().trim().split('\n')[0].split(/\s+/);
    const [version, name] = cluster;
    const portal = await start();
    try {
      expect((await fetch(`${portal.baseUrl}/`)).status).toBe(200);
      execFileSync('pg_ctlcluster', [version, name, 'stop', '-m', 'fast']);
      try {
        const during = await fetchAnswer(`${portal.baseUrl}/?lang=en`);
        expect(during.status).toBe(503);
        expect(await during.text()).toContain('Temporarily unavailable');
      } finally {
        execFileSync('pg_ctlcluster', [version, name, 'start']);
      }
      await until(async () => (await fetch(`${portal.baseUrl}/`)).status === 200, 30_000, 'the portal to recover');
      expect(portal.child.exitCode).toBeNull();
    } finally {
      await portal.stop();
    }
  });
});

import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createMailTransport } from '../../src/features/mail/mail-transport.ts';
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from '../../src/features/mail/outbox-worker.ts';
import { enqueueEmail, enqueueSms } from '../../src/features/mail/outbox.service.ts';
import { createSmsSender, type SmsSender } from '../../src/features/sms/sms-sender.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

let database: Database;
let mailDir: string;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.prisma.outboxEmail.deleteMany();
  mailDir = await fs.mkdtemp(path.join(os.tmpdir(), 'zhas-sms-'));
  cleanups.push(() => fs.rm(mailDir, { recursive: true, force: true }));
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

type Behaviour = 'ok' | 'http500' | 'errorAnswer' | 'hang' | 'noFunds';

/** A local SMSC.kz-style gateway: answers each request with the next behaviour (then "ok") and keeps what it got. */
async function startGateway(behaviours: Behaviour[] = [], options: { delayMs?: number } = {}) {
  const requests: URLSearchParams[] = [];
  const delivered: URLSearchParams[] = [];
  const queue = [...behaviours];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      requests.push(form);
      const behaviour = queue.shift() ?? 'ok';
      const answer = () => {
        if (behaviour === 'hang') return void hanging.push(response);
        if (behaviour === 'http500') return void response.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error');
        response.writeHead(200, { 'Content-Type': 'application/json' });
        if (behaviour === 'errorAnswer') return void response.end(JSON.stringify({ error: 'duplicate request, wait a minute', error_code: 9 }));
        if (behaviour === 'noFunds') return void response.end(JSON.stringify({ error: 'no money', error_code: 3 }));
        delivered.push(form);
        response.end(JSON.stringify({ id: delivered.length, cnt: 1 }));
      };
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${port}/sys/send.php`, requests, delivered };
}

function gatewaySender(url: string, timeoutMs = 2000): SmsSender {
  return createSmsSender({ smsGatewayUrl: url, smsGatewayLogin: 'zhas', smsGatewayPassword: 'gateway-secret', smsSender: 'Zhas', smsGatewayTimeoutMs: timeoutMs, mailDir });
}

function worker(options: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
  const transport = createMailTransport({ smtpUrl: undefined, mailDir });
  const started = startOutboxWorker({ prisma: database.prisma, transport, logger: createLogger('silent'), from: 'Zhas <no-reply@zhas.local>', autoStart: false, ...options });
  cleanups.push(async () => {
    await started.stop();
    transport.close();
  });
  return started;
}

async function makeDueNow(): Promise<void> {
  await database.prisma.outboxEmail.updateMany({ where: { status: 'PENDING' }, data: { nextAttemptAt: new Date(Date.now() - 60_000) } });
}

const smsText = 'Zhas: заявка ZM-2026-00042 — вы отобраны ментором! Подробности в письме на e-mail.';
const sms = (overrides: { to?: string; text?: string; dedupeKey?: string } = {}) =>
  enqueueSms(database.prisma, { to: overrides.to ?? '+77011234567', locale: 'ru', template: 'results', text: overrides.text ?? smsText, dedupeKey: overrides.dedupeKey });

describe('SMS through the outbox and an HTTP gateway', () => {
  it('retries an HTTP 500, an error answer and a timeout, then sends exactly once', async () => {
    const gateway = await startGateway(['http500', 'errorAnswer', 'hang']);
    const { id } = await sms();
    const row = await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ channel: 'SMS', subject: '', smsParts: 2, toAddress: '+77011234567' });
    const sender = worker({ smsSender: gatewaySender(gateway.url) });

    const expectRetry = async (attempts: number, error: RegExp) => {
      expect(await sender.runOnce()).toBe(0);
      const failed = await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
      expect(failed).toMatchObject({ status: 'PENDING', attempts });
      expect(failed.lastError).toMatch(error);
      expect(failed.lastError).not.toContain('7011234567');
      expect(failed.lastError).not.toContain('gateway-secret');
      expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
      await makeDueNow();
    };
    await expectRetry(1, /ESMSHTTP 500/);
    await expectRetry(2, /ESMSGATEWAY: .*error 9/);
    await expectRetry(3, /ETIMEDOUT/);

    expect(await sender.runOnce()).toBe(1);
    const sent = await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(sent).toMatchObject({ status: 'SENT', attempts: 4 });
    expect(gateway.requests).toHaveLength(4);
    expect(gateway.delivered).toHaveLength(1);
    const form = gateway.delivered[0];
    expect(Object.fromEntries(form)).toEqual({ login: 'zhas', psw: 'gateway-secret', phones: '+77011234567', mes: smsText, charset: 'utf-8', fmt: '3', sender: 'Zhas' });

    // Nothing goes out twice.
    await makeDueNow();
    expect(await sender.runOnce()).toBe(0);
    expect(gateway.requests).toHaveLength(4);
  });

  it('gives up after the last attempt: the SMS is FAILED and waits for a coordinator', async () => {
    const gateway = await startGateway(['http500', 'http500']);
    const { id } = await sms();
    const sender = worker({ smsSender: gatewaySender(gateway.url), maxAttempts: 2 });
    await sender.runOnce();
    await makeDueNow();
    await sender.runOnce();
    expect(await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'FAILED', attempts: 2 });
  });

  it('with two workers claiming at once, every SMS goes out once', async () => {
    const gateway = await startGateway([], { delayMs: 30 });
    for (let index = 0; index < 6; index += 1) await sms({ text: `Zhas: заявка ZM-2026-0004${index}`, dedupeKey: `race:${index}` });
    const first = worker({ smsSender: gatewaySender(gateway.url, 5000), batchSize: 2 });
    const second = worker({ smsSender: gatewaySender(gateway.url, 5000), batchSize: 2 });
    const [a, b] = await Promise.all([first.runOnce(), second.runOnce()]);
    expect(a + b).toBe(6);
    expect(gateway.requests.map((form) => form.get('mes')).sort()).toEqual([0, 1, 2, 3, 4, 5].map((index) => `Zhas: заявка ZM-2026-0004${index}`));
    expect(await database.prisma.outboxEmail.count({ where: { status: 'SENT' } })).toBe(6);
  });

  it('routes e-mails to the mail transport and SMS to the gateway; a gateway that is down does not hold the e-mails back', async () => {
    const gateway = await startGateway(['noFunds']);
    const email = await enqueueEmail(database.prisma, {
      to: 'aigul@example.kz', locale: 'ru', template: 'application-received', contact: null,
      data: { fullName: 'Айгүл', number: 'ZM-2026-00042', statusUrl: 'https://mentors.zhas.kz/status/Zq3x9tKabc', cohortName: 'Менторы 2026' },
    });
    const first = await sms({ dedupeKey: 'down:1' });
    const second = await sms({ dedupeKey: 'down:2', to: '+77017654321' });
    const later = await enqueueEmail(database.prisma, {
      to: 'serik@example.kz', locale: 'ru', template: 'application-received', contact: null,
      data: { fullName: 'Серік', number: 'ZM-2026-00043', statusUrl: 'https://mentors.zhas.kz/status/Zq3x9tKabd', cohortName: 'Менторы 2026' },
    });
    const sender = worker({ smsSender: gatewaySender(gateway.url) });
    expect(await sender.runOnce()).toBe(2);
    const rows = new Map((await database.prisma.outboxEmail.findMany()).map((row) => [row.id, row]));
    expect(rows.get(email.id)!.status).toBe('SENT');
    expect(rows.get(later.id)!.status).toBe('SENT');
    // "No money": the gateway refuses every SMS, so the second one counts the failure without a request.
    expect(rows.get(first.id)).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(rows.get(second.id)).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(gateway.requests).toHaveLength(1);
    const files = await fs.readdir(mailDir);
    expect(files.filter((file) => file.endsWith('.eml'))).toHaveLength(2);
    expect(files.filter((file) => file.endsWith('.sms.txt'))).toHaveLength(0);

    await makeDueNow();
    expect(await sender.runOnce()).toBe(2);
    expect(gateway.delivered.map((form) => form.get('phones')).sort()).toEqual(['+77011234567', '+77017654321']);
  });

  it('without a gateway writes each SMS to MAIL_DIR as <timestamp>-<id>.sms.txt, with To and Parts lines', async () => {
    const { id } = await sms();
    const sender = worker({ smsSender: createSmsSender({ smsGatewayUrl: undefined, smsGatewayLogin: undefined, smsGatewayPassword: undefined, smsSender: undefined, smsGatewayTimeoutMs: 10_000, mailDir }) });
    expect(await sender.runOnce()).toBe(1);
    const files = (await fs.readdir(mailDir)).filter((file) => file.endsWith('.sms.txt'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^\\d{13}-${id}\\.sms\\.txt$`));
    expect(await fs.readFile(path.join(mailDir, files[0]), 'utf8')).toBe(`To: +77011234567\nParts: 2\n\n${smsText}\n`);
  });

  it('a worker without an SMS sender leaves SMS for one that has it', async () => {
    const { id } = await sms();
    expect(await worker().runOnce()).toBe(0);
    expect(await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'PENDING', attempts: 0 });
  });

  it('never logs the number or the text', async () => {
    const gateway = await startGateway(['http500', 'errorAnswer']);
    await sms();
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, new Writable({ write: (chunk, _encoding, done) => { lines.push(String(chunk)); done(); } }));
    const sender = worker({ smsSender: gatewaySender(gateway.url), logger });
    for (let run = 0; run < 3; run += 1) {
      await sender.runOnce();
      await makeDueNow();
    }
    expect(gateway.delivered).toHaveLength(1);
    const log = lines.join('');
    expect(log).toContain('"channel":"SMS"');
    expect(log).not.toContain('7011234567');
    expect(log).not.toContain('ZM-2026-00042');
    expect(log).not.toContain('gateway-secret');
  });
});

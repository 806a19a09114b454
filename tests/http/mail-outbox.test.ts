import fs from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createMailTransport } from '../../src/features/mail/mail-transport.ts';
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from '../../src/features/mail/outbox-worker.ts';
import { enqueueEmail, type EmailToEnqueue } from '../../src/features/mail/outbox.service.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { csrfTokenIn, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
});
afterAll(async () => {
  await portal.close();
});
beforeEach(async () => {
  await database.prisma.outboxEmail.deleteMany();
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const from = 'Zhas mentors <no-reply@zhas.local>';

function applicationReceived(overrides: Partial<EmailToEnqueue> & { name?: string } = {}): EmailToEnqueue {
  const { name, ...rest } = overrides;
  return {
    to: 'aigul@example.kz',
    locale: 'kk',
    template: 'application-received',
    data: { fullName: name ?? 'Айгүл Серікова', number: 'ZM-2026-00042', statusUrl: 'https://mentors.zhas.kz/status/Zq3x9tKabc', cohortName: 'Менторы 2026' },
    ...rest,
  };
}

interface ReceivedMail {
  recipients: string[];
  mail: ParsedMail;
}

/** A real SMTP server on the loopback interface that keeps what it receives. */
async function startSmtpServer(port = 0, options: { refuse?: string } = {}) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === options.refuse) {
        const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((recipient) => recipient.address);
      simpleParser(stream).then(
        (mail) => {
          received.push({ recipients, mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.server.address() as AddressInfo).port;
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  cleanups.push(stop);
  return { port: actualPort, received, stop };
}

/** A loopback port where nothing listens (SMTP "down"). */
async function unusedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function worker(port: number, options: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
  const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, mailDir: os.tmpdir() });
  const started = startOutboxWorker({ prisma: database.prisma, transport, logger: createLogger('silent'), from, autoStart: false, ...options });
  cleanups.push(async () => {
    await started.stop();
    transport.close();
  });
  return started;
}

/** Makes every waiting message due now (instead of waiting for the back-off). */
async function makeDueNow(): Promise<void> {
  await database.prisma.outboxEmail.updateMany({ where: { status: 'PENDING' }, data: { nextAttemptAt: new Date(Date.now() - 60_000) } });
}

describe('enqueueEmail', () => {
  it('writes the e-mail in the caller\'s transaction: a rollback leaves no e-mail', async () => {
    await expect(
      database.prisma.$transaction(async (tx) => {
        await enqueueEmail(tx, applicationReceived());
        expect(await tx.outboxEmail.count()).toBe(1);
        throw new Error('the change that caused the e-mail failed');
      }),
    ).rejects.toThrow('the change that caused the e-mail failed');
    expect(await database.prisma.outboxEmail.count()).toBe(0);
  });

  it('stores the rendered message as PENDING, due now', async () => {
    const { id, created } = await enqueueEmail(database.prisma, applicationReceived({ locale: 'ru' }));
    expect(created).toBe(true);
    const row = await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'PENDING', attempts: 0, toAddress: 'aigul@example.kz', locale: 'ru', template: 'application-received' });
    expect(row.subject).toBe('Заявка ZM-2026-00042 принята — программа Zhas');
    expect(row.textBody).toContain('https://mentors.zhas.kz/status/Zq3x9tKabc');
    expect(row.htmlBody).toContain('<a href="https://mentors.zhas.kz/status/Zq3x9tKabc"');
    expect(Math.abs(row.nextAttemptAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(row.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('enqueues a message with a dedupe key once, even inside a transaction that goes on', async () => {
    const first = await enqueueEmail(database.prisma, applicationReceived({ dedupeKey: 'received:42' }));
    const again = await enqueueEmail(database.prisma, applicationReceived({ dedupeKey: 'received:42' }));
    expect(again).toEqual({ id: first.id, created: false });

    // A unique violation would abort a PostgreSQL transaction; the duplicate must not.
    await database.prisma.$transaction(async (tx) => {
      expect((await enqueueEmail(tx, applicationReceived({ dedupeKey: 'received:42' }))).created).toBe(false);
      await enqueueEmail(tx, applicationReceived({ to: 'other@example.kz' }));
    });
    expect(await database.prisma.outboxEmail.count({ where: { dedupeKey: 'received:42' } })).toBe(1);
    expect(await database.prisma.outboxEmail.count()).toBe(2);
  });

  it('enqueues once when two callers race with the same dedupe key', async () => {
    const results = await Promise.all([1, 2, 3].map(() => enqueueEmail(database.prisma, applicationReceived({ dedupeKey: 'race' }))));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.id)).size).toBe(1);
    expect(await database.prisma.outboxEmail.count()).toBe(1);
  });

  it('refuses a recipient that is not one plain address', async () => {
    await expect(enqueueEmail(database.prisma, applicationReceived({ to: 'a@example.kz, b@example.kz' }))).rejects.toThrow(/plain e-mail address/);
    await expect(enqueueEmail(database.prisma, applicationReceived({ to: 'a@example.kz\r\nBcc: b@example.kz' }))).rejects.toThrow(/plain e-mail address/);
  });
});

describe('outbox worker with a real SMTP server', () => {
  it('delivers the message to the recipient, in the recipient\'s language, with the link', async () => {
    const smtp = await startSmtpServer();
    const { id } = await enqueueEmail(database.prisma, applicationReceived());
    expect(await worker(smtp.port).runOnce()).toBe(1);

    expect(smtp.received).toHaveLength(1);
    const [{ recipients, mail }] = smtp.received;
    expect(recipients).toEqual(['aigul@example.kz']);
    expect(mail.subject).toBe('ZM-2026-00042 өтінімі қабылданды — Zhas бағдарламасы');
    expect(mail.text).toContain('https://mentors.zhas.kz/status/Zq3x9tKabc');
    expect(mail.html).toContain('href="https://mentors.zhas.kz/status/Zq3x9tKabc"');
    expect(mail.from?.text).toContain('no-reply@zhas.local');
    expect(mail.messageId).toBe(`<outbox-${id}@zhas.local>`);

    const row = await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'SENT', attempts: 1, lockedUntil: null });
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it('masks the secret link in the stored copy once the message is delivered', async () => {
    const smtp = await startSmtpServer();
    const token = 'k3Vd9QmXb2_ZtR8yLwP0aHc7sN4eUf6gJiO1nBqYxTv';
    const { id } = await enqueueEmail(database.prisma, applicationReceived({ data: { fullName: 'Айгүл', number: 'ZM-2026-00043', statusUrl: `https://mentors.zhas.kz/status/${token}`, cohortName: 'Менторы 2026' } }));
    expect((await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } })).textBody).toContain(token);
    expect(await worker(smtp.port).runOnce()).toBe(1);
    expect(smtp.received[0].mail.text).toContain(token);
    const row = await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row.textBody).not.toContain(token);
    expect(row.htmlBody).not.toContain(token);
    expect(row.textBody).toContain('https://mentors.zhas.kz/status/[sent]');
  });

  it('keeps the message through an SMTP outage and delivers it exactly once when the server is back', async () => {
    const port = await unusedPort();
    const sender = worker(port);
    const { id } = await enqueueEmail(database.prisma, applicationReceived());

    expect(await sender.runOnce()).toBe(0);
    let row = await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('PENDING');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000); // back-off: not retried at once
    expect(await sender.runOnce()).toBe(0);
    expect((await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } })).attempts).toBe(1);

    const smtp = await startSmtpServer(port);
    await makeDueNow();
    expect(await sender.runOnce()).toBe(1);
    expect(await sender.runOnce()).toBe(0);
    expect(smtp.received).toHaveLength(1);
    row = await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  it('never sends a message twice when two workers run at the same moment', async () => {
    const smtp = await startSmtpServer();
    const ids: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      ids.push((await enqueueEmail(database.prisma, applicationReceived({ to: `applicant${index}@example.kz` }))).id);
    }
    const first = worker(smtp.port, { batchSize: 2 });
    const second = worker(smtp.port, { batchSize: 2 });

    const sent = await Promise.all([first.runOnce(), second.runOnce(), first.runOnce(), second.runOnce()]);
    expect(sent.reduce((sum, count) => sum + count, 0)).toBe(5);
    expect(smtp.received).toHaveLength(5);
    expect(smtp.received.map((entry) => entry.recipients[0]).sort()).toEqual([0, 1, 2, 3, 4].map((index) => `applicant${index}@example.kz`));
    expect(new Set(smtp.received.map((entry) => entry.mail.messageId)).size).toBe(5);
    const rows = await database.prisma.outboxEmail.findMany({ where: { id: { in: ids } } });
    expect(rows.every((row) => row.status === 'SENT' && row.attempts === 1)).toBe(true);
  });

  it('gives up after maxAttempts and leaves the message FAILED for a coordinator', async () => {
    const sender = worker(await unusedPort(), { maxAttempts: 3 });
    const { id } = await enqueueEmail(database.prisma, applicationReceived());
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await makeDueNow();
      expect(await sender.runOnce()).toBe(0);
      const row = await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
      expect(row.attempts).toBe(attempt);
      expect(row.status).toBe(attempt < 3 ? 'PENDING' : 'FAILED');
    }
    await makeDueNow();
    await database.prisma.outboxEmail.update({ where: { id }, data: { nextAttemptAt: new Date(Date.now() - 60_000) } });
    expect(await sender.runOnce()).toBe(0);
    const row = await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(row.lastError).toBeTruthy();
  });

  it('fails a refused recipient at once and still delivers the rest of the batch', async () => {
    const smtp = await startSmtpServer(0, { refuse: 'nobody@example.kz' });
    const refused = await enqueueEmail(database.prisma, applicationReceived({ to: 'nobody@example.kz' }));
    const fine = await enqueueEmail(database.prisma, applicationReceived());
    expect(await worker(smtp.port).runOnce()).toBe(1);
    expect(await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id: refused.id } })).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id: fine.id } })).toMatchObject({ status: 'SENT' });
    expect(smtp.received.map((entry) => entry.recipients[0])).toEqual(['aigul@example.kz']);
  });

  it('takes over a message whose sender crashed once its lease has run out, but not before', async () => {
    const smtp = await startSmtpServer();
    const { id } = await enqueueEmail(database.prisma, applicationReceived());
    await database.prisma.outboxEmail.update({ where: { id }, data: { status: 'SENDING', attempts: 1, lockedUntil: new Date(Date.now() + 60_000) } });
    const sender = worker(smtp.port);
    expect(await sender.runOnce()).toBe(0);
    await database.prisma.outboxEmail.update({ where: { id }, data: { lockedUntil: new Date(Date.now() - 1_000) } });
    expect(await sender.runOnce()).toBe(1);
    expect(await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(smtp.received).toHaveLength(1);
  });

  it('polls by itself when started, and stop() waits for the run in progress', async () => {
    const smtp = await startSmtpServer();
    await enqueueEmail(database.prisma, applicationReceived());
    const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, mailDir: os.tmpdir() });
    const polling = startOutboxWorker({ prisma: database.prisma, transport, logger: createLogger('silent'), from, pollIntervalMs: 50 });
    try {
      await expect.poll(() => smtp.received.length, { timeout: 10_000, interval: 50 }).toBe(1);
    } finally {
      await polling.stop();
      transport.close();
    }
    expect(await polling.runOnce()).toBe(0);
  });
});

describe('file transport (no SMTP_URL)', () => {
  it('writes each message as an .eml file into MAIL_DIR, creating the folder', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'zhas-mail-'));
    cleanups.push(() => fs.rm(root, { recursive: true, force: true }));
    const mailDir = path.join(root, 'data', 'mail-outbox');
    const transport = createMailTransport({ smtpUrl: undefined, mailDir });
    expect(transport.kind).toBe('files');
    const sender = startOutboxWorker({ prisma: database.prisma, transport, logger: createLogger('silent'), from, autoStart: false });
    cleanups.push(() => sender.stop());

    const { id } = await enqueueEmail(database.prisma, applicationReceived({ locale: 'en' }));
    expect(await sender.runOnce()).toBe(1);

    const files = await fs.readdir(mailDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^${id}-\\d+\\.eml$`));
    const mail = await simpleParser(await fs.readFile(path.join(mailDir, files[0])));
    expect(mail.subject).toBe('Application ZM-2026-00042 received — Zhas programme');
    expect(mail.text).toContain('https://mentors.zhas.kz/status/Zq3x9tKabc');
    expect((await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } })).status).toBe('SENT');
  });
});

describe('GET /admin/outbox', () => {
  it('sends a visitor to the login page', async () => {
    const response = await supertest(portal.app).get('/admin/outbox').expect(303);
    expect(response.headers.location).toBe('/login?next=%2Fadmin%2Foutbox');
  });

  it('answers 403 to a committee member, for the list and for a message', async () => {
    const { id } = await enqueueEmail(database.prisma, applicationReceived());
    const agent = await loginAs(portal.app, 'member');
    await agent.get('/admin/outbox').expect(403);
    await agent.get(`/admin/outbox/${id}`).expect(403);
  });

  it('shows the coordinator an accessible table of e-mails, newest first', async () => {
    await enqueueEmail(database.prisma, applicationReceived({ to: 'older@example.kz', locale: 'ru' }));
    await enqueueEmail(database.prisma, applicationReceived({ to: 'newer@example.kz', locale: 'en' }));
    const agent = await loginAs(portal.app, 'coordinator');
    const page = await agent.get('/admin/outbox').expect(200);
    expect(page.text).toContain('<h1>Почтовые отправления</h1>');
    expect(page.text).toMatch(/<caption>\s*Письма, сначала новые\./);
    expect(page.text).toContain('<th scope="col">Последняя ошибка</th>');
    expect(page.text).toContain('Application ZM-2026-00042 received — Zhas programme');
    expect(page.text).toContain('ждёт отправки');
    expect(page.text.indexOf('newer@example.kz')).toBeLessThan(page.text.indexOf('older@example.kz'));
    expect(page.text).toContain('<label for="status-filter">');

    const english = await agent.get('/admin/outbox?lang=en').expect(200);
    expect(english.text).toContain('<h1>Mail outbox</h1>');
    const kazakh = await agent.get('/admin/outbox?lang=kk').expect(200);
    expect(kazakh.text).toContain('<h1>Пошта жөнелтілімдері</h1>');
  });

  it('filters by status', async () => {
    const failed = await enqueueEmail(database.prisma, applicationReceived({ to: 'failed@example.kz' }));
    await enqueueEmail(database.prisma, applicationReceived({ to: 'waiting@example.kz' }));
    await database.prisma.outboxEmail.update({ where: { id: failed.id }, data: { status: 'FAILED', attempts: 8, lastError: 'ECONNECTION: connect ECONNREFUSED' } });
    const agent = await loginAs(portal.app, 'coordinator');
    const page = await agent.get('/admin/outbox?lang=en&status=FAILED').expect(200);
    expect(page.text).toContain('failed@example.kz');
    expect(page.text).not.toContain('waiting@example.kz');
    expect(page.text).toContain('ECONNECTION: connect ECONNREFUSED');
    expect(page.text).toContain('<option value="FAILED" selected>');
  });

  it('shows 50 e-mails a page with links between the pages', async () => {
    await database.prisma.outboxEmail.createMany({
      data: Array.from({ length: 51 }, (_, index) => ({ toAddress: `person${index}@example.kz`, template: 'application-received', subject: `Subject ${index}`, textBody: 'text' })),
    });
    const agent = await loginAs(portal.app, 'coordinator');
    const first = await agent.get('/admin/outbox?lang=en').expect(200);
    expect(first.text.match(/<th scope="row">/g)).toHaveLength(50);
    expect(first.text).toContain('href="/admin/outbox?page=2" rel="next"');
    const second = await agent.get('/admin/outbox?lang=en&page=2').expect(200);
    expect(second.text.match(/<th scope="row">/g)).toHaveLength(1);
    expect(second.text).toContain('Page 2 of 2');
    expect(second.text).toContain('rel="prev"');
  });
});

describe('GET /admin/outbox/:id', () => {
  it('shows the subject, the text part and the HTML part, escaped, in a sandboxed frame', async () => {
    const { id } = await enqueueEmail(database.prisma, applicationReceived({ locale: 'ru', name: '<script>alert(1)</script>Айгүл' }));
    const agent = await loginAs(portal.app, 'coordinator');
    const page = await agent.get(`/admin/outbox/${id}`).expect(200);
    expect(page.text).toContain('Заявка ZM-2026-00042 принята — программа Zhas');
    expect(page.text).toContain('Здравствуйте, &lt;script&gt;alert(1)&lt;/script&gt;Айгүл!'); // the text part
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toMatch(/<iframe class="email-preview" sandbox="" [^>]*srcdoc="&lt;!doctype html&gt;/);
    expect(page.text).toContain('&amp;lt;script&amp;gt;alert(1)'); // the HTML part, escaped once more for srcdoc
    expect(page.text).toContain('name="_csrf"');
    expect(page.text).toContain('Отправить ещё раз сейчас');
  });

  it('never shows a working secret link, also while the message is pending or failed (it still holds the token to send it)', async () => {
    const token = 'Zq3x9tKabcdefghijklmnopqrstuvwxyz0123456789';
    const pending = await enqueueEmail(database.prisma, applicationReceived({ data: { fullName: 'Айгүл', number: 'ZM-2026-00042', statusUrl: `https://mentors.zhas.kz/status/${token}?lang=kk`, cohortName: 'Менторы 2026' } }));
    const failed = await enqueueEmail(database.prisma, applicationReceived({ dedupeKey: 'failed-one', data: { fullName: 'Айгүл', number: 'ZM-2026-00043', statusUrl: `https://mentors.zhas.kz/status/${token}`, cohortName: 'Менторы 2026' } }));
    await database.prisma.outboxEmail.update({ where: { id: failed.id }, data: { status: 'FAILED' } });
    const agent = await loginAs(portal.app, 'coordinator');
    for (const { id } of [pending, failed]) {
      const page = await agent.get(`/admin/outbox/${id}`).expect(200);
      expect(page.text).not.toContain(token);
      expect(page.text).toContain('https://mentors.zhas.kz/status/[…]');
      expect((await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } })).textBody).toContain(token);
    }
  });

  it('answers 404 for a message that does not exist', async () => {
    const agent = await loginAs(portal.app, 'coordinator');
    await agent.get('/admin/outbox/999999').expect(404);
    await agent.get('/admin/outbox/not-a-number').expect(404);
  });
});

describe('POST /admin/outbox/:id/resend', () => {
  async function failedMessage(): Promise<number> {
    const { id } = await enqueueEmail(database.prisma, applicationReceived());
    await database.prisma.outboxEmail.update({
      where: { id },
      data: { status: 'FAILED', attempts: 8, lastError: 'ETIMEDOUT', nextAttemptAt: new Date(Date.now() + 3_600_000) },
    });
    return id;
  }

  it('refuses a request without the CSRF token', async () => {
    const id = await failedMessage();
    const agent = await loginAs(portal.app, 'coordinator');
    await agent.post(`/admin/outbox/${id}/resend`).type('form').send({}).expect(403);
    expect((await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } })).status).toBe('FAILED');
  });

  it('puts a FAILED message back in the queue, due now, and says so', async () => {
    const id = await failedMessage();
    const agent = await loginAs(portal.app, 'coordinator');
    const page = await agent.get(`/admin/outbox/${id}`).expect(200);
    await agent
      .post(`/admin/outbox/${id}/resend`)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text) })
      .expect(303)
      .expect('Location', `/admin/outbox/${id}`);
    const row = await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
    expect((await agent.get(`/admin/outbox/${id}`).expect(200)).text).toContain('Письмо снова в очереди');
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'email.resend_requested', entityId: String(id) } })).toBe(1);
  });

  it('leaves a message that was already sent alone', async () => {
    const { id } = await enqueueEmail(database.prisma, applicationReceived());
    await database.prisma.outboxEmail.update({ where: { id }, data: { status: 'SENT', attempts: 1, sentAt: new Date() } });
    const agent = await loginAs(portal.app, 'coordinator');
    const page = await agent.get(`/admin/outbox/${id}`).expect(200);
    expect(page.text).not.toContain('Отправить ещё раз сейчас');
    await agent.post(`/admin/outbox/${id}/resend`).type('form').send({ _csrf: csrfTokenIn(page.text) }).expect(303);
    expect(await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'SENT', attempts: 1 });
  });

  it('answers 403 to a committee member', async () => {
    const id = await failedMessage();
    const agent = await loginAs(portal.app, 'member');
    const page = await agent.get('/committee').expect(200);
    await agent.post(`/admin/outbox/${id}/resend`).type('form').send({ _csrf: csrfTokenIn(page.text) }).expect(403);
    expect((await database.prisma.outboxEmail.findUniqueOrThrow({ where: { id } })).status).toBe('FAILED');
  });
});

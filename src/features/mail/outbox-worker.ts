/**
 * Sends the outbox: e-mails through the mail transport, SMS (channel SMS) through the SMS sender.
 * Each run claims due messages with one atomic UPDATE … FOR UPDATE SKIP LOCKED, so several portal
 * instances on one PostgreSQL never claim the same message; a claim is a 2-minute lease, so a message
 * whose sender crashed is picked up again when the lease runs out.
 *
 * Delivery is at least once: a crash after the SMTP server accepted a message but before it was
 * marked SENT sends it again (with the same Message-ID). Failures are retried with exponential
 * back-off until maxAttempts, then the message is FAILED and waits for a coordinator.
 * Logs carry outbox ids, channels, statuses and error codes only: never addresses, phone numbers,
 * subjects or texts.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { OutboxChannel } from '../../generated/prisma/enums.ts';
import type { Logger } from '../../lib/logger.ts';
import type { SmsSender } from '../sms/sms-sender.ts';
import type { MailTransport } from './mail-transport.ts';
import type { OutboxAttachment } from './outbox.service.ts';
import { secretLinkPattern } from './secret-links.ts';

/**
 * Once a message is delivered, the secret tokens of its links are masked in the stored copy: database
 * backups must not hand out working links.
 */
const secretLinkMask = '\\1[sent]';

export interface OutboxWorkerOptions {
  prisma: PrismaClient;
  transport: MailTransport;
  /** Sends the SMS rows; without one, this worker leaves them to an instance that has it. */
  smsSender?: SmsSender;
  logger: Logger;
  /** The From header, e.g. config.mailFrom. */
  from: string;
  pollIntervalMs?: number;
  /** After this many failed attempts a message is FAILED. */
  maxAttempts?: number;
  /** Messages claimed at a time. */
  batchSize?: number;
  /** Poll on a timer (default). False: nothing happens until runOnce() is called (tests, scripts). */
  autoStart?: boolean;
}

export interface OutboxWorker {
  /** Sends every message due now; resolves to the number sent. */
  runOnce(): Promise<number>;
  /** Stops polling and waits for a run in progress. */
  stop(): Promise<void>;
}

const leaseSeconds = 120;
/** Leave a send this much of the lease at least (the SMTP timeouts are shorter). */
const leaseSafetyMs = 45_000;
const maxBatchesPerRun = 50;

/** 30 s, 1 min, 2 min, … after the 1st, 2nd, 3rd failure, at most one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

interface ClaimedEmail {
  id: number;
  channel: OutboxChannel;
  smsParts: number | null;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  attachments: unknown;
  attempts: number;
}

interface SendError {
  code?: string;
  responseCode?: number;
  /** Set by the SMS sender, which knows its gateway's answers. */
  permanent?: boolean;
  transportDown?: boolean;
  command?: string;
  message?: string;
}

// Errors that say the server cannot be reached or refuses us whoever the recipient: the rest of
// the batch would fail the same way, so it is not tried now.
const transportErrorCodes = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'EPROTOCOL', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND']);

function describeError(error: unknown): { code: string; text: string; permanent: boolean; transportDown: boolean } {
  const details = (error ?? {}) as SendError;
  const code = typeof details.code === 'string' ? details.code : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  const responseCode = typeof details.responseCode === 'number' ? details.responseCode : undefined;
  // A recipient refused with a 5xx reply will be refused again: no point in retrying for hours.
  const permanent = details.permanent === true || (code === 'EENVELOPE' && responseCode !== undefined && responseCode >= 500 && responseCode < 600);
  const text = `${code}${responseCode ? ` ${responseCode}` : ''}: ${message}`.slice(0, 1000);
  return { code, text, permanent, transportDown: details.transportDown === true || transportErrorCodes.has(code) };
}

export function startOutboxWorker({
  prisma,
  transport,
  smsSender,
  logger,
  from,
  pollIntervalMs = 2000,
  maxAttempts = 8,
  batchSize = 10,
  autoStart = true,
}: OutboxWorkerOptions): OutboxWorker {
  const log = logger.child({ component: 'outbox-worker' });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<number>>();

  // Without an SMS sender, SMS rows are not claimed at all (another instance, or a later start, sends them).
  const claimsSms = smsSender !== undefined;

  async function claimBatch(): Promise<ClaimedEmail[]> {
    // Times are compared in UTC on the database clock (the columns hold UTC wall-clock time, whatever
    // the session's TimeZone), so instances with slightly different clocks still agree.
    const rows = await prisma.$queryRaw<ClaimedEmail[]>`
      UPDATE "OutboxEmail"
      SET "status" = 'SENDING',
          "lockedUntil" = (now() AT TIME ZONE 'UTC') + ${leaseSeconds}::integer * interval '1 second',
          "attempts" = "attempts" + 1
      WHERE "id" IN (
        SELECT "id" FROM "OutboxEmail"
        WHERE (("status" = 'PENDING' AND "nextAttemptAt" <= (now() AT TIME ZONE 'UTC'))
           OR ("status" = 'SENDING' AND "lockedUntil" < (now() AT TIME ZONE 'UTC')))
          AND (${claimsSms}::boolean OR "channel" = 'EMAIL')
        ORDER BY "id"
        LIMIT ${batchSize}::integer
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "id", "channel", "smsParts", "toAddress", "subject", "textBody", "htmlBody", "attachments", "attempts"`;
    return rows
      .map((row) => ({ ...row, id: Number(row.id), attempts: Number(row.attempts), smsParts: row.smsParts === null ? null : Number(row.smsParts) }))
      .sort((a, b) => a.id - b.id);
  }

  // Every update below matches the claim by (id, SENDING, attempts): if our lease ran out and another
  // instance claimed the message, its attempts differ and we leave its row alone.
  async function markSent(message: ClaimedEmail): Promise<void> {
    const updated = await prisma.$executeRaw`
      UPDATE "OutboxEmail"
      SET "status" = 'SENT', "sentAt" = now() AT TIME ZONE 'UTC', "lockedUntil" = NULL,
          "textBody" = regexp_replace("textBody", ${secretLinkPattern}, ${secretLinkMask}, 'g'),
          "htmlBody" = regexp_replace("htmlBody", ${secretLinkPattern}, ${secretLinkMask}, 'g')
      WHERE "id" = ${message.id} AND "status" = 'SENDING' AND "attempts" = ${message.attempts}`;
    if (updated === 0) log.warn({ outboxId: message.id, channel: message.channel }, 'sent, but the claim had been taken over');
    else log.info({ outboxId: message.id, channel: message.channel, status: 'SENT', attempts: message.attempts }, message.channel === 'SMS' ? 'SMS sent' : 'e-mail sent');
  }

  async function markFailed(message: ClaimedEmail, failure: ReturnType<typeof describeError>): Promise<void> {
    const final = failure.permanent || message.attempts >= maxAttempts;
    const status = final ? 'FAILED' : 'PENDING';
    const delayMs = final ? 0 : retryDelayMs(message.attempts);
    await prisma.$executeRaw`
      UPDATE "OutboxEmail"
      SET "status" = ${status}::"OutboxStatus",
          "lastError" = ${failure.text},
          "lockedUntil" = NULL,
          "nextAttemptAt" = (now() AT TIME ZONE 'UTC') + ${delayMs}::integer * interval '1 millisecond'
      WHERE "id" = ${message.id} AND "status" = 'SENDING' AND "attempts" = ${message.attempts}`;
    const entry = { outboxId: message.id, channel: message.channel, status, attempts: message.attempts, errorCode: failure.code, retryInMs: final ? undefined : delayMs };
    const what = message.channel === 'SMS' ? 'SMS' : 'e-mail';
    if (final) log.error(entry, `${what} could not be sent`);
    else log.warn(entry, `${what} not sent, will retry`);
  }

  /** Gives back claims not tried (the lease is running out): no attempt is counted. */
  async function release(messages: ClaimedEmail[]): Promise<void> {
    for (const message of messages) {
      await prisma.$executeRaw`
        UPDATE "OutboxEmail" SET "status" = 'PENDING', "lockedUntil" = NULL, "attempts" = "attempts" - 1
        WHERE "id" = ${message.id} AND "status" = 'SENDING' AND "attempts" = ${message.attempts}`;
    }
  }

  async function deliver(message: ClaimedEmail): Promise<void> {
    if (message.channel === 'SMS') {
      // Not reached: SMS rows are not claimed without a sender (claimsSms).
      if (!smsSender) throw Object.assign(new Error('no SMS sender in this instance'), { code: 'ENOSMS', transportDown: true });
      await smsSender.send({ outboxId: message.id, to: message.toAddress, text: message.textBody, parts: message.smsParts });
      return;
    }
    await transport.send({
      outboxId: message.id,
      from,
      to: message.toAddress,
      subject: message.subject,
      text: message.textBody,
      html: message.htmlBody,
      attachments: Array.isArray(message.attachments) ? (message.attachments as OutboxAttachment[]) : null,
    });
  }

  async function sendBatch(batch: ClaimedEmail[]): Promise<{ sent: number; transportDown: boolean }> {
    const leaseEndsAt = Date.now() + leaseSeconds * 1000;
    let sent = 0;
    // A channel whose server is unreachable (the SMTP server, the SMS gateway), with the failure it gave.
    const down = new Map<OutboxChannel, ReturnType<typeof describeError>>();
    for (let index = 0; index < batch.length; index += 1) {
      const message = batch[index];
      if (Date.now() > leaseEndsAt - leaseSafetyMs) {
        await release(batch.slice(index));
        break;
      }
      const downFailure = down.get(message.channel);
      if (downFailure) {
        // The others of that channel count the same failed attempt without waiting for timeouts.
        await markFailed(message, downFailure);
        continue;
      }
      try {
        await deliver(message);
      } catch (error) {
        const failure = describeError(error);
        await markFailed(message, failure);
        if (failure.transportDown) down.set(message.channel, failure);
        continue;
      }
      await markSent(message);
      sent += 1;
    }
    return { sent, transportDown: down.size > 0 };
  }

  async function drain(): Promise<number> {
    let sent = 0;
    for (let batches = 0; batches < maxBatchesPerRun && !stopped; batches += 1) {
      const batch = await claimBatch();
      if (batch.length === 0) break;
      const result = await sendBatch(batch);
      sent += result.sent;
      if (result.transportDown || batch.length < batchSize) break;
    }
    return sent;
  }

  function runOnce(): Promise<number> {
    if (stopped) return Promise.resolve(0);
    const run = drain();
    inFlight.add(run);
    const forget = () => inFlight.delete(run);
    run.then(forget, forget);
    return run;
  }

  function schedule(): void {
    if (stopped || !autoStart) return;
    timer = setTimeout(() => void tick(), pollIntervalMs);
    timer.unref();
  }

  async function tick(): Promise<void> {
    try {
      await runOnce();
    } catch (error) {
      // The database is away, for instance: try again at the next tick. Prisma's messages hold no addresses.
      log.error({ errorCode: (error as SendError)?.code, error: error instanceof Error ? error.message : String(error) }, 'outbox run failed');
    } finally {
      schedule();
    }
  }

  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}

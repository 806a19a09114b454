/**
 * The e-mail outbox. A feature that must tell someone something calls enqueueEmail() with its own
 * transaction client: the message is rendered right away and stored in the same transaction as the
 * change that causes it, so it exists exactly when that change does. outbox-worker.ts sends it.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { OutboxChannel, OutboxStatus } from '../../generated/prisma/enums.ts';
import { outboxStatuses } from '../../lib/enum-lists.ts';
import { countedPage } from '../../lib/pagination.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { findApplicationContact, findProgrammeContact, type ProgrammeContact } from '../contact/programme-contact.service.ts';
import { smsParts } from '../sms/sms-parts.ts';
import { renderEmail, type EmailData, type EmailLanguage } from './email-templates.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export function isOutboxStatus(value: unknown): value is OutboxStatus {
  return typeof value === 'string' && (outboxStatuses as readonly string[]).includes(value);
}

/** A file attached to the e-mail, e.g. an .ics invitation; `content` is the file's text. */
export interface OutboxAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface EmailToEnqueue {
  to: string;
  locale: EmailLanguage;
  /** A folder of views/emails, e.g. "application-received". */
  template: string;
  data: EmailData;
  applicationId?: number;
  /** A message with a key that is already in the outbox is not enqueued again (e.g. "results:cohort-3:application-42"). */
  dedupeKey?: string;
  attachments?: OutboxAttachment[];
  /** The contact under the e-mail, when the caller already has it (a run of e-mails); looked up otherwise. */
  contact?: ProgrammeContact | null;
}

export interface EnqueuedEmail {
  id: number;
  /** False when a message with the same dedupeKey was already there (its id is returned). */
  created: boolean;
}

function assertDeliverableAddress(address: string): void {
  // The form validates addresses; this only refuses what could never be a single recipient.
  if (!/^[^\s@<>,;]+@[^\s@<>,;]+$/.test(address)) throw new Error('enqueueEmail: "to" must be one plain e-mail address');
}

/**
 * Renders the template and stores the message as PENDING. Pass the caller's transaction client so the
 * e-mail is committed or rolled back together with the change that causes it.
 */
export async function enqueueEmail(db: Db, message: EmailToEnqueue): Promise<EnqueuedEmail> {
  const to = message.to.trim();
  assertDeliverableAddress(to);
  const contact =
    message.contact !== undefined ? message.contact : message.applicationId ? await findApplicationContact(db, message.applicationId) : await findProgrammeContact(db);
  const { subject, text, html } = await renderEmail(message.template, message.locale, { contact, ...message.data });
  const attachments = message.attachments?.length ? message.attachments.map(({ filename, contentType, content }) => ({ filename, contentType, content })) : undefined;

  // One INSERT for every message. With a dedupeKey, ON CONFLICT DO NOTHING rather than catching a
  // unique violation: on PostgreSQL a failed statement would abort the caller's whole transaction. A
  // concurrent insert of the same key waits for the other transaction, then inserts (it rolled back)
  // or does nothing (it committed). Times are UTC from the database clock, like the worker's.
  const inserted = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO "OutboxEmail" ("toAddress", "locale", "template", "subject", "textBody", "htmlBody", "attachments",
                               "dedupeKey", "applicationId", "createdAt", "nextAttemptAt")
    VALUES (${to}, ${message.locale}::"Locale", ${message.template}, ${subject}, ${text}, ${html},
            ${attachments === undefined ? null : JSON.stringify(attachments)}::jsonb, ${message.dedupeKey ?? null},
            ${message.applicationId ?? null}::integer, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING "id"`;
  if (inserted.length > 0) return { id: Number(inserted[0].id), created: true };
  const existing = await db.outboxEmail.findUniqueOrThrow({ where: { dedupeKey: message.dedupeKey! }, select: { id: true } });
  return { id: existing.id, created: false };
}

export interface SmsToEnqueue {
  /** E.164, e.g. +77011234567. */
  to: string;
  locale: EmailLanguage;
  /** The e-mail template the SMS goes with, e.g. "results". */
  template: string;
  text: string;
  applicationId?: number;
  dedupeKey?: string;
}

/**
 * Stores an SMS in the same outbox (channel SMS: the number in toAddress, no subject, the text in
 * textBody, its part count in smsParts); the worker hands it to the SMS sender with the same claims
 * and retries as an e-mail. Pass the caller's transaction client, as for enqueueEmail.
 */
export async function enqueueSms(db: Db, message: SmsToEnqueue): Promise<EnqueuedEmail> {
  const to = message.to.trim();
  if (!/^\+[1-9][0-9]{7,14}$/.test(to)) throw new Error('enqueueSms: "to" must be one phone number in E.164 form');
  const text = message.text.trim();
  if (!text) throw new Error('enqueueSms: empty text');
  const inserted = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO "OutboxEmail" ("channel", "smsParts", "toAddress", "locale", "template", "subject", "textBody",
                               "dedupeKey", "applicationId", "createdAt", "nextAttemptAt")
    VALUES ('SMS'::"OutboxChannel", ${smsParts(text)}::integer, ${to}, ${message.locale}::"Locale", ${message.template}, '', ${text},
            ${message.dedupeKey ?? null}, ${message.applicationId ?? null}::integer, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING "id"`;
  if (inserted.length > 0) return { id: Number(inserted[0].id), created: true };
  const existing = await db.outboxEmail.findUniqueOrThrow({ where: { dedupeKey: message.dedupeKey! }, select: { id: true } });
  return { id: existing.id, created: false };
}

// ---------------------------------------------------------------------------------------------
// Queries and actions of the coordinator's "Mail outbox" page.

export const outboxPageSize = 50;

export const outboxChannels = ['EMAIL', 'SMS'] as const satisfies readonly OutboxChannel[];

export function isOutboxChannel(value: unknown): value is OutboxChannel {
  return typeof value === 'string' && (outboxChannels as readonly string[]).includes(value);
}

/** A phone number as the outbox page shows it: every digit but the last four hidden. */
export function maskPhoneNumber(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, '');
  return `${phone.startsWith('+') ? '+' : ''}${'•'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

export interface OutboxListQuery {
  status?: OutboxStatus;
  channel?: OutboxChannel;
  /** 1-based; clamped to the last page. */
  page?: number;
  pageSize?: number;
}

/** Newest first, optionally one status, one page. */
export async function listOutboxEmails(prisma: PrismaClient, query: OutboxListQuery = {}) {
  const pageSize = query.pageSize ?? outboxPageSize;
  const where: Prisma.OutboxEmailWhereInput = { ...(query.status ? { status: query.status } : {}), ...(query.channel ? { channel: query.channel } : {}) };
  const [total, counts] = await Promise.all([
    prisma.outboxEmail.count({ where }),
    prisma.outboxEmail.groupBy({ by: ['status'], _count: { _all: true } }),
  ]);
  const pager = countedPage(query.page, total, pageSize);
  const items = await prisma.outboxEmail.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: pager.skip,
    take: pager.take,
    select: { id: true, channel: true, smsParts: true, createdAt: true, toAddress: true, template: true, subject: true, status: true, attempts: true, lastError: true, sentAt: true },
  });
  const countsByStatus = Object.fromEntries(outboxStatuses.map((status) => [status, 0])) as Record<OutboxStatus, number>;
  for (const row of counts) countsByStatus[row.status] = row._count._all;
  return { items, total, pager, status: query.status ?? null, channel: query.channel ?? null, countsByStatus };
}

export function findOutboxEmail(prisma: PrismaClient, id: number) {
  return prisma.outboxEmail.findUnique({ where: { id } });
}

/** Statuses from which a coordinator may ask for the message to go out again now. */
export const resendableStatuses: readonly OutboxStatus[] = ['FAILED', 'PENDING'];

/**
 * "Send again now": a FAILED or PENDING message becomes due immediately with a fresh set of
 * attempts (the last error stays visible until the next try). Returns false when the message is
 * missing, already sent, or being sent right now.
 */
export async function resendOutboxEmail(prisma: PrismaClient, id: number, actorId: number | null): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    // The database clock, like the worker's claim: due at once whatever the clock of this host says.
    const count = await tx.$executeRaw`
      UPDATE "OutboxEmail"
      SET "status" = 'PENDING', "nextAttemptAt" = now() AT TIME ZONE 'UTC', "attempts" = 0, "lockedUntil" = NULL
      WHERE "id" = ${id} AND "status" IN ('FAILED', 'PENDING')`;
    if (count === 0) return false;
    await recordAudit(tx, { actorId, action: 'email.resend_requested', entityType: 'OutboxEmail', entityId: id });
    return true;
  });
}

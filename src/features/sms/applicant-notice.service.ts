/**
 * "Tell this applicant": the e-mail, and beside it an SMS to the application's phone for the messages
 * the programme also sends by phone (results, document requests, interviews). Both are written with
 * the caller's transaction client, so they exist exactly when the change that causes them does.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import { normaliseKazakhPhone } from '../../lib/phone.ts';
import { enqueueEmail, enqueueSms, type EmailToEnqueue, type EnqueuedEmail } from '../mail/outbox.service.ts';
import { applicantSmsText } from './sms-texts.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface ApplicantNotice extends EmailToEnqueue {
  applicationId: number;
  /** Application.phone when the caller has it already (a run of notices); looked up otherwise. */
  phone?: string | null;
}

export interface EnqueuedNotice {
  email: EnqueuedEmail;
  /** Null when the e-mail has no SMS, the application has no usable number, or the notice was already given. */
  sms: EnqueuedEmail | null;
}

/** The stored number in E.164 (the form stores it so); an older row as typed is normalised; anything else: no SMS. */
function smsNumber(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const trimmed = phone.trim();
  return /^\+[1-9][0-9]{7,14}$/.test(trimmed) ? trimmed : normaliseKazakhPhone(trimmed);
}

export async function enqueueApplicantNotice(db: Db, notice: ApplicantNotice): Promise<EnqueuedNotice> {
  const { phone, ...emailMessage } = notice;
  const email = await enqueueEmail(db, emailMessage);
  // A duplicate of a notice already in the outbox (same dedupeKey) sends no SMS either.
  if (!email.created) return { email, sms: null };
  const text = applicantSmsText(notice.template, notice.locale, notice.data);
  if (!text) return { email, sms: null };
  const stored = phone !== undefined ? phone : (await db.application.findUnique({ where: { id: notice.applicationId }, select: { phone: true } }))?.phone;
  const to = smsNumber(stored);
  if (!to) return { email, sms: null };
  const sms = await enqueueSms(db, {
    to,
    locale: notice.locale,
    template: notice.template,
    text,
    applicationId: notice.applicationId,
    // Its own key, so the SMS of a notice is written once however often the notice is repeated.
    dedupeKey: notice.dedupeKey ? `sms:${notice.dedupeKey}` : `sms:outbox-${email.id}`,
  });
  return { email, sms };
}

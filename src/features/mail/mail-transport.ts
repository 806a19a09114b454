/**
 * Where e-mails go: an SMTP server (SMTP_URL) or, without one, .eml files in MAIL_DIR that a developer
 * opens in any mail program.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';
import type { OutboxAttachment } from './outbox.service.ts';

export interface OutgoingEmail {
  /** Id of the outbox row: names the .eml file and makes the Message-ID stable across retries. */
  outboxId: number;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  attachments?: OutboxAttachment[] | null;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'files';
  send(message: OutgoingEmail): Promise<void>;
  close(): void;
}

export type MailTransportConfig = Pick<Config, 'smtpUrl' | 'mailDir'>;

// A dead or hanging server must fail a send well within the worker's 2-minute claim on a message.
const smtpTimeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

function domainOf(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match ? match[1] : 'zhas.local';
}

function mailOptions(message: OutgoingEmail) {
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html ?? undefined,
    attachments: (message.attachments ?? []).map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: attachment.content,
    })),
    // The same Message-ID on every attempt lets mail programs drop a duplicate if a send is repeated
    // after a crash between "accepted by SMTP" and "marked as sent".
    messageId: `<outbox-${message.outboxId}@${domainOf(message.from)}>`,
  };
}

export function createMailTransport(config: MailTransportConfig): MailTransport {
  if (config.smtpUrl) {
    // Settings in the URL's query string (e.g. ?connectionTimeout=20000) win over these defaults.
    const transporter = nodemailer.createTransport({ url: config.smtpUrl, ...smtpTimeouts });
    return {
      kind: 'smtp',
      async send(message) {
        await transporter.sendMail(mailOptions(message));
      },
      close: () => transporter.close(),
    };
  }

  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const mailDir = config.mailDir;
  return {
    kind: 'files',
    async send(message) {
      const info = await transporter.sendMail(mailOptions(message));
      await fs.mkdir(mailDir, { recursive: true });
      const file = path.join(mailDir, `${message.outboxId}-${Date.now()}.eml`);
      // Written under a temporary name first: a reader never sees half a message.
      const partial = `${file}.partial`;
      await fs.writeFile(partial, info.message as Buffer);
      await fs.rename(partial, file);
    },
    close: () => transporter.close(),
  };
}

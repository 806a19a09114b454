/**
 * Where SMS go: an HTTP SMS gateway in the style of SMSC.kz (SMS_GATEWAY_URL, e.g.
 * https://smsc.kz/sys/send.php: POST login, psw, phones, mes, charset=utf-8, fmt=3; the answer is
 * JSON, {"id": …, "cnt": parts} or {"error": "…", "error_code": N}) or, without one, text files in
 * MAIL_DIR beside the e-mails' .eml files (<timestamp>-<outbox id>.sms.txt).
 *
 * Every failure (HTTP error, timeout, unreachable gateway, an "error" answer) is thrown with a code, so
 * the outbox worker retries it like an e-mail. Errors never carry the number or the text.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.ts';

export interface OutgoingSms {
  /** Id of the outbox row: names the file. */
  outboxId: number;
  /** E.164, e.g. +77011234567. */
  to: string;
  text: string;
  parts: number | null;
}

export interface SmsSender {
  readonly kind: 'gateway' | 'files';
  send(message: OutgoingSms): Promise<void>;
}

export type SmsSenderConfig = Pick<Config, 'smsGatewayUrl' | 'smsGatewayLogin' | 'smsGatewayPassword' | 'smsSender' | 'smsGatewayTimeoutMs' | 'mailDir'>;

/** A failed send, with what the outbox worker needs to decide on the retry. */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** The gateway (not this one number) is failing: the rest of the batch's SMS would fail the same way. */
    readonly transportDown: boolean,
    /** Trying again will give the same answer (the gateway says the number is malformed). */
    readonly permanent = false,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

// SMSC.kz error codes for a send: 2 wrong login or password, 3 no money left, 4 our IP blocked (the
// gateway refuses every SMS); 7 a malformed number (refused whenever it is sent). Others (1 bad
// parameters, 6 text refused, 8 not deliverable to the number, 9 too many identical requests) are retried.
const gatewayDownCodes = new Set([2, 3, 4]);
const permanentCodes = new Set([7]);

interface GatewayAnswer {
  id?: unknown;
  cnt?: unknown;
  error?: unknown;
  error_code?: unknown;
}

function gatewaySender(config: SmsSenderConfig & { smsGatewayUrl: string }): SmsSender {
  return {
    kind: 'gateway',
    async send(message) {
      // POST: the password and the text stay out of URLs (and so out of the gateway's and proxies' access logs).
      const body = new URLSearchParams({
        login: config.smsGatewayLogin ?? '',
        psw: config.smsGatewayPassword ?? '',
        // With the "+", SMSC sends to the number as given instead of "correcting" it.
        phones: message.to,
        mes: message.text,
        charset: 'utf-8',
        fmt: '3',
      });
      if (config.smsSender) body.set('sender', config.smsSender);
      let response: Response;
      let answerText: string;
      try {
        response = await fetch(config.smsGatewayUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Accept: 'application/json' },
          body,
          signal: AbortSignal.timeout(config.smsGatewayTimeoutMs),
          redirect: 'error',
        });
        answerText = await response.text();
      } catch (error) {
        const name = (error as Error)?.name;
        if (name === 'TimeoutError' || name === 'AbortError') throw new SmsSendError(`no answer from the SMS gateway within ${config.smsGatewayTimeoutMs} ms`, 'ETIMEDOUT', true);
        const cause = (error as { cause?: { code?: unknown } })?.cause;
        const code = typeof cause?.code === 'string' ? cause.code : 'ECONNECTION';
        throw new SmsSendError('the SMS gateway could not be reached', code, true);
      }
      if (!response.ok) throw new SmsSendError(`the SMS gateway answered HTTP ${response.status}`, 'ESMSHTTP', response.status >= 500 || response.status === 401 || response.status === 403 || response.status === 429, false, response.status);
      let answer: GatewayAnswer;
      try {
        answer = JSON.parse(answerText) as GatewayAnswer;
      } catch {
        throw new SmsSendError('the SMS gateway answered something other than JSON', 'ESMSANSWER', true);
      }
      if (answer === null || typeof answer !== 'object') throw new SmsSendError('the SMS gateway answered something other than JSON', 'ESMSANSWER', true);
      if (answer.error !== undefined || answer.error_code !== undefined) {
        const errorCode = Number(answer.error_code);
        // The gateway's own words, short: a fixed phrase such as "invalid number", never our text.
        const said = typeof answer.error === 'string' ? answer.error.slice(0, 100) : 'error';
        throw new SmsSendError(`the SMS gateway refused the SMS: error ${Number.isFinite(errorCode) ? errorCode : '?'} (${said})`, 'ESMSGATEWAY', gatewayDownCodes.has(errorCode), permanentCodes.has(errorCode));
      }
      if (answer.id === undefined) throw new SmsSendError('the SMS gateway answered without a message id', 'ESMSANSWER', true);
    },
  };
}

function fileSender(mailDir: string): SmsSender {
  return {
    kind: 'files',
    async send(message) {
      await fs.mkdir(mailDir, { recursive: true });
      const file = path.join(mailDir, `${Date.now()}-${message.outboxId}.sms.txt`);
      const content = `To: ${message.to}\nParts: ${message.parts ?? ''}\n\n${message.text}\n`;
      // Written under a temporary name first: a reader never sees half a message.
      const partial = `${file}.partial`;
      await fs.writeFile(partial, content, 'utf8');
      await fs.rename(partial, file);
    },
  };
}

export function createSmsSender(config: SmsSenderConfig): SmsSender {
  return config.smsGatewayUrl ? gatewaySender({ ...config, smsGatewayUrl: config.smsGatewayUrl }) : fileSender(config.mailDir);
}

import path from 'node:path';
import { z } from 'zod';
import type { UserRole } from './generated/prisma/enums.ts';
import { projectRoot } from './project-root.ts';

/** 32 bytes in base64, or null. */
function base64Key(value: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value.trim())) return null;
  const key = Buffer.from(value.trim(), 'base64');
  return key.length === 32 ? key : null;
}

const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).optional(),
    BASE_URL: z.url({ message: 'must be an absolute URL such as https://mentors.zhas.kz' }).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgresql:// (leave it empty to use the embedded database)')
      .optional(),
    PGLITE_DATA_DIR: z.string().min(1).default(path.join(projectRoot, 'data', 'pglite')),
    DEMO_SEED: z.enum(['auto', 'never']).optional(),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters long').optional(),
    SESSION_MAX_AGE_HOURS: z.coerce.number().positive().default(12),
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOGIN_RATE_LIMIT_PER_15_MIN: z.coerce.number().int().positive().default(10),
    LOGIN_SLOWDOWN_MS: z.coerce.number().int().min(0).max(5000).default(500),
    LOGIN_FAILURES_PER_ACCOUNT_PER_15_MIN: z.coerce.number().int().positive().default(10),
    STAFF_IDLE_TIMEOUT_MINUTES: z.coerce.number().positive().max(24 * 60).default(30),
    // Roles that must sign in with a TOTP second factor: a comma list of COORDINATOR, COMMITTEE, MENTOR, or none.
    REQUIRE_TWO_FACTOR_ROLES: z
      .string()
      .regex(/^(none|((COORDINATOR|COMMITTEE|MENTOR)(\s*,\s*(COORDINATOR|COMMITTEE|MENTOR))*))$/, 'must be a comma list of COORDINATOR, COMMITTEE, MENTOR, or none')
      .optional(),
    UPLOAD_DIR: z.string().min(1).default(path.join(projectRoot, 'uploads')),
    // The master key that wraps each document's own key: 32 bytes in base64 (openssl rand -base64 32). Required in production.
    DOCUMENT_ENCRYPTION_KEY: z
      .string()
      .refine((value) => base64Key(value) !== null, 'must be 32 bytes in base64 (openssl rand -base64 32)')
      .optional(),
    // Where finished documents live: disk (UPLOAD_DIR/documents) or s3 (an S3-compatible bucket shared by
    // every instance). Uploads in progress are staged in UPLOAD_DIR either way.
    DOCUMENT_STORE: z.enum(['disk', 's3']).default('disk'),
    S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)').optional(),
    // Empty: AWS itself. Set for another S3-compatible store, e.g. https://storage.example.kz or http://127.0.0.1:9000.
    S3_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://s3.example.kz' }).optional(),
    S3_REGION: z.string().min(1).optional(),
    // Path-style addresses (endpoint/bucket/key): the default with S3_ENDPOINT (most S3-compatible servers need it).
    S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
    // Object keys start with this (e.g. "zhas/documents/"), so one bucket can hold other things too.
    S3_PREFIX: z.string().regex(/^((?!\.{1,2}\/)[A-Za-z0-9!_.*'()-]+\/)*$/, 'must be empty or folder names ending in "/", e.g. zhas/documents/').optional(),
    // The AWS SDK's usual variables; without them the SDK's default chain (instance role, profile, ...) applies.
    AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
    AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    AWS_SESSION_TOKEN: z.string().min(1).optional(),
    AWS_REGION: z.string().min(1).optional(),
    MAX_FILE_MB: z.coerce.number().positive().max(100).default(10),
    MAX_APPLICATION_MB: z.coerce.number().positive().max(500).default(50),
    SUBMISSIONS_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(30),
    UPLOADS_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(60),
    LOST_LINK_REQUESTS_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(5),
    STATUS_LINK_VALID_DAYS: z.coerce.number().int().positive().default(365),
    ORPHAN_FILE_GRACE_MINUTES: z.coerce.number().int().min(0).default(45),
    PROTOCOL_REMINDER_DAYS_BEFORE_MONTH_END: z.coerce.number().int().min(1).max(28).default(5),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps:// (leave it empty to write e-mails to MAIL_DIR)')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Zhas mentors <no-reply@zhas.local>'),
    MAIL_DIR: z.string().min(1).default(path.join(projectRoot, 'data', 'mail-outbox')),
    // The ORGANIZER of interview invitations (where calendar replies go); empty: the programme contact's e-mail, then MAIL_FROM's address.
    INTERVIEW_ORGANIZER_EMAIL: z.email().optional(),
    // SMS to applicants (results, document requests, interviews) through an SMSC.kz-style HTTP gateway,
    // e.g. https://smsc.kz/sys/send.php. Empty: SMS are written as <timestamp>-<id>.sms.txt into MAIL_DIR.
    SMS_GATEWAY_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://smsc.kz/sys/send.php (leave it empty to write SMS to MAIL_DIR)' }).optional(),
    SMS_GATEWAY_LOGIN: z.string().min(1).optional(),
    SMS_GATEWAY_PASSWORD: z.string().min(1).optional(),
    // The sender name registered with the gateway; empty: the gateway's default.
    SMS_SENDER: z.string().min(1).max(11).optional(),
    SMS_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(10_000),
  })
  .transform((env, context) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      context.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' });
    }
    // E-mailed links must reach the portal as users see it (behind a proxy, on https): never guessed in production.
    if (env.NODE_ENV === 'production' && !env.BASE_URL) {
      context.addIssue({ code: 'custom', path: ['BASE_URL'], message: 'is required in production (the address users reach, e.g. https://mentors.zhas.kz)' });
    }
    if (env.NODE_ENV === 'production' && !env.DOCUMENT_ENCRYPTION_KEY) {
      context.addIssue({ code: 'custom', path: ['DOCUMENT_ENCRYPTION_KEY'], message: 'is required in production (32 bytes in base64: openssl rand -base64 32)' });
    }
    if (env.DOCUMENT_STORE === 's3' && !env.S3_BUCKET) {
      context.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required with DOCUMENT_STORE=s3' });
    }
    if (env.DOCUMENT_STORE === 's3' && Boolean(env.AWS_ACCESS_KEY_ID) !== Boolean(env.AWS_SECRET_ACCESS_KEY)) {
      context.addIssue({ code: 'custom', path: [env.AWS_ACCESS_KEY_ID ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'], message: 'is needed together with the other AWS key variable' });
    }
    if (env.SMS_GATEWAY_URL) {
      for (const name of ['SMS_GATEWAY_LOGIN', 'SMS_GATEWAY_PASSWORD'] as const) {
        if (!env[name]) context.addIssue({ code: 'custom', path: [name], message: 'is required when SMS_GATEWAY_URL is set' });
      }
    }
    return {
      env: env.NODE_ENV,
      isProduction: env.NODE_ENV === 'production',
      port: env.PORT,
      // Behind a reverse proxy only the proxy may reach the portal: a client talking to it directly could
      // write its own X-Forwarded-For and pass for any address.
      host: env.HOST ?? (env.TRUST_PROXY_HOPS > 0 ? '127.0.0.1' : '0.0.0.0'),
      baseUrl: (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
      databaseUrl: env.DATABASE_URL,
      pgliteDataDir: env.PGLITE_DATA_DIR,
      // The demo accounts share a published password: never created in production unless asked for.
      demoSeed: env.DEMO_SEED ?? (env.NODE_ENV === 'production' ? 'never' : 'auto'),
      // Outside production a fixed secret keeps sessions valid across restarts of a dev machine.
      sessionSecret: env.SESSION_SECRET ?? 'development-only-secret-do-not-use-in-production',
      sessionMaxAgeMs: env.SESSION_MAX_AGE_HOURS * 3_600_000,
      trustProxyHops: env.TRUST_PROXY_HOPS,
      logLevel: env.LOG_LEVEL,
      loginRateLimitPer15Min: env.LOGIN_RATE_LIMIT_PER_15_MIN,
      loginSlowdownMs: env.LOGIN_SLOWDOWN_MS,
      loginFailuresPerAccountPer15Min: env.LOGIN_FAILURES_PER_ACCOUNT_PER_15_MIN,
      staffIdleTimeoutMs: Math.round(env.STAFF_IDLE_TIMEOUT_MINUTES * 60_000),
      // Staff who open police and psychiatric certificates: on in production unless turned off.
      requireTwoFactorRoles: twoFactorRoles(env.REQUIRE_TWO_FACTOR_ROLES ?? (env.NODE_ENV === 'production' ? 'COORDINATOR,COMMITTEE' : 'none')),
      uploadDir: env.UPLOAD_DIR,
      documentEncryptionKey: env.DOCUMENT_ENCRYPTION_KEY ? (base64Key(env.DOCUMENT_ENCRYPTION_KEY) ?? undefined) : undefined,
      // Without DOCUMENT_ENCRYPTION_KEY (development, tests): a key generated on first use, in data/ or in the tests' upload folder.
      documentKeyFile: env.NODE_ENV === 'test' ? path.join(env.UPLOAD_DIR, 'document-encryption.key') : path.join(projectRoot, 'data', 'document-encryption.key'),
      documentStore: documentStoreSettings(env),
      maxFileBytes: Math.round(env.MAX_FILE_MB * 1024 * 1024),
      maxApplicationBytes: Math.round(env.MAX_APPLICATION_MB * 1024 * 1024),
      submissionsPerIpPerHour: env.SUBMISSIONS_PER_IP_PER_HOUR,
      uploadsPerIpPerHour: env.UPLOADS_PER_IP_PER_HOUR,
      lostLinkRequestsPerIpPerHour: env.LOST_LINK_REQUESTS_PER_IP_PER_HOUR,
      statusLinkValidDays: env.STATUS_LINK_VALID_DAYS,
      orphanFileGraceMs: env.ORPHAN_FILE_GRACE_MINUTES * 60_000,
      protocolReminderDaysBeforeMonthEnd: env.PROTOCOL_REMINDER_DAYS_BEFORE_MONTH_END,
      smtpUrl: env.SMTP_URL,
      mailFrom: env.MAIL_FROM,
      interviewOrganizerEmail: env.INTERVIEW_ORGANIZER_EMAIL,
      mailDir: env.MAIL_DIR,
      smsGatewayUrl: env.SMS_GATEWAY_URL,
      smsGatewayLogin: env.SMS_GATEWAY_LOGIN,
      smsGatewayPassword: env.SMS_GATEWAY_PASSWORD,
      smsSender: env.SMS_SENDER,
      smsGatewayTimeoutMs: env.SMS_GATEWAY_TIMEOUT_MS,
    };
  });

/** Where finished documents are kept (see src/features/documents/document-storage.ts). */
export type DocumentStoreSettings =
  | { driver: 'disk'; uploadDir: string }
  | {
      driver: 's3';
      /** Local staging of uploads in progress, and scratch space for the key commands. */
      uploadDir: string;
      bucket: string;
      region: string;
      endpoint?: string;
      forcePathStyle: boolean;
      prefix: string;
      /** Absent: the AWS SDK's default credential chain. */
      credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    };

type StoreVariables = { DOCUMENT_STORE: 'disk' | 's3'; UPLOAD_DIR: string } & Partial<
  Record<'S3_BUCKET' | 'S3_ENDPOINT' | 'S3_REGION' | 'S3_FORCE_PATH_STYLE' | 'S3_PREFIX' | 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN' | 'AWS_REGION', string>
>;

function documentStoreSettings(env: StoreVariables): DocumentStoreSettings {
  if (env.DOCUMENT_STORE === 'disk' || !env.S3_BUCKET) return { driver: 'disk', uploadDir: env.UPLOAD_DIR };
  return {
    driver: 's3',
    uploadDir: env.UPLOAD_DIR,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION ?? env.AWS_REGION ?? 'us-east-1',
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: env.S3_FORCE_PATH_STYLE ? env.S3_FORCE_PATH_STYLE === 'true' : Boolean(env.S3_ENDPOINT),
    prefix: env.S3_PREFIX ?? '',
    credentials:
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) }
        : undefined,
  };
}

function twoFactorRoles(list: string): UserRole[] {
  return list === 'none' ? [] : [...new Set(list.split(',').map((role) => role.trim() as UserRole))];
}

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The one place that reads the environment. Empty strings count as "not set". */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  return parsed.data;
}

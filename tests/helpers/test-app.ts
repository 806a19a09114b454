import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import type { Express } from 'express';
import { createApp, type PortalApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { documentStoreOf } from '../../src/features/documents/document-storage.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { createTestDatabase } from './test-database.ts';
import { startTestDocumentBackend, testDocumentStoreDriver, type TestDocuments, type TestDocumentStoreDriver } from './test-document-store.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  // Failed logins are not slowed down in tests unless a test asks for it.
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOGIN_SLOWDOWN_MS: '0', ...overrides });
}

export async function buildTestApp(database: Database, overrides: Record<string, string> = {}): Promise<PortalApp> {
  return createApp({ config: testConfig(overrides), database, logger: createLogger('silent'), pruneExpiredSessions: false });
}

/** The CSRF token of the first form on a page (a hidden field, or in the action URL of a multipart form). */
export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html) ?? /[?&]_csrf=([^"&]+)/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return decodeURIComponent(match[1]);
}

export interface TestPortalOptions {
  /** 'demo': the database holds the demo data (loaded from the seeded dump on PGlite). */
  seed?: 'demo';
  /** Environment variables for the portal's configuration (see testConfig). */
  config?: Record<string, string>;
  /** Where its documents go: the upload folder (disk) or a local S3 server; TEST_DOCUMENT_STORE's unless given. */
  documentStore?: TestDocumentStoreDriver;
}

export interface TestPortal {
  database: Database;
  app: Express;
  /** The portal's own upload folder (a fresh temporary one unless config.UPLOAD_DIR names one). */
  uploadDir: string;
  /** The portal's document store, and the files under it (helpers in stored-documents.ts take this). */
  documents: TestDocuments;
  /** Stops the portal, closes the database and removes the temporary upload folder (and S3 server). */
  close(): Promise<void>;
}

/** A test database and the portal over it, for one HTTP test file: start in beforeAll, close in afterAll. */
export async function startTestPortal(options: TestPortalOptions = {}): Promise<TestPortal> {
  const database = await createTestDatabase({ seed: options.seed });
  const ownUploadDir = options.config?.UPLOAD_DIR ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-test-uploads-'));
  const uploadDir = options.config?.UPLOAD_DIR ?? ownUploadDir!;
  const backend = await startTestDocumentBackend(options.documentStore ?? testDocumentStoreDriver(), uploadDir).catch(async (error: unknown) => {
    await database.close();
    if (ownUploadDir) fs.rmSync(ownUploadDir, { recursive: true, force: true });
    throw error;
  });
  let portal: PortalApp;
  let documents: TestDocuments;
  try {
    const config = testConfig({ UPLOAD_DIR: uploadDir, ...backend.config, ...options.config });
    portal = await createApp({ config, database, logger: createLogger('silent'), pruneExpiredSessions: false });
    documents = { uploadDir, store: documentStoreOf(config), backingFileOf: backend.backingFileOf };
  } catch (error) {
    await database.close();
    await backend.close();
    if (ownUploadDir) fs.rmSync(ownUploadDir, { recursive: true, force: true });
    throw error;
  }
  return {
    database,
    app: portal.app,
    uploadDir,
    documents,
    async close() {
      try {
        await portal.stop();
      } finally {
        documents.store.close();
        await database.close();
        await backend.close();
        if (ownUploadDir) fs.rmSync(ownUploadDir, { recursive: true, force: true });
      }
    },
  };
}

type FormFields = Record<string, string | string[] | undefined>;

/** A urlencoded body as a browser sends it: repeated names for a list (checkboxes), no unset fields. */
export function formBody(fields: FormFields): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  return body.toString();
}

/** A form submission: awaits to the response; `.expect(status)` also fails the test on another status. */
export type FormSubmission = Promise<supertest.Response> & { expect(status: number): Promise<supertest.Response> };

/**
 * Submits a form as the agent's browser would: with the CSRF token of a page the agent opens first
 * (`tokenFrom`, default /about, whose header holds the sign-out form of a signed-in user).
 */
export function postForm(agent: supertest.Agent, url: string, fields: FormFields = {}, options: { tokenFrom?: string } = {}): FormSubmission {
  const response = (async () => {
    const page = await agent.get(options.tokenFrom ?? '/about').redirects(2);
    return agent.post(url).type('form').send(formBody({ _csrf: csrfTokenIn(page.text), ...fields }));
  })();
  return Object.assign(response, {
    async expect(status: number) {
      const answered = await response;
      if (answered.status !== status) {
        throw new Error(`POST ${url}: expected ${status}, got ${answered.status}${answered.headers.location ? ` (to ${answered.headers.location})` : ''}\n${answered.text.slice(0, 500)}`);
      }
      return answered;
    },
  });
}

export const demoLogins = {
  coordinator: 'coordinator@zhas.local',
  chair: 'chair.astana@zhas.local',
  member: 'member.astana@zhas.local',
  secondMember: 'member2.astana@zhas.local',
  otherRegionMember: 'member.almaty@zhas.local',
  mentor: 'mentor@zhas.local',
} as const;
export type DemoRole = keyof typeof demoLogins;

/** A cookie-keeping client signed in as one of the demo accounts (the database must hold the demo). */
export async function loginAs(app: Express, role: DemoRole) {
  const agent = supertest.agent(app);
  const loginPage = await agent.get('/login').expect(200);
  const response = await agent
    .post('/login')
    .type('form')
    .send({ email: demoLogins[role], password: demoPassword, _csrf: csrfTokenIn(loginPage.text) });
  if (response.status !== 303) throw new Error(`login as ${role} failed with ${response.status}`);
  return agent;
}

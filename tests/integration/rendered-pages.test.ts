/**
 * The main pages, byte for byte, in all three languages: what users see must not change when the
 * rendering is made faster (issue 15). Each page is compared with the copy kept under
 * `rendered-pages/`, written by the code before the change. The clock is fixed, so the demo's dates
 * and every "in N days" are the same on every run; only the CSRF token varies and is replaced.
 * A deliberate change to a page updates its copies: `npx vitest run tests/integration/rendered-pages.test.ts -u`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type PortalApp } from '../../src/app.ts';
import type { Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { documentStoreOf } from '../../src/features/documents/document-storage.ts';
import { seedDemoData } from '../../prisma/demo-data.ts';
import { testPasswordHashing } from '../helpers/demo-seed.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { csrfTokenIn, demoLogins, testConfig, type DemoRole } from '../helpers/test-app.ts';
import { demoPassword } from '../../prisma/demo-data.ts';

// A Tuesday morning in Almaty, inside the demo cohort's application window.
const fixedNow = new Date('2026-11-10T04:30:00.000Z');
const languages = ['ru', 'kk', 'en'] as const;

const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-rendered-pages-'));
let database: Database;
let portal: PortalApp;

beforeAll(async () => {
  // Only Date is frozen: timers, sockets and the database run as usual.
  vi.useFakeTimers({ toFake: ['Date'], now: fixedNow });
  const config = testConfig({ UPLOAD_DIR: uploadDir });
  database = await createTestDatabase();
  // The whole demo, as `npm start` seeds it: with its applications and their documents.
  await seedDemoData(database.prisma, { now: fixedNow, passwordHashing: testPasswordHashing, applicationsStore: documentStoreOf(config), documentKeys: config });
  portal = await createApp({ config, database, logger: createLogger('silent'), pruneExpiredSessions: false });
});
afterAll(async () => {
  await portal?.stop();
  await database?.close();
  vi.useRealTimers();
  fs.rmSync(uploadDir, { recursive: true, force: true });
});

async function signedIn(role: DemoRole) {
  const agent = supertest.agent(portal.app);
  const login = await agent.get('/login').expect(200);
  await agent.post('/login').type('form').send({ email: demoLogins[role], password: demoPassword, _csrf: csrfTokenIn(login.text) }).expect(303);
  return agent;
}

/**
 * The page without what differs on every visit or seed: the CSRF token (in fields, URLs and meta
 * tags), and the documents' random ids, numbered in the order they appear.
 */
function comparable(html: string): string {
  const tokens = new Set<string>();
  for (const match of html.matchAll(/name="_csrf" value="([^"]+)"|[?&]_csrf=([^"&]+)|name="csrf-token" content="([^"]+)"/g)) tokens.add(match[1] ?? decodeURIComponent(match[2] ?? match[3]));
  let result = html;
  for (const token of tokens) result = result.replaceAll(token, '<csrf-token>').replaceAll(encodeURIComponent(token), '<csrf-token>');
  const documentIds = new Map<string, string>();
  return result.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
    if (!documentIds.has(id)) documentIds.set(id, `<document-${documentIds.size + 1}>`);
    return documentIds.get(id)!;
  });
}

async function pagesToCompare() {
  const application = await database.prisma.application.findFirstOrThrow({ where: { region: { code: 'ASTANA' }, }, orderBy: { id: 'asc' } });
  const mentor = await database.prisma.user.findFirstOrThrow({ where: { email: demoLogins.mentor } });
  const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { mentorId: mentor.id }, orderBy: { id: 'asc' } });
  return [
    { name: 'home', role: null, url: '/' },
    { name: 'apply', role: null, url: '/apply' },
    { name: 'login', role: null, url: '/login' },
    { name: 'committee-list', role: 'member', url: '/committee/applications?sort=score' },
    { name: 'application', role: 'member', url: `/committee/applications/${application.id}` },
    { name: 'mentor-home', role: 'mentor', url: '/mentor' },
    // The demo's months follow the clock: October's protocol is handed in, November's is the one to write.
    { name: 'protocol-submitted', role: 'mentor', url: `/mentor/groups/${group.id}/protocols/2026-10` },
    { name: 'protocol-form', role: 'mentor', url: `/mentor/groups/${group.id}/protocols/2026-11` },
    { name: 'coordinator-home', role: 'coordinator', url: '/admin' },
  ] as const;
}

describe('the main pages render exactly as before', () => {
  it('in Russian, Kazakh and English, for visitors, the committee, a mentor and the coordinator', async () => {
    const pages = await pagesToCompare();
    const agents = new Map<DemoRole, supertest.Agent>();
    for (const page of pages) {
      for (const language of languages) {
        let agent = page.role ? agents.get(page.role) : undefined;
        if (page.role && !agent) agents.set(page.role, (agent = await signedIn(page.role)));
        const url = `${page.url}${page.url.includes('?') ? '&' : '?'}lang=${language}`;
        const response = await (agent ?? supertest(portal.app)).get(url).expect(200);
        await expect(comparable(response.text), `${page.name} in ${language}`).toMatchFileSnapshot(`rendered-pages/${page.name}.${language}.html`);
      }
    }
  });
});

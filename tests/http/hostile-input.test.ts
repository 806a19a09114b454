import fc from 'fast-check';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { csrfTokenIn, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { allEightDocuments, postApplication, regionIdOf, validFields } from '../helpers/application-form.ts';

let database: Database;
let portal: TestPortal;
let astanaId: number;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { SUBMISSIONS_PER_IP_PER_HOUR: '100000', LOGIN_RATE_LIMIT_PER_15_MIN: '100000' } });
  database = portal.database;
  astanaId = await regionIdOf(database.prisma, 'ASTANA');
});
afterAll(async () => {
  await portal.close();
});

const applicationFieldNames = Object.keys(validFields(1));
const hostileText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'; DROP TABLE \"Application\"; --", '../../etc/passwd', '\u0000', '9'.repeat(400), '١٢٣٤٥٦٧٨٩٠١٢', '2026-02-30', '-1', '1e309', 'NaN'),
);

describe('property: hostile values in the application form', () => {
  it('never cause a 500 or a half-saved application', async () => {
    const agent = supertest.agent(portal.app);
    const form = await agent.get('/apply');
    const token = csrfTokenIn(form.text);
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...applicationFieldNames), hostileText, { maxKeys: 6 }), async (overrides) => {
        const before = await database.prisma.application.count();
        const fields = { ...validFields(astanaId), ...overrides };
        let request = agent.post(`/apply?_csrf=${encodeURIComponent(token)}`);
        for (const [name, value] of Object.entries(fields)) {
          for (const item of ([] as (string | undefined)[]).concat(value)) if (item !== undefined) request = request.field(name, item);
        }
        const response = await request;
        expect([303, 422]).toContain(response.status);
        const after = await database.prisma.application.count();
        expect(after - before).toBe(response.status === 303 ? 1 : 0);
        if (response.status === 303) {
          const saved = await database.prisma.application.findFirstOrThrow({ orderBy: { id: 'desc' }, include: { documents: true, outboxEmails: true } });
          expect(saved.documents.length).toBeGreaterThan(0);
          expect(saved.outboxEmails).toHaveLength(1);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('property: hostile values in the login form and in committee filters', () => {
  it('never cause a 500', async () => {
    const agent = supertest.agent(portal.app);
    const token = csrfTokenIn((await agent.get('/login')).text);
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (email, password) => {
        const response = await agent.post('/login').type('form').send({ email, password, _csrf: token });
        expect([401, 422]).toContain(response.status);
      }),
      { numRuns: 30 },
    );
    const coordinator = await loginAs(portal.app, 'coordinator');
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('regionId', 'status', 'documents', 'scoreMin', 'scoreMax', 'q', 'sort', 'direction', 'page'), hostileText, { maxKeys: 5 }), async (query) => {
        const response = await coordinator.get('/committee/applications').query(query);
        expect(response.status).toBe(200);
      }),
      { numRuns: 30 },
    );
  });
});

describe('hostile requests', () => {
  it('an oversized form body gets a friendly 413', async () => {
    const agent = supertest.agent(portal.app);
    const token = csrfTokenIn((await agent.get('/login')).text);
    const response = await agent.post('/login').type('form').send({ email: 'a@b.kz', password: 'x'.repeat(400_000), _csrf: token });
    expect(response.status).toBe(413);
    expect(response.text).toContain('Отправленные данные слишком велики.');
  });

  it('a JSON body where a form is expected is refused without an error page', async () => {
    const response = await supertest(portal.app).post('/login').set('Content-Type', 'application/json').send('{"email":"a@b.kz"}');
    expect(response.status).toBe(403);
  });

  it('a multipart body with an unexpected file field is refused with a message, not a crash', async () => {
    const agent = supertest.agent(portal.app);
    const response = await postApplication(agent, validFields(astanaId), [...allEightDocuments(), { field: 'avatar', content: Buffer.from('x'), filename: 'x.png' }]);
    expect(response.status).toBe(422);
  });
});

describe('XSS: what applicants type is shown escaped everywhere', () => {
  it('on the status page and on the committee\'s list and application page', async () => {
    const payload = '<script>alert("x")</script>';
    const fields = validFields(astanaId, { fullName: `Анна ${payload}`, motivation: payload, organisation: `"><img src=x onerror=alert(1)>`, experienceDescription: payload });
    const response = await postApplication(supertest.agent(portal.app), fields);
    expect(response.status).toBe(303);
    const application = await database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { outboxEmails: true } });
    const statusLink = /\/status\/[A-Za-z0-9_-]{43}/.exec(application.outboxEmails[0].textBody)![0];
    const pages = [
      (await supertest(portal.app).get(statusLink)).text,
      (await (await loginAs(portal.app, 'chair')).get(`/committee/applications/${application.id}`)).text,
      (await (await loginAs(portal.app, 'member')).get('/committee/applications')).text,
    ];
    for (const html of pages) {
      expect(html).not.toContain(payload);
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;script&gt;');
    }
    expect(application.outboxEmails[0].htmlBody).not.toContain(payload);
  });
});

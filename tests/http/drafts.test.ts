import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { sweepOnce } from '../../src/features/documents/orphan-document-sweep.ts';
import { csrfTokenIn, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { jpegBytes, pdfBytes } from '../helpers/document-fixtures.ts';
import { allEightDocuments, regionIdOf, validFields, type Attachment } from '../helpers/application-form.ts';

let portal: TestPortal;
let database: Database;
let astanaId: number;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { SUBMISSIONS_PER_IP_PER_HOUR: '1000', UPLOADS_PER_IP_PER_HOUR: '1000', BASE_URL: 'https://mentors.example.kz' } });
  database = portal.database;
  astanaId = await regionIdOf(database.prisma, 'ASTANA');
});
afterAll(async () => {
  await portal.close();
});

function documentFiles(): string[] {
  const directory = path.join(portal.uploadDir, 'documents');
  return fs.existsSync(directory) ? fs.readdirSync(directory) : [];
}

/** The form posted as multipart to `url` (the Send button's /apply, or the draft button's /apply/draft). */
async function postMultipart(agent: supertest.Agent, url: string, fields: Record<string, string | string[] | undefined>, attachments: Attachment[] = [], formPath = '/apply') {
  const form = await agent.get(formPath).redirects(1);
  let request = agent.post(`${url}?_csrf=${encodeURIComponent(csrfTokenIn(form.text))}`);
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) request = request.field(name, item);
  }
  for (const attachment of attachments) request = request.attach(attachment.field, attachment.content, attachment.filename);
  return request;
}

async function continueLinkSentTo(address: string) {
  const email = await database.prisma.outboxEmail.findFirstOrThrow({ where: { toAddress: address, template: 'draft-continue' }, orderBy: { id: 'desc' } });
  const match = /https:\/\/mentors\.example\.kz\/apply\/continue\/([A-Za-z0-9_-]{43})\?lang=(ru|kk|en)/.exec(email.textBody);
  if (!match) throw new Error(`no continue link in: ${email.textBody}`);
  return { email, url: match[0], token: match[1], lang: match[2] };
}

describe('POST /apply/draft: "Save and continue later"', () => {
  it('needs only an e-mail, and says so next to the field when it is missing', async () => {
    const agent = supertest.agent(portal.app);
    const before = await database.prisma.applicationDraft.count();
    const response = await postMultipart(agent, '/apply/draft', { fullName: 'Айгерим Бекова', email: '' });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="email-error">[^<]*ссылка для продолжения/);
    expect(response.text).toContain('value="Айгерим Бекова"');
    expect(await database.prisma.applicationDraft.count()).toBe(before);
  });

  it('keeps the values as typed and the files, and e-mails a private link (hashed) in the form language', async () => {
    const agent = supertest.agent(portal.app);
    await agent.get('/apply?lang=kk').expect(200);
    const response = await postMultipart(agent, '/apply/draft', { fullName: 'Айгерим Бекова', email: 'aigerim@example.kz', experienceYears: 'seven', languages: ['kk', 'ru'] }, [
      { field: 'ID_CARD', content: jpegBytes, filename: 'kuálik.jpg' },
    ]);
    expect(response.status, response.text.slice(0, 300)).toBe(303);
    expect(response.headers.location).toBe('/apply/draft/saved');
    const saved = await agent.get('/apply/draft/saved').expect(200);
    expect(saved.text).toContain('aigerim@example.kz');
    expect(saved.headers['cache-control']).toContain('no-store');

    const link = await continueLinkSentTo('aigerim@example.kz');
    expect(link.lang).toBe('kk');
    expect(link.email.locale).toBe('kk');
    expect(link.email.subject).toMatch(/жоба/i);
    const draft = await database.prisma.applicationDraft.findUniqueOrThrow({ where: { tokenHash: createHash('sha256').update(link.token).digest('hex') }, include: { documents: true } });
    expect(draft.tokenHash).not.toContain(link.token);
    expect(JSON.stringify(draft)).not.toContain(link.token);
    expect(draft).toMatchObject({ email: 'aigerim@example.kz', locale: 'kk' });
    expect(draft.values).toMatchObject({ fullName: 'Айгерим Бекова', experienceYears: 'seven', languages: ['kk', 'ru'] });
    const cohort = await database.prisma.cohort.findUniqueOrThrow({ where: { id: draft.cohortId } });
    expect(draft.expiresAt.toISOString()).toBe(cohort.applicationClosesAt.toISOString());
    expect(draft.documents.map((document) => document.originalName)).toEqual(['kuálik.jpg']);
    expect(documentFiles()).toContain(draft.documents[0].storedName);
  });
});

describe('GET /apply/continue/:token', () => {
  it('opens the form filled in with its documents; saving again updates the same draft; Send turns it into the application', async () => {
    const first = supertest.agent(portal.app);
    const fields = validFields(astanaId, { email: 'continue@example.kz' });
    await postMultipart(first, '/apply/draft', { ...fields, motivation: '' }, [{ field: 'EDUCATION_DIPLOMA', content: pdfBytes, filename: 'diplom-draft.pdf' }]).then((response) => expect(response.status).toBe(303));
    const link = await continueLinkSentTo('continue@example.kz');
    const drafts = await database.prisma.applicationDraft.count();

    // Another device, later: the link opens the form.
    const later = supertest.agent(portal.app);
    const opened = await later.get(`/apply/continue/${link.token}?lang=${link.lang}`);
    expect(opened.status).toBe(303);
    const form = await later.get(opened.headers.location).expect(200);
    expect(form.headers['cache-control']).toContain('no-store');
    expect(form.text).toContain(`value="${fields.fullName}"`);
    expect(form.text).toContain('diplom-draft.pdf');

    // Saved again from the continued draft: the same draft, the same link.
    await postMultipart(later, '/apply/draft', { ...fields, motivation: 'Полдела сделано.' }).then((response) => expect(response.status).toBe(303));
    expect(await database.prisma.applicationDraft.count()).toBe(drafts);
    const again = await continueLinkSentTo('continue@example.kz');
    expect(again.token).toBe(link.token);
    const draft = await database.prisma.applicationDraft.findUniqueOrThrow({ where: { tokenHash: createHash('sha256').update(link.token).digest('hex') }, include: { documents: true } });
    expect(draft.values).toMatchObject({ motivation: 'Полдела сделано.' });
    expect(draft.documents).toHaveLength(1);

    // Send: the rest of the documents come with it; the draft's file becomes the application's.
    const others = allEightDocuments().filter((attachment) => attachment.field !== 'EDUCATION_DIPLOMA');
    const sent = await postMultipart(later, '/apply', { ...fields, motivation: 'Готово.' }, others);
    expect(sent.status, sent.text.slice(0, 400)).toBe(303);
    const application = await database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { documents: true } });
    expect(application.documents.map((document) => document.originalName)).toContain('diplom-draft.pdf');
    expect(await database.prisma.applicationDraft.count({ where: { id: draft.id } })).toBe(0);
    expect(await database.prisma.draftDocument.count({ where: { draftId: draft.id } })).toBe(0);

    // The link of a sent (deleted) draft says so plainly, like any unknown link.
    const gone = await supertest(portal.app).get(`/apply/continue/${link.token}`);
    const unknown = await supertest(portal.app).get(`/apply/continue/${'x'.repeat(43)}`);
    expect(gone.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(gone.text).toContain('Эта ссылка больше не работает');
    expect(gone.text.replace(/csrf[^"]*"[^"]*"/gi, '')).not.toContain('continue@example.kz');
  });
});

describe('drafts when the window closes', () => {
  it('are deleted with their files by the sweep; a live draft keeps its old files', async () => {
    const agent = supertest.agent(portal.app);
    await postMultipart(agent, '/apply/draft', { email: 'closing@example.kz' }, [{ field: 'ID_CARD', content: jpegBytes, filename: 'id-closing.jpg' }]).then((response) => expect(response.status).toBe(303));
    const closing = await continueLinkSentTo('closing@example.kz');
    const other = supertest.agent(portal.app);
    await postMultipart(other, '/apply/draft', { email: 'staying@example.kz' }, [{ field: 'ID_CARD', content: jpegBytes, filename: 'id-staying.jpg' }]).then((response) => expect(response.status).toBe(303));
    const closingDraft = await database.prisma.applicationDraft.findUniqueOrThrow({ where: { tokenHash: createHash('sha256').update(closing.token).digest('hex') }, include: { documents: true } });
    const stayingDraft = await database.prisma.applicationDraft.findFirstOrThrow({ where: { email: 'staying@example.kz' }, include: { documents: true } });

    // The window of the first draft's cohort has closed; both files are older than the sweep's grace.
    await database.prisma.applicationDraft.update({ where: { id: closingDraft.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const old = new Date(Date.now() - 3 * 3_600_000);
    for (const draft of [closingDraft, stayingDraft]) fs.utimesSync(path.join(portal.uploadDir, 'documents', draft.documents[0].storedName), old, old);

    expect((await supertest(portal.app).get(`/apply/continue/${closing.token}`)).status).toBe(404);
    await sweepOnce({ prisma: database.prisma, uploadDir: portal.uploadDir, store: portal.documents.store, logger: createLogger('silent') });
    expect(await database.prisma.applicationDraft.count({ where: { id: closingDraft.id } })).toBe(0);
    expect(documentFiles()).not.toContain(closingDraft.documents[0].storedName);
    expect(await database.prisma.applicationDraft.count({ where: { id: stayingDraft.id } })).toBe(1);
    expect(documentFiles()).toContain(stayingDraft.documents[0].storedName);
  });
});

describe('the form page', () => {
  it('explains the draft button instead of saying nothing is saved', async () => {
    const form = await supertest(portal.app).get('/apply?lang=en').expect(200);
    expect(form.text).not.toContain('nothing is saved as a draft');
    expect(form.text).toMatch(/formaction="\/apply\/draft\?_csrf=[^"]+"[^>]*>Save and continue later/);
  });
});

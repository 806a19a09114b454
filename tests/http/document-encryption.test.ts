import fs from 'node:fs';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { documentsDir, incomingDir, LocalDiskStore } from '../../src/features/documents/document-storage.ts';
import { documentMasterKey, masterKeyOf, readDocument } from '../../src/features/documents/document-encryption.ts';
import { loadConfig } from '../../src/config.ts';
import { csrfTokenIn, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { jpegBytes, pdfBytes, pdfOfSize, pngBytes } from '../helpers/document-fixtures.ts';
import { allEightDocuments, postApplication, regionIdOf, validFields } from '../helpers/application-form.ts';
import { alterStoredDocument, readStoredDocument, startsLikeAPlainDocument, storedBytes, storedNames } from '../helpers/stored-documents.ts';
import { testDocumentStoreDriver } from '../helpers/test-document-store.ts';

let portal: TestPortal;
let database: Database;
let astanaId: number;
let member: supertest.Agent;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { SUBMISSIONS_PER_IP_PER_HOUR: '1000', UPLOADS_PER_IP_PER_HOUR: '1000' } });
  database = portal.database;
  astanaId = await regionIdOf(database.prisma, 'ASTANA');
  member = await loginAs(portal.app, 'member');
});
afterAll(async () => {
  await portal.close();
});

/** The bytes in the store (disk or S3) say nothing of the content: no signature, no run of the plain bytes, and the header. */
async function expectEncrypted(storedName: string, plain: Buffer) {
  const stored = await storedBytes(portal.documents, storedName);
  expect(startsLikeAPlainDocument(stored), storedName).toBe(false);
  expect(stored.subarray(0, 4).toString('latin1')).toBe('ZHE1');
  expect(stored.includes(plain.subarray(0, 16))).toBe(false);
  expect(stored.length).toBeGreaterThan(plain.length);
}

async function downloaded(applicationId: number, documentId: string, download = true): Promise<Buffer> {
  const response = await member
    .get(`/committee/applications/${applicationId}/documents/${documentId}${download ? '?download=1' : ''}`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
      res.on('error', (error) => done(error, Buffer.concat(chunks)));
    });
  expect(response.status).toBe(200);
  return response.body as Buffer;
}

async function submitted(fields: Record<string, string | string[] | undefined>) {
  return database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { documents: true, outboxEmails: true } });
}

describe('documents at rest', () => {
  it('are encrypted when sent with the one-post form, and the committee downloads the original bytes exactly', async () => {
    const fields = validFields(astanaId);
    const attachments = allEightDocuments();
    const response = await postApplication(supertest.agent(portal.app), fields, attachments);
    expect(response.status, response.text.slice(0, 300)).toBe(303);
    const application = await submitted(fields);
    expect(application.documents).toHaveLength(attachments.length);
    for (const document of application.documents) {
      const original = attachments.find((attachment) => attachment.filename === document.originalName)!.content;
      await expectEncrypted(document.storedName, original);
      expect((await downloaded(application.id, document.id)).equals(original), document.originalName).toBe(true);
      expect((await downloaded(application.id, document.id, false)).equals(original)).toBe(true);
      expect((await readStoredDocument(portal.documents, document.storedName)).equals(original)).toBe(true);
    }
    // No plain copy is left in the store, nor in the folder where the files were received and checked.
    for (const name of await storedNames(portal.documents)) expect(startsLikeAPlainDocument(await storedBytes(portal.documents, name)), name).toBe(false);
    expect(fs.readdirSync(incomingDir(portal.uploadDir))).toEqual([]);
    // Every file went to the store the portal was configured with (npm run test:s3: the S3 bucket, nothing on disk).
    expect(portal.documents.store.description).toMatch(testDocumentStoreDriver() === 's3' ? /^s3 / : /^disk /);
    if (testDocumentStoreDriver() === 's3') expect(fs.existsSync(documentsDir(portal.uploadDir)) ? fs.readdirSync(documentsDir(portal.uploadDir)) : []).toEqual([]);
    if (portal.documents.store instanceof LocalDiskStore) expect(fs.readdirSync(portal.documents.store.directory).filter((name) => !/^[0-9a-f-]{36}\.bin$/.test(name))).toEqual([]);
    // Outside production the master key is generated into the upload folder on first use.
    expect(fs.existsSync(path.join(portal.uploadDir, 'document-encryption.key'))).toBe(true);
  });

  it('are encrypted when they arrive by tus (the move into the document store), larger ones too', async () => {
    const agent = supertest.agent(portal.app);
    const token = csrfTokenIn((await agent.get('/apply').expect(200)).text);
    const file = pdfOfSize(200_000);
    const metadata = [`kind ${Buffer.from('EDUCATION_DIPLOMA').toString('base64')}`, `filename ${Buffer.from('диплом.pdf').toString('base64')}`].join(',');
    const created = await agent.post('/apply/uploads').set('Tus-Resumable', '1.0.0').set('X-CSRF-Token', token).set('Upload-Length', String(file.length)).set('Upload-Metadata', metadata).expect(201);
    const finished = await agent
      .patch(created.headers.location)
      .set('Tus-Resumable', '1.0.0')
      .set('X-CSRF-Token', token)
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(file)
      .expect(200);
    const { storedName } = JSON.parse(finished.text) as { storedName: string };
    await expectEncrypted(storedName, file);
    expect(fs.readdirSync(path.join(portal.uploadDir, 'tus')).filter((name) => !name.endsWith('.json'))).toEqual([]);

    const fields = validFields(astanaId);
    const rest = allEightDocuments().filter((attachment) => attachment.field !== 'EDUCATION_DIPLOMA');
    expect((await postApplication(agent, fields, rest)).status).toBe(303);
    const application = await submitted(fields);
    const diploma = application.documents.find((document) => document.storedName === storedName)!;
    expect((await downloaded(application.id, diploma.id)).equals(file)).toBe(true);
  });

  it('are encrypted when re-uploaded from the status page and when kept with a draft', async () => {
    const fields = validFields(astanaId);
    expect((await postApplication(supertest.agent(portal.app), fields)).status).toBe(303);
    const application = await submitted(fields);
    const token = /\/status\/([A-Za-z0-9_-]{43})/.exec(application.outboxEmails[0].textBody)![1];
    const agent = supertest.agent(portal.app);
    const page = await agent.get(`/status/${token}`).expect(200);
    const replacement = Buffer.concat([pngBytes]);
    const uploaded = await agent.post(`/status/${token}/documents?_csrf=${encodeURIComponent(csrfTokenIn(page.text))}`).attach('RESIDENCE_PROOF', replacement, 'novaya.png');
    expect(uploaded.status, uploaded.text.slice(0, 300)).toBe(303);
    const added = await database.prisma.applicationDocument.findFirstOrThrow({ where: { applicationId: application.id, originalName: 'novaya.png' } });
    await expectEncrypted(added.storedName, replacement);
    expect((await downloaded(application.id, added.id)).equals(replacement)).toBe(true);

    const visitor = supertest.agent(portal.app);
    const form = await visitor.get('/apply').expect(200);
    const saved = await visitor.post(`/apply/draft?_csrf=${encodeURIComponent(csrfTokenIn(form.text))}`).field('email', 'draft-encrypted@example.kz').attach('ID_CARD', jpegBytes, 'id.jpg');
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    const draft = await database.prisma.applicationDraft.findFirstOrThrow({ where: { email: 'draft-encrypted@example.kz' }, include: { documents: true } });
    await expectEncrypted(draft.documents[0].storedName, jpegBytes);
    expect((await readStoredDocument(portal.documents, draft.documents[0].storedName)).equals(jpegBytes)).toBe(true);
  });

  it('are refused whole when altered in the store: the tag fails and the response is cut off', async () => {
    const fields = validFields(astanaId);
    expect((await postApplication(supertest.agent(portal.app), fields)).status).toBe(303);
    const application = await submitted(fields);
    const document = application.documents.find((entry) => entry.originalName === 'diplom.pdf')!;
    alterStoredDocument(portal.documents, document.storedName, (stored) => {
      stored[stored.length - 30] ^= 0x01;
    });
    const answer = await member
      .get(`/committee/applications/${application.id}/documents/${document.id}?download=1`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
        res.on('error', (error) => done(error, Buffer.concat(chunks)));
      })
      .then((response) => response.body as Buffer, (error: Error) => error);
    // Either the connection was aborted, or what arrived is not the document.
    if (Buffer.isBuffer(answer)) expect(answer.includes(pdfBytes.subarray(0, 8))).toBe(false);
    else expect(answer).toBeInstanceOf(Error);
  });
});

describe('DOCUMENT_ENCRYPTION_KEY', () => {
  const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), BASE_URL: 'https://mentors.zhas.kz' };

  it('is required in production and must be 32 bytes in base64', () => {
    expect(() => loadConfig(production)).toThrow(/DOCUMENT_ENCRYPTION_KEY: is required in production/);
    expect(() => loadConfig({ ...production, DOCUMENT_ENCRYPTION_KEY: Buffer.alloc(16, 1).toString('base64') })).toThrow(/DOCUMENT_ENCRYPTION_KEY: must be 32 bytes in base64/);
    const key = Buffer.alloc(32, 3);
    const config = loadConfig({ ...production, DOCUMENT_ENCRYPTION_KEY: key.toString('base64') });
    expect(documentMasterKey(config).key.equals(key)).toBe(true);
  });

  it('when set, is the key the files are wrapped under, and a file under another key is not served', async () => {
    const key = Buffer.alloc(32, 5);
    const keyed = await startTestPortal({ seed: 'demo', config: { DOCUMENT_ENCRYPTION_KEY: key.toString('base64'), SUBMISSIONS_PER_IP_PER_HOUR: '1000' } });
    try {
      const fields = validFields(await regionIdOf(keyed.database.prisma, 'ASTANA'));
      expect((await postApplication(supertest.agent(keyed.app), fields)).status).toBe(303);
      const application = await keyed.database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { documents: true } });
      const { storedName } = application.documents[0];
      const opened = async () => (await keyed.documents.store.open(storedName))!;
      expect(fs.existsSync(path.join(keyed.uploadDir, 'document-encryption.key'))).toBe(false);
      expect((await readDocument(await opened(), masterKeyOf(key))).length).toBeGreaterThan(0);
      await expect(readDocument(await opened(), masterKeyOf(Buffer.alloc(32, 6)))).rejects.toThrow(/another master key/);
    } finally {
      await keyed.close();
    }
  });
});

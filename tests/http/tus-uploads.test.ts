import fs from 'node:fs';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { sweepOnce } from '../../src/features/documents/orphan-document-sweep.ts';
import { csrfTokenIn, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { htmlPretendingToBePdf, jpegBytes, pdfBytes, pdfOfSize } from '../helpers/document-fixtures.ts';
import { allEightDocuments, postApplication, regionIdOf, validFields } from '../helpers/application-form.ts';
import { storedNames } from '../helpers/stored-documents.ts';

let portal: TestPortal;
let database: Database;
let astanaId: number;

const maxFileBytes = Math.round(0.05 * 1024 * 1024);

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { MAX_FILE_MB: '0.05', MAX_APPLICATION_MB: '0.12', SUBMISSIONS_PER_IP_PER_HOUR: '1000', UPLOADS_PER_IP_PER_HOUR: '1000' } });
  database = portal.database;
  astanaId = await regionIdOf(database.prisma, 'ASTANA');
});
afterAll(async () => {
  await portal.close();
});

/** The names in the portal's document store (disk or S3). */
function documentFiles(): Promise<string[]> {
  return storedNames(portal.documents);
}
function stagedFiles(): string[] {
  const directory = path.join(portal.uploadDir, 'tus');
  return fs.existsSync(directory) ? fs.readdirSync(directory) : [];
}

const metadata = (fields: Record<string, string>) =>
  Object.entries(fields).map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`).join(',');

/** A visitor with the form open: a cookie-keeping agent and the page's CSRF token. */
async function visitor() {
  const agent = supertest.agent(portal.app);
  const form = await agent.get('/apply').expect(200);
  return { agent, token: csrfTokenIn(form.text) };
}

type Visitor = Awaited<ReturnType<typeof visitor>>;

function create({ agent, token }: Visitor, kind: string, filename: string, size: number, options: { csrf?: boolean } = {}) {
  let request = agent.post('/apply/uploads').set('Tus-Resumable', '1.0.0').set('Upload-Length', String(size)).set('Upload-Metadata', metadata({ kind, filename }));
  if (options.csrf !== false) request = request.set('X-CSRF-Token', token);
  return request;
}

function patch({ agent, token }: Visitor, location: string, offset: number, bytes: Buffer) {
  return agent
    .patch(location)
    .set('Tus-Resumable', '1.0.0')
    .set('X-CSRF-Token', token)
    .set('Upload-Offset', String(offset))
    .set('Content-Type', 'application/offset+octet-stream')
    .send(bytes);
}

/** Creates an upload and sends the whole file in one PATCH; returns the last response. */
async function uploadWhole(person: Visitor, kind: string, filename: string, bytes: Buffer) {
  const created = await create(person, kind, filename, bytes.length);
  expect(created.status, created.text).toBe(201);
  return patch(person, created.headers.location, 0, bytes);
}

describe('POST/PATCH /apply/uploads (tus)', () => {
  it('lets a visitor without a session upload several files side by side once the page has started her session', async () => {
    const person = await visitor();
    // Reading the form wrote no session; the first file picked starts one (document-uploads.js).
    await person.agent.post('/apply/session').set('X-CSRF-Token', person.token).expect(204);
    const kinds = ['POLICE_CLEARANCE', 'NARCOLOGY_STATEMENT', 'PSYCHIATRY_STATEMENT'];
    const created = await Promise.all(kinds.map((kind) => create(person, kind, `${kind}.pdf`, pdfBytes.length)));
    for (const response of created) expect(response.status, response.text).toBe(201);
    const finished = await Promise.all(created.map((response) => patch(person, response.headers.location, 0, pdfBytes)));
    for (const response of finished) expect(response.status, response.text).toBe(200);
    const form = await person.agent.get('/apply').expect(200);
    for (const kind of kinds) expect(form.text).toContain(`${kind}.pdf`);
  });

  it('receives a file in pieces, resumes at the offset the server reports, and holds it for the form', async () => {
    const person = await visitor();
    const file = pdfOfSize(30_000);
    const created = await create(person, 'EDUCATION_DIPLOMA', 'диплом.pdf', file.length).expect(201);
    const location = created.headers.location;
    expect(location).toMatch(/^\/apply\/uploads\/[0-9a-f]+$/);
    await patch(person, location, 0, file.subarray(0, 10_000)).expect(204);
    // The connection dropped: the client asks where to go on.
    const head = await person.agent.head(location).set('Tus-Resumable', '1.0.0').expect(200);
    expect(head.headers['upload-offset']).toBe('10000');
    const finished = await patch(person, location, 10_000, file.subarray(10_000)).expect(200);
    const answer = JSON.parse(finished.text);
    expect(answer).toMatchObject({ kind: 'EDUCATION_DIPLOMA', originalName: 'диплом.pdf', sizeBytes: file.length });
    expect(await documentFiles()).toContain(answer.storedName);
    expect(stagedFiles().some((name) => location.endsWith(name))).toBe(false);

    // Shown on the form again, after a reload or in another language, with a remove button.
    const form = await person.agent.get('/apply?lang=en').expect(200);
    expect(form.text).toContain('диплом.pdf');
    expect(form.text).toContain(`/apply/documents/${answer.storedName}/remove`);
  });

  it('lets the final Send carry only the fields: every document came by tus', async () => {
    const person = await visitor();
    for (const attachment of allEightDocuments()) {
      const response = await uploadWhole(person, attachment.field, attachment.filename, attachment.content);
      expect(response.status, response.text).toBe(200);
    }
    const fields = validFields(astanaId);
    const sent = await postApplication(person.agent, fields, []);
    expect(sent.status, sent.text.slice(0, 300)).toBe(303);
    const application = await database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { documents: true } });
    expect(application.documents).toHaveLength(9);
    for (const document of application.documents) expect(await documentFiles()).toContain(document.storedName);
  });

  it('checks the content like the one-post form: an HTML page named .pdf is refused in the page language and deleted', async () => {
    const person = await visitor();
    const before = (await documentFiles()).length;
    const response = await uploadWhole(person, 'ID_CARD', 'scan.pdf', htmlPretendingToBePdf);
    expect(response.status).toBe(422);
    expect(response.text).toContain('PDF, JPEG или PNG');
    expect(await documentFiles()).toHaveLength(before);
    expect(stagedFiles()).toHaveLength(0);
    const form = await person.agent.get('/apply').expect(200);
    expect(form.text).not.toContain('scan.pdf');
  });

  it('refuses a file over the per-file limit before any byte is sent, with the message in the page language', async () => {
    const person = await visitor();
    await person.agent.get('/apply?lang=en').expect(200);
    const response = await create(person, 'ID_CARD', 'big.pdf', maxFileBytes + 1);
    expect(response.status).toBe(413);
    expect(response.text).toMatch(/larger than/);
  });

  it('bounds what one visitor holds: the files of a kind, then one application of bytes', async () => {
    const person = await visitor();
    expect((await uploadWhole(person, 'ID_CARD', 'id.jpg', jpegBytes)).status).toBe(200);
    const second = await create(person, 'ID_CARD', 'id-2.jpg', jpegBytes.length);
    expect(second.status).toBe(422);
    expect(second.text).toContain('удалите');

    // 0.12 MB in all: two files of 50 KB fit, a third does not.
    expect((await uploadWhole(person, 'RECOMMENDATION_LETTER', 'r1.pdf', pdfOfSize(50_000))).status).toBe(200);
    expect((await uploadWhole(person, 'RECOMMENDATION_LETTER', 'r2.pdf', pdfOfSize(50_000))).status).toBe(200);
    const third = await create(person, 'RECOMMENDATION_LETTER', 'r3.pdf', 50_000);
    expect(third.status).toBe(422);
    expect(third.text).toContain('слишком');
  });

  it('counts unfinished uploads in the bytes one visitor may hold', async () => {
    const person = await visitor();
    await create(person, 'RECOMMENDATION_LETTER', 'r1.pdf', 50_000).expect(201);
    await create(person, 'RECOMMENDATION_LETTER', 'r2.pdf', 50_000).expect(201);
    const third = await create(person, 'EDUCATION_DIPLOMA', 'd.pdf', 50_000);
    expect(third.status).toBe(422);
    expect(third.text).toContain('слишком');
  });

  it('checks the limits again when uploads finish together', async () => {
    const person = await visitor();
    const first = await create(person, 'POLICE_CLEARANCE', 'a.pdf', pdfBytes.length).expect(201);
    const second = await create(person, 'POLICE_CLEARANCE', 'b.pdf', pdfBytes.length).expect(201);
    const answers = await Promise.all([patch(person, first.headers.location, 0, pdfBytes), patch(person, second.headers.location, 0, pdfBytes)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422]);
    const form = await person.agent.get('/apply').expect(200);
    expect((form.text.match(/held-document-name/g) ?? []).length).toBe(1);
  });

  it('needs the CSRF token in its header, and nobody else can touch an upload', async () => {
    const person = await visitor();
    expect((await create(person, 'ID_CARD', 'id.jpg', jpegBytes.length, { csrf: false })).status).toBe(403);
    const created = await create(person, 'ID_CARD', 'id.jpg', jpegBytes.length).expect(201);
    const stranger = await visitor();
    const head = await stranger.agent.head(created.headers.location).set('Tus-Resumable', '1.0.0');
    expect(head.status).toBe(404);
    const write = await patch(stranger, created.headers.location, 0, jpegBytes);
    expect(write.status).toBe(404);
  });

  it('takes a held document off with its file', async () => {
    const person = await visitor();
    const answer = JSON.parse((await uploadWhole(person, 'RESIDENCE_PROOF', 'spravka.pdf', pdfBytes)).text);
    expect(await documentFiles()).toContain(answer.storedName);
    const removed = await person.agent
      .post(`/apply/documents/${answer.storedName}/remove`)
      .set('X-CSRF-Token', person.token)
      .set('Accept', 'application/json')
      .expect(200);
    expect(removed.body).toEqual({ removed: true });
    expect(await documentFiles()).not.toContain(answer.storedName);
    expect((await person.agent.get('/apply')).text).not.toContain('spravka.pdf');
    // Another visitor cannot remove somebody's file by its name.
    const other = JSON.parse((await uploadWhole(person, 'RESIDENCE_PROOF', 'spravka-2.pdf', pdfBytes)).text);
    const stranger = await visitor();
    await stranger.agent.post(`/apply/documents/${other.storedName}/remove`).set('X-CSRF-Token', stranger.token).set('Accept', 'application/json').expect(404);
    expect(await documentFiles()).toContain(other.storedName);
  });

  it('leaves nothing unfinished for long: the sweep removes staged uploads after the grace', async () => {
    const person = await visitor();
    const created = await create(person, 'NARCOLOGY_STATEMENT', 'n.pdf', pdfOfSize(20_000).length).expect(201);
    await patch(person, created.headers.location, 0, pdfOfSize(20_000).subarray(0, 5_000)).expect(204);
    const id = created.headers.location.split('/').pop()!;
    expect(stagedFiles()).toEqual(expect.arrayContaining([id, `${id}.json`]));
    const old = new Date(Date.now() - 46 * 60_000);
    for (const name of [id, `${id}.json`]) fs.utimesSync(path.join(portal.uploadDir, 'tus', name), old, old);
    await sweepOnce({ prisma: database.prisma, uploadDir: portal.uploadDir, store: portal.documents.store, logger: createLogger('silent') });
    expect(stagedFiles()).not.toContain(id);
    expect(stagedFiles()).not.toContain(`${id}.json`);
  });
});

describe('POST /apply/documents/:storedName/remove without JavaScript', () => {
  it('takes the file off and shows the form again with what was typed and the files just chosen', async () => {
    const person = await visitor();
    const answer = JSON.parse((await uploadWhole(person, 'PSYCHIATRY_STATEMENT', 'psihiatr-old.pdf', pdfBytes)).text);
    const response = await person.agent
      .post(`/apply/documents/${answer.storedName}/remove?_csrf=${encodeURIComponent(person.token)}`)
      .field('fullName', 'Нурлан Беков')
      .attach('ID_CARD', jpegBytes, 'id-new.jpg');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toContain('no-store');
    expect(response.text).toContain('value="Нурлан Беков"');
    expect(response.text).toContain('id-new.jpg');
    expect(response.text).not.toContain('psihiatr-old.pdf');
    expect(await documentFiles()).not.toContain(answer.storedName);
  });
});

describe('POST /apply without JavaScript: one file over the limit', () => {
  it('is refused next to its field, and the other files are checked and held', async () => {
    const agent = supertest.agent(portal.app);
    const attachments = [
      { field: 'ID_CARD', content: jpegBytes, filename: 'udostoverenie.jpg' },
      { field: 'EDUCATION_DIPLOMA', content: pdfOfSize(maxFileBytes + 5_000), filename: 'diplom-big.pdf' },
      { field: 'RESIDENCE_PROOF', content: pdfBytes, filename: 'adresnaya.pdf' },
    ];
    const response = await postApplication(agent, validFields(astanaId), attachments);
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/<p class="field-error" id="EDUCATION_DIPLOMA-error">Файл слишком большой/);
    expect(response.text).toContain('udostoverenie.jpg');
    expect(response.text).toContain('adresnaya.pdf');
    expect(response.text).not.toContain('diplom-big.pdf');
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { hasEncryptionHeader } from '../../src/features/documents/document-encryption.ts';
import { sweepOnce } from '../../src/features/documents/orphan-document-sweep.ts';
import { monthParam } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { hashTestPassword } from '../helpers/demo-seed.ts';
import { htmlPretendingToBePdf, pdfBytes, pdfOfSize, pngBytes } from '../helpers/document-fixtures.ts';
import { csrfTokenIn, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { ageStoredDocument, storedBytes, storedNames, writeRawStoredDocument } from '../helpers/stored-documents.ts';

let database: Database;
let portal: TestPortal;
let groupId: number;

const currentMonth = monthStartOf(new Date());
const protocolPath = () => `/mentor/groups/${groupId}/protocols/${monthParam(currentMonth)}`;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { LOGIN_RATE_LIMIT_PER_15_MIN: '100', MAX_FILE_MB: '1' } });
  database = portal.database;
  const mentor = await database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' } });
  const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { mentorId: mentor.id }, orderBy: { name: 'asc' }, include: { region: true } });
  groupId = group.id;
  // The protocol of this month starts empty.
  await database.prisma.sessionProtocol.deleteMany({ where: { groupId, month: currentMonth } });
  await database.prisma.user.create({ data: { email: 'attach.other@zhas.local', fullName: 'Другой ментор', role: 'MENTOR', passwordHash: await hashTestPassword(demoPassword) } });
  // The chair of the group's region and a chair of another region.
  const otherRegion = await database.prisma.region.findFirstOrThrow({ where: { NOT: { id: group.regionId } } });
  const hash = await hashTestPassword(demoPassword);
  await database.prisma.user.create({ data: { email: 'attach.chair@zhas.local', fullName: 'Председатель', role: 'COMMITTEE', passwordHash: hash, memberships: { create: { regionId: group.regionId, isChair: true } } } });
  await database.prisma.user.create({ data: { email: 'attach.otherchair@zhas.local', fullName: 'Чужой председатель', role: 'COMMITTEE', passwordHash: hash, memberships: { create: { regionId: otherRegion.id, isChair: true } } } });
  await database.prisma.user.create({ data: { email: 'attach.member@zhas.local', fullName: 'Член комиссии', role: 'COMMITTEE', passwordHash: hash, memberships: { create: { regionId: group.regionId, isChair: false } } } });
});
afterAll(async () => {
  await portal.close();
});

async function loginEmail(email: string) {
  const agent = supertest.agent(portal.app);
  const loginPage = await agent.get('/login').expect(200);
  const response = await agent.post('/login').type('form').send({ email, password: demoPassword, _csrf: csrfTokenIn(loginPage.text) });
  if (response.status !== 303) throw new Error(`login as ${email} failed with ${response.status}`);
  return agent;
}

/** What the form's "Attach" button sends: the whole form as multipart, the token in the action URL. */
async function attach(agent: supertest.Agent, fields: Record<string, string>, file: { bytes: Buffer; name: string } | null) {
  const page = await agent.get(protocolPath()).expect(200);
  const action = /formaction="([^"]+\/attachments\?_csrf=[^"]+)"/.exec(page.text)?.[1];
  expect(action, 'the protocol form has an attach button').toBeTruthy();
  const version = /name="version" value="([^"]*)"/.exec(page.text)?.[1] ?? '';
  const request = agent.post(action!.replace(/&amp;/g, '&')).field('version', version).field('action', 'attach');
  for (const [name, value] of Object.entries(fields)) request.field(name, value);
  if (file) request.attach('attachment', file.bytes, file.name);
  return request;
}

function attachmentsOfProtocol() {
  return database.prisma.protocolAttachment.findMany({ where: { protocol: { groupId, month: currentMonth } }, orderBy: { uploadedAt: 'asc' } });
}

describe('attachments of a protocol', () => {
  it('shows the upload field with its limits on the protocol form', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const page = await mentor.get(protocolPath()).expect(200);
    expect(page.text).toMatch(/<input[^>]+type="file"[^>]+name="attachment"|<input[^>]+name="attachment"[^>]+type="file"/);
    expect(page.text).toContain('formenctype="multipart/form-data"');
    expect(page.text).toContain('PDF, JPEG, PNG');
    expect(page.text).toContain('0 / 5');
  });

  it('stores a PNG encrypted, keeps the typed text as a draft, and lists the file', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const response = await attach(mentor, { issuesRaised: 'Обсудили лист посещаемости' }, { bytes: pngBytes, name: 'лист посещаемости.png' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(protocolPath());
    const protocol = await database.prisma.sessionProtocol.findUniqueOrThrow({ where: { groupId_month: { groupId, month: currentMonth } } });
    expect(protocol).toMatchObject({ status: 'DRAFT', issuesRaised: 'Обсудили лист посещаемости' });
    const [attachment] = await attachmentsOfProtocol();
    expect(attachment).toMatchObject({ originalName: 'лист посещаемости.png', mimeType: 'image/png', sizeBytes: pngBytes.length });
    expect(attachment.sha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = await storedBytes(portal.documents, attachment.storedName);
    expect(hasEncryptionHeader(stored)).toBe(true);
    expect(stored.includes(pngBytes)).toBe(false);

    const page = await mentor.get(protocolPath()).expect(200);
    expect(page.text).toContain('лист посещаемости.png');
    expect(page.text).toContain(`/protocol-attachments/${attachment.id}`);
    expect(page.text).toContain('1 / 5');
  });

  it('refuses a file that is not really a PDF, JPEG or PNG, next to the field, keeping the text', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const before = (await attachmentsOfProtocol()).length;
    const response = await attach(mentor, { issuesRaised: 'Текст, который нельзя потерять' }, { bytes: htmlPretendingToBePdf, name: 'scan.pdf' });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="attachment-error"[^>]*>[^<]*(PDF|JPEG|PNG)/);
    expect(response.text).toContain('Текст, который нельзя потерять');
    expect((await attachmentsOfProtocol()).length).toBe(before);
  });

  it('refuses a file over the size limit with a message next to the field', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    const before = (await attachmentsOfProtocol()).length;
    const response = await attach(mentor, {}, { bytes: pdfOfSize(1024 * 1024 + 4096), name: 'big.pdf' });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="attachment-error"[^>]*>[^<]*(МБ|MB)/);
    expect((await attachmentsOfProtocol()).length).toBe(before);
  });

  it('refuses a sixth file', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    while ((await attachmentsOfProtocol()).length < 5) {
      expect((await attach(mentor, {}, { bytes: pdfBytes, name: 'sheet.pdf' })).status).toBe(303);
    }
    // The form no longer offers the field; a page opened earlier may still send a file.
    const page = await mentor.get(protocolPath()).expect(200);
    expect(page.text).toContain('5 / 5');
    expect(page.text).not.toContain('name="attachment"');
    const version = /name="version" value="([^"]*)"/.exec(page.text)![1];
    const response = await mentor.post(`${protocolPath()}/attachments?_csrf=${encodeURIComponent(csrfTokenIn(page.text))}`).field('version', version).field('action', 'attach').attach('attachment', pdfBytes, 'sixth.pdf');
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/id="attachment-error"[^>]*>[^<]*5/);
    expect((await attachmentsOfProtocol()).length).toBe(5);
  });

  it('serves the file decrypted to the mentor, the coordinator and the region’s chair only, and audits it', async () => {
    const [attachment] = await attachmentsOfProtocol();
    const url = `/protocol-attachments/${attachment.id}`;
    const mentor = await loginAs(portal.app, 'mentor');
    const own = await mentor.get(url).buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toBe('image/png');
    expect(own.headers['cache-control']).toContain('no-store');
    expect(Buffer.compare(own.body as Buffer, pngBytes)).toBe(0);

    expect((await (await loginAs(portal.app, 'coordinator')).get(url)).status).toBe(200);
    expect((await (await loginEmail('attach.chair@zhas.local')).get(url)).status).toBe(200);
    for (const email of ['attach.other@zhas.local', 'attach.otherchair@zhas.local', 'attach.member@zhas.local']) {
      const response = await (await loginEmail(email)).get(url);
      expect([403, 404], email).toContain(response.status);
      expect(response.headers['content-type']).not.toBe('image/png');
    }
    expect((await supertest(portal.app).get(url)).status).not.toBe(200);
    const audits = await database.prisma.auditLogEntry.findMany({ where: { action: 'protocol.attachment_viewed', entityId: attachment.id } });
    expect(audits.length).toBe(3);
  });

  it('lists the attachments on the coordinator’s and the print views', async () => {
    const protocol = await database.prisma.sessionProtocol.findUniqueOrThrow({ where: { groupId_month: { groupId, month: currentMonth } } });
    const coordinator = await loginAs(portal.app, 'coordinator');
    const view = await coordinator.get(`/admin/protocols/${protocol.id}`).expect(200);
    expect(view.text).toContain('лист посещаемости.png');
    const print = await coordinator.get(`/admin/protocols/${protocol.id}/print`).expect(200);
    expect(print.text).toContain('лист посещаемости.png');
    const mentor = await loginAs(portal.app, 'mentor');
    expect((await mentor.get(`${protocolPath()}/print`).expect(200)).text).toContain('лист посещаемости.png');
  });

  it('is not swept as an orphan file', async () => {
    // A file recorded as an attachment, older than any grace: it stays; an unrecorded one goes.
    const protocol = await database.prisma.sessionProtocol.findUniqueOrThrow({ where: { groupId_month: { groupId, month: currentMonth } } });
    const recorded = '0a0b0c0d-0000-4000-8000-000000000001.bin';
    const unrecorded = '0a0b0c0d-0000-4000-8000-000000000002.bin';
    for (const name of [recorded, unrecorded]) {
      await writeRawStoredDocument(portal.documents, name, pdfBytes);
      ageStoredDocument(portal.documents, name, 24 * 3600_000);
    }
    await database.prisma.protocolAttachment.create({ data: { protocolId: protocol.id, originalName: 'old.pdf', storedName: recorded, mimeType: 'application/pdf', sizeBytes: pdfBytes.length, sha256: '0'.repeat(64) } });
    const attachments = await attachmentsOfProtocol();
    await sweepOnce({ prisma: database.prisma, uploadDir: portal.uploadDir, store: portal.documents.store, logger: createLogger('silent'), graceMs: 3600_000 });
    const left = await storedNames(portal.documents);
    for (const attachment of attachments) expect(left).toContain(attachment.storedName);
    expect(left).not.toContain(unrecorded);
  });
});

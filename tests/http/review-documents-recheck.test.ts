import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { formatDateTime } from '../../src/lib/dates.ts';
import { newStoredName } from '../../src/features/documents/document-storage.ts';
import { loginAs, postForm, startTestPortal, type DemoRole, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';
import { writeStoredDocument } from '../helpers/stored-documents.ts';
import { pdfBytes } from '../helpers/document-fixtures.ts';

// A document the applicant uploads again from the status page (the old file kept, marked replaced)
// shows as new, to check, on the application page and in the committee home's queue, with its history.

let database: Database;
let portal: TestPortal;
const agents = {} as Record<DemoRole, supertest.Agent>;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  for (const role of ['chair', 'member', 'otherRegionMember'] as const) agents[role] = await loginAs(portal.app, role);
});
afterAll(async () => {
  await portal.close();
});

/** An application whose ID card was rejected and then uploaded again, as status-page.service replaceDocuments writes it. */
async function reuploaded(fullName: string) {
  const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INCOMPLETE', uploadDir: portal.uploadDir, fullName });
  const submittedAt = new Date(Date.now() - 3 * 24 * 3_600_000);
  await database.prisma.application.update({ where: { id: application.id }, data: { submittedAt } });
  const old = application.documents[0];
  await database.prisma.applicationDocument.update({ where: { id: old.id }, data: { uploadedAt: submittedAt, checkStatus: 'REJECTED', rejectionReason: 'нечитаемо' } });
  const replacedAt = new Date(Date.now() - 3_600_000);
  await database.prisma.applicationDocument.update({ where: { id: old.id }, data: { replacedAt } });
  const storedName = newStoredName();
  await writeStoredDocument(portal.uploadDir, storedName, pdfBytes);
  const fresh = await database.prisma.applicationDocument.create({
    data: { applicationId: application.id, kind: 'ID_CARD', originalName: 'удостоверение-новое.pdf', storedName, mimeType: 'application/pdf', sizeBytes: pdfBytes.length, sha256: '0'.repeat(64), uploadedAt: replacedAt },
  });
  return { application, old, fresh, submittedAt, replacedAt };
}

describe('a re-uploaded document', () => {
  it('is marked new, to check, on the application page, with the replaced file and when', async () => {
    const { application, old, fresh, submittedAt, replacedAt } = await reuploaded('Повторов Арман');
    const page = (await agents.chair.get(`/committee/applications/${application.id}`).expect(200)).text;
    const card = page.split(`id="document-${fresh.id}"`)[1]?.split('</form>')[0] ?? '';
    expect(card).toContain('новый, проверить');
    const history = page.split(`id="document-history-${fresh.id}"`)[1]?.split('</ul>')[0] ?? '';
    expect(history).toContain('удостоверение.pdf');
    expect(history).toContain(`/committee/applications/${application.id}/documents/${old.id}`);
    expect(history).toContain('нечитаемо');
    // When: uploaded with the application, replaced by the new upload (Almaty time).
    expect(history).toContain(formatDateTime(submittedAt, 'ru'));
    expect(history).toContain(formatDateTime(replacedAt, 'ru'));

    // Once checked, it is no longer new.
    await postForm(agents.chair, `/committee/applications/${application.id}/documents/${fresh.id}/check`, { checkStatus: 'ACCEPTED', reason: '' }).expect(303);
    const after = (await agents.chair.get(`/committee/applications/${application.id}`).expect(200)).text;
    expect(after.split(`id="document-${fresh.id}"`)[1]?.split('</form>')[0] ?? '').not.toContain('новый, проверить');
  });

  it('waits in the committee home\'s queue "documents to check again" until checked, only in its region', async () => {
    const { application, fresh } = await reuploaded('Очередев Данияр');
    const notReuploaded = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SUBMITTED', fullName: 'Первичнов Тимур' });
    const home = (await agents.member.get('/committee').expect(200)).text;
    const queue = home.split('id="recheck-heading"')[1]?.split('</section>')[0] ?? '';
    expect(queue).toContain('Документы на повторную проверку');
    expect(queue).toContain(application.number);
    expect(queue).toContain(`/committee/applications/${application.id}#document-${fresh.id}`);
    expect(queue).not.toContain(notReuploaded.number);
    const almaty = (await agents.otherRegionMember.get('/committee').expect(200)).text;
    expect(almaty).not.toContain(application.number);

    await postForm(agents.chair, `/committee/applications/${application.id}/documents/${fresh.id}/check`, { checkStatus: 'ACCEPTED', reason: '' }).expect(303);
    const later = (await agents.member.get('/committee').expect(200)).text;
    expect(later).not.toContain(application.number);
  });
});

describe('the document viewer on the application page', () => {
  it('shows the document next to its check, links the previous and next documents, and a saved check returns to it', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCREENING', uploadDir: portal.uploadDir, fullName: 'Просмотров Ильяс' });
    const idCard = application.documents[0];
    const storedName = newStoredName();
    await writeStoredDocument(portal.uploadDir, storedName, pdfBytes);
    const photo = await database.prisma.applicationDocument.create({
      data: { applicationId: application.id, kind: 'RESIDENCE_PROOF', originalName: 'справка.png', storedName, mimeType: 'image/png', sizeBytes: pdfBytes.length, sha256: '0'.repeat(64) },
    });
    const base = `/committee/applications/${application.id}`;
    const block = (html: string, id: string) => html.split(`id="document-${id}"`)[1]?.split('</form>')[0] ?? '';

    const first = (await agents.member.get(`${base}?view=${idCard.id}`).expect(200)).text;
    const idCardBlock = block(first, idCard.id);
    expect(idCardBlock).toMatch(new RegExp(`<iframe src="${base}/documents/${idCard.id}"`));
    expect(idCardBlock).toContain(`?view=${photo.id}#document-${photo.id}`);
    expect(idCardBlock).toContain('Следующий документ');
    expect(idCardBlock).not.toContain('Предыдущий документ');
    expect(idCardBlock).toContain(`action="${base}/documents/${idCard.id}/check"`);
    // Only the document being viewed is loaded (each view is audited).
    expect(block(first, photo.id)).not.toContain('<iframe');
    expect(block(first, photo.id)).not.toContain('<img');

    const second = (await agents.member.get(`${base}?view=${photo.id}`).expect(200)).text;
    const photoBlock = block(second, photo.id);
    expect(photoBlock).toMatch(new RegExp(`<img src="${base}/documents/${photo.id}"`));
    expect(photoBlock).toContain(`?view=${idCard.id}#document-${idCard.id}`);
    expect(photoBlock).toContain('Предыдущий документ');
    // The frame's source is the inline document route, which the page may frame (same origin).
    const inline = await agents.member.get(`${base}/documents/${idCard.id}`).expect(200);
    expect(inline.headers['content-disposition']).toMatch(/^inline/);
    expect(inline.headers['x-frame-options'] ?? 'SAMEORIGIN').toBe('SAMEORIGIN');
    expect(inline.headers['content-security-policy'] ?? '').not.toContain('frame-ancestors');

    const saved = await postForm(agents.member, `${base}/documents/${photo.id}/check`, { checkStatus: 'ACCEPTED', reason: '' }).expect(303);
    expect(saved.headers.location).toBe(`${base}?view=${photo.id}#document-${photo.id}`);
  });

  it('shows no viewer to a member with a conflict, nor for an id that is not a current document of the application', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCREENING', uploadDir: portal.uploadDir, fullName: 'Просмотров Конфликт' });
    const other = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCREENING', uploadDir: portal.uploadDir, fullName: 'Просмотров Другой' });
    const base = `/committee/applications/${application.id}`;
    const foreign = (await agents.member.get(`${base}?view=${other.documents[0].id}`).expect(200)).text;
    expect(foreign).not.toContain('<iframe');
    const member = await database.prisma.user.findUniqueOrThrow({ where: { email: 'member.astana@zhas.local' } });
    await database.prisma.conflictOfInterest.create({ data: { applicationId: application.id, userId: member.id, reason: 'родственник' } });
    const conflicted = (await agents.member.get(`${base}?view=${application.documents[0].id}`).expect(200)).text;
    expect(conflicted).not.toContain('<iframe');
    expect(conflicted).not.toContain(`${base}/documents/${application.documents[0].id}`);
  });
});

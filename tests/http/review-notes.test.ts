import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { newStatusToken } from '../../src/features/applications/status-token.ts';
import { loginAs, postForm, startTestPortal, type DemoRole, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

// Notes members leave for one another on an application: the region's committee and the coordinator
// read and add them; the applicant never sees them; another region gets 404.

let database: Database;
let portal: TestPortal;
const agents = {} as Record<DemoRole, supertest.Agent>;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  for (const role of ['coordinator', 'chair', 'member', 'otherRegionMember'] as const) agents[role] = await loginAs(portal.app, role);
});
afterAll(async () => {
  await portal.close();
});

const notesUrl = (id: number) => `/committee/applications/${id}/notes`;

describe('POST /committee/applications/:id/notes', () => {
  it('lets a member add a note the chair and the coordinator read, audited', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', fullName: 'Заметкин Арман' });
    const page = await agents.member.get(`/committee/applications/${application.id}`).expect(200);
    expect(page.text).toContain(`action="${notesUrl(application.id)}"`);
    const saved = await postForm(agents.member, notesUrl(application.id), { text: 'Позвонить в школу: <проверить> рекомендацию' }).expect(303);
    expect(saved.headers.location).toBe(`/committee/applications/${application.id}#notes`);
    for (const role of ['chair', 'coordinator', 'member'] as const) {
      const seen = await agents[role].get(`/committee/applications/${application.id}`).expect(200);
      expect(seen.text, role).toContain('Позвонить в школу: &lt;проверить&gt; рекомендацию');
      expect(seen.text, role).toContain('Динара Оспанова');
    }
    const member = await database.prisma.user.findUniqueOrThrow({ where: { email: 'member.astana@zhas.local' } });
    const note = await database.prisma.applicationNote.findFirstOrThrow({ where: { applicationId: application.id } });
    expect(note.authorId).toBe(member.id);
    const audit = await database.prisma.auditLogEntry.findFirst({ where: { action: 'application.note_added', entityType: 'Application', entityId: String(application.id) } });
    expect(audit?.actorId).toBe(member.id);
    // The audit keeps that a note was added, not its words.
    expect(JSON.stringify(audit?.details)).not.toContain('Позвонить');
    // The audit page names the action in the reader's language.
    const auditPage = await agents.coordinator.get('/admin/audit').expect(200);
    expect(auditPage.text).toContain('Добавлена заметка к заявке');
  });

  it('refuses an empty or an over-long note with the message next to the field, keeping the text', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', fullName: 'Заметкин Длинный' });
    const page = await agents.chair.get(`/committee/applications/${application.id}`).expect(200);
    expect(page.text).toMatch(/<textarea[^>]*id="note-text"[^>]*data-note-limit="2000"/);
    expect(page.text).toContain('id="note-text-counter"');
    const long = `${'длинно '.repeat(290)}конец`;
    const refused = await postForm(agents.chair, notesUrl(application.id), { text: long }).expect(422);
    expect(refused.text).toContain('id="note-text-error"');
    expect(refused.text).toContain('не длиннее 2000');
    expect(refused.text).toContain('конец</textarea>');
    await postForm(agents.chair, notesUrl(application.id), { text: '   ' }).expect(422);
    expect(await database.prisma.applicationNote.count({ where: { applicationId: application.id } })).toBe(0);
  });

  it('checks the CSRF token', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', fullName: 'Заметкин Подделка' });
    const response = await agents.member.post(notesUrl(application.id)).type('form').send({ text: 'без токена' });
    expect(response.status).toBe(403);
    expect(await database.prisma.applicationNote.count({ where: { applicationId: application.id } })).toBe(0);
  });

  it('answers 404 to another region, on the page and the form', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', fullName: 'Заметкин Чужой' });
    await postForm(agents.chair, notesUrl(application.id), { text: 'Только для Астаны' }).expect(303);
    await agents.otherRegionMember.get(`/committee/applications/${application.id}`).expect(404);
    await postForm(agents.otherRegionMember, notesUrl(application.id), { text: 'чужая заметка' }).expect(404);
    expect(await database.prisma.applicationNote.count({ where: { applicationId: application.id } })).toBe(1);
  });

  it('never shows a note to the applicant on the status page', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', fullName: 'Заметкин Заявитель' });
    await postForm(agents.chair, notesUrl(application.id), { text: 'Секретная заметка комиссии' }).expect(303);
    const { token, hash } = newStatusToken();
    await database.prisma.applicationStatusLink.create({ data: { applicationId: application.id, tokenHash: hash, purpose: 'submitted' } });
    const applicant = supertest.agent(portal.app);
    const status = await applicant.get(`/status/${token}`).redirects(3).expect(200);
    expect(status.text).toContain(application.number);
    expect(status.text).not.toContain('Секретная заметка комиссии');
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { freshApplicant, postApplication, regionIdOf, validFields } from '../helpers/application-form.ts';
import { pdfBytes } from '../helpers/document-fixtures.ts';
import { buildTestApp, loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let portal: TestPortal;
let database: Database;
let astanaId: number;


beforeAll(async () => {
  portal = await startTestPortal({
    seed: 'demo',
    config: { SUBMISSIONS_PER_IP_PER_HOUR: '1000', UPLOADS_PER_IP_PER_HOUR: '1000', LOST_LINK_REQUESTS_PER_IP_PER_HOUR: '1000', BASE_URL: 'https://mentors.example.kz' },
  });
  database = portal.database;
  astanaId = await regionIdOf(database.prisma, 'ASTANA');
});
afterAll(async () => {
  await portal.close();
});

const linkIn = (text: string) => /\/status\/[A-Za-z0-9_-]{43}/.exec(text)![0];

async function apply(overrides: Record<string, string> = {}) {
  const fields = validFields(astanaId, overrides);
  expect((await postApplication(supertest.agent(portal.app), fields)).status).toBe(303);
  const application = await database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { outboxEmails: true } });
  return { application, iin: fields.iin as string, email: fields.email as string, confirmationLink: linkIn(application.outboxEmails[0].textBody) };
}

/** The fields and the page whose CSRF token the form carries. */
const lostLinkForm = (fields: Record<string, string>) => [fields, { tokenFrom: '/status/lost-link' }] as const;

/** Withdraws through the page, as the applicant does, and returns the page shown afterwards. */
async function withdraw(link: string) {
  const agent = supertest.agent(portal.app);
  const done = await postForm(agent, `${link}/withdraw`, {}, { tokenFrom: `${link}/withdraw` }).expect(303);
  expect(done.headers.location).toBe('/status/withdrawn');
  return agent.get('/status/withdrawn').expect(200);
}

/** Asks for a lost link; the answer comes at once, the e-mail (if any) a moment later. */
async function askForLostLink(fields: Record<string, string>) {
  const agent = supertest.agent(portal.app);
  const response = await postForm(agent, '/status/lost-link', ...lostLinkForm(fields)).expect(303);
  expect(response.headers.location).toBe('/status/lost-link/sent');
  return agent.get('/status/lost-link/sent').expect(200);
}

async function emailsOf(applicationId: number, template: string) {
  return database.prisma.outboxEmail.findMany({ where: { applicationId, template }, orderBy: { id: 'asc' } });
}

describe('status links', () => {
  it('keep working, every one ever e-mailed: a document request adds a link and leaves the confirmation link alive', async () => {
    const { application, confirmationLink } = await apply();
    const chair = await loginAs(portal.app, 'chair');
    expect((await postForm(chair, `/committee/applications/${application.id}/request-document`, { kind: 'POLICE_CLEARANCE' })).status).toBe(303);
    const [request] = await emailsOf(application.id, 'document-requested');
    const requestLink = linkIn(request.textBody);
    expect(requestLink).not.toBe(confirmationLink);
    for (const link of [confirmationLink, requestLink]) {
      const page = await supertest(portal.app).get(link).expect(200);
      expect(page.text).toContain(application.number);
      // The upload there sends documents, not the application.
      expect(page.text).toContain('Загрузка документов…');
      expect(page.text).not.toContain('Отправка заявки…');
    }
    expect(await database.prisma.applicationStatusLink.count({ where: { applicationId: application.id } })).toBe(2);
  });

  it("carry the applicant's language: each e-mailed link opens the status page in it on a device that never chose one", async () => {
    const kazakhApplicant = supertest.agent(portal.app);
    await kazakhApplicant.get('/about?lang=kk').expect(200);
    const fields = validFields(astanaId);
    expect((await postApplication(kazakhApplicant, fields)).status).toBe(303);
    const application = await database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string } });
    expect(application.locale).toBe('kk');
    const chair = await loginAs(portal.app, 'chair');
    expect((await postForm(chair, `/committee/applications/${application.id}/request-document`, { kind: 'POLICE_CLEARANCE' })).status).toBe(303);
    await askForLostLink({ iin: fields.iin as string, email: fields.email as string });
    await expect.poll(async () => (await emailsOf(application.id, 'status-link')).length).toBe(1);
    for (const template of ['application-received', 'document-requested', 'status-link']) {
      const [email] = await emailsOf(application.id, template);
      const link = /https:\/\/mentors\.example\.kz(\/status\/[A-Za-z0-9_-]{43}\?lang=kk)\b/.exec(email.textBody);
      expect(link, template).not.toBeNull();
      const page = await supertest(portal.app).get(link![1]).expect(200);
      expect(page.text).toMatch(/<html lang="kk"/);
    }
  });

  it('end with the withdrawal, all of them, and the dead link points to "I lost my link"', async () => {
    const { application, confirmationLink } = await apply();
    const chair = await loginAs(portal.app, 'chair');
    await postForm(chair, `/committee/applications/${application.id}/request-document`, { kind: 'ID_CARD' }).expect(303);
    const requestLink = linkIn((await emailsOf(application.id, 'document-requested'))[0].textBody);
    const done = await withdraw(confirmationLink);
    expect(done.text).toContain(`Заявка ${application.number} отозвана.`);
    expect(done.text).toContain('Ссылки на страницу этой заявки больше не работают.');
    expect(done.headers['cache-control']).toContain('no-store');
    const [confirmed] = await emailsOf(application.id, 'application-withdrawn');
    expect(confirmed.toAddress).toBe(application.email);
    expect(confirmed.subject).toContain(application.number);
    expect(confirmed.textBody).toContain('отозвана по вашему запросу');
    for (const link of [confirmationLink, requestLink]) {
      const dead = await supertest(portal.app).get(link).expect(404);
      expect(dead.text).toContain('href="/status/lost-link"');
      expect(dead.text).not.toContain(application.number);
    }
  });
});

describe('after a withdrawal', () => {
  it('a new application with the same IIN is refused with a message that says the earlier one was withdrawn', async () => {
    const fields = validFields(astanaId);
    expect((await postApplication(supertest.agent(portal.app), fields)).status).toBe(303);
    const application = await database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { outboxEmails: true } });
    const withdrawLink = `${linkIn(application.outboxEmails[0].textBody)}/withdraw`;
    await withdraw(withdrawLink.replace(/\/withdraw$/, ''));
    const again = await postApplication(supertest.agent(portal.app), fields);
    expect(again.status).toBe(422);
    expect(again.text).toContain('вы уже подавали и отозвали');
  });
});

describe('"I lost my link"', () => {
  it('is a form in three languages, kept out of caches', async () => {
    const page = await supertest(portal.app).get('/status/lost-link').expect(200);
    expect(page.text).toContain('Я потерял ссылку');
    expect(page.text).toContain('name="iin"');
    expect(page.text).toContain('name="email"');
    expect(page.headers['cache-control']).toContain('no-store');
    expect((await supertest(portal.app).get('/status/lost-link?lang=kk').expect(200)).text).toContain('Сілтемені жоғалттым');
    expect((await supertest(portal.app).get('/status/lost-link?lang=en').expect(200)).text).toContain('I lost my link');
  });

  it('e-mails a new, working link to the address on file; the older links keep working', async () => {
    const { application, iin, email, confirmationLink } = await apply();
    const sent = await askForLostLink({ iin, email: `  ${email.toUpperCase()} ` });
    expect(sent.text).toContain('Проверьте почту');
    expect(sent.headers['cache-control']).toContain('no-store');
    await expect.poll(async () => (await emailsOf(application.id, 'status-link')).length).toBe(1);
    const [resent] = await emailsOf(application.id, 'status-link');
    expect(resent.toAddress).toBe(email);
    const newLink = linkIn(resent.textBody);
    expect(newLink).not.toBe(confirmationLink);
    await supertest(portal.app).get(newLink).expect(200);
    await supertest(portal.app).get(confirmationLink).expect(200);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'status_link.resent', entityId: String(application.id) } })).toBe(1);
  });

  it('gives the same answer whether or not such an application exists, and sends nothing to a stranger', async () => {
    const { application, iin, email } = await apply();
    const { iin: unknownIin } = await apply().then(async (other) => {
      await database.prisma.application.delete({ where: { id: other.application.id } });
      return other;
    });
    const withdrawn = await apply();
    await withdraw(withdrawn.confirmationLink);
    const expired = await apply();
    await database.prisma.application.update({ where: { id: expired.application.id }, data: { statusTokenExpiresAt: new Date(Date.now() - 1000) } });

    const mainText = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html;
    const answers = [];
    for (const fields of [
      { iin, email: 'someone.else@example.kz' }, // the IIN is known, the address is not the one on file
      { iin: unknownIin, email }, // nobody applied with this IIN
      { iin: withdrawn.iin, email: withdrawn.email }, // withdrawn: its links have ended for good
      { iin: expired.iin, email: expired.email }, // its links have expired
    ]) {
      answers.push(mainText((await askForLostLink(fields)).text));
    }
    const genuine = await askForLostLink({ iin, email });
    expect(new Set([...answers, mainText(genuine.text)]).size).toBe(1);
    await expect.poll(async () => (await emailsOf(application.id, 'status-link')).length).toBe(1);
    expect(await emailsOf(withdrawn.application.id, 'status-link')).toHaveLength(0);
    expect(await emailsOf(expired.application.id, 'status-link')).toHaveLength(0);
    expect(await database.prisma.outboxEmail.count({ where: { template: 'status-link', toAddress: 'someone.else@example.kz' } })).toBe(0);
  });

  it('names each problem next to its field and keeps what was typed', async () => {
    const response = await postForm(supertest.agent(portal.app), '/status/lost-link', ...lostLinkForm({ iin: '123', email: 'saule-at-example' })).expect(422);
    expect(response.text).toContain('value="123"');
    expect(response.text).toContain('value="saule-at-example"');
    expect(response.text).toMatch(/id="iin-error"/);
    expect(response.text).toMatch(/id="email-error"/);
  });

  it('refuses a post without the CSRF token', async () => {
    await supertest(portal.app).post('/status/lost-link').type('form').send({ iin: '900101300018', email: 'nobody@example.kz' }).expect(403);
  });

  it('sends one application at most three links a day, however many addresses ask', async () => {
    const { application, iin, email } = await apply();
    for (let request = 0; request < 5; request += 1) await askForLostLink({ iin, email });
    await expect.poll(async () => (await emailsOf(application.id, 'status-link')).length).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await emailsOf(application.id, 'status-link')).toHaveLength(3);
  });

  it('is rate-limited per IP address', async () => {
    // A second app on the same database (on PostgreSQL a second test database would empty the shared one).
    const limited = await buildTestApp(database, { LOST_LINK_REQUESTS_PER_IP_PER_HOUR: '2' });
    try {
      const agent = supertest.agent(limited.app);
      const statuses = [];
      for (let attempt = 0; attempt < 3; attempt += 1) {
        statuses.push((await postForm(agent, '/status/lost-link', ...lostLinkForm({ iin: freshApplicant().iin, email: 'nobody@example.kz' }))).status);
      }
      expect(statuses).toEqual([303, 303, 429]);
    } finally {
      await limited.stop();
    }
  });
});

describe('the status page: certificates, up to 3', () => {
  const current = (applicationId: number) =>
    database.prisma.applicationDocument.findMany({ where: { applicationId, kind: 'YOUTH_WORK_CERTIFICATE', replacedAt: null }, orderBy: { uploadedAt: 'asc' } });

  async function upload(agent: ReturnType<typeof supertest.agent>, link: string, kind: string, filename: string) {
    const page = await agent.get(link).expect(200);
    const action = /action="(\/status\/[^"]+\/documents\?_csrf=[^"]+)"/.exec(page.text)![1].replace(/&amp;/g, '&');
    return agent.post(action).attach(kind, pdfBytes, filename);
  }

  it('adds one file beside those there, refuses a fourth with a message, and removes one file on its own', async () => {
    const { application, confirmationLink } = await apply();
    const agent = supertest.agent(portal.app);
    expect((await current(application.id)).map((document) => document.originalName)).toEqual(['sertifikat-1.pdf', 'sertifikat-2.png']);

    expect((await upload(agent, confirmationLink, 'YOUTH_WORK_CERTIFICATE', 'sertifikat-3.pdf')).status).toBe(303);
    expect((await current(application.id)).map((document) => document.originalName)).toEqual(['sertifikat-1.pdf', 'sertifikat-2.png', 'sertifikat-3.pdf']);

    const fourth = await upload(agent, confirmationLink, 'YOUTH_WORK_CERTIFICATE', 'sertifikat-4.pdf');
    expect(fourth.status).toBe(422);
    expect(fourth.text).toContain('сначала удалите один из них');
    expect(await current(application.id)).toHaveLength(3);

    const second = (await current(application.id))[1];
    const page = await agent.get(confirmationLink).expect(200);
    expect(page.text).toContain(`/documents/${second.id}/remove`);
    await postForm(agent, `${confirmationLink}/documents/${second.id}/remove`, {}, { tokenFrom: confirmationLink }).expect(303);
    expect((await current(application.id)).map((document) => document.originalName)).toEqual(['sertifikat-1.pdf', 'sertifikat-3.pdf']);
    expect(await database.prisma.auditLogEntry.count({ where: { action: 'document.removed_by_applicant', entityId: String(application.id) } })).toBe(1);

  });

  it('never removes the last file of a document, nor a file of another application', async () => {
    const { application, confirmationLink } = await apply();
    const other = await apply();
    const agent = supertest.agent(portal.app);
    const [first, second] = await current(application.id);
    const [othersFile] = await current(other.application.id);
    await postForm(agent, `${confirmationLink}/documents/${othersFile.id}/remove`, {}, { tokenFrom: confirmationLink }).expect(303);
    expect(await current(other.application.id)).toHaveLength(2);
    await postForm(agent, `${confirmationLink}/documents/${first.id}/remove`, {}, { tokenFrom: confirmationLink }).expect(303);
    const refused = await postForm(agent, `${confirmationLink}/documents/${second.id}/remove`, {}, { tokenFrom: confirmationLink }).expect(303);
    expect(refused.headers.location).toBe(confirmationLink);
    expect((await current(application.id)).map((document) => document.id)).toEqual([second.id]);
    expect((await agent.get(confirmationLink)).text).toContain('Этот файл сейчас удалить нельзя.');
  });
});


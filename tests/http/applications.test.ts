import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { buildTestApp, csrfTokenIn, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { executablePretendingToBePdf, htmlPretendingToBePdf, pdfBytes, pdfOfSize } from '../helpers/document-fixtures.ts';
import { allEightDocuments, postApplication, regionIdOf, validFields } from '../helpers/application-form.ts';
import { encryptionOverheadBytes } from '../../src/features/documents/document-encryption.ts';

let database: Database;
let portal: TestPortal;
let uploadDir: string;
let astanaId: number;

const dayMs = 24 * 3_600_000;

/** The files in the documents folder, and any left where files are received and checked (there should be none). */
function storedFiles(): string[] {
  const list = (directory: string) => (fs.existsSync(directory) ? fs.readdirSync(directory) : []);
  return [...list(path.join(uploadDir, 'documents')), ...list(path.join(uploadDir, 'incoming')).map((name) => `../incoming/${name}`)];
}

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { MAX_FILE_MB: '0.05', MAX_APPLICATION_MB: '0.3', SUBMISSIONS_PER_IP_PER_HOUR: '1000', UPLOADS_PER_IP_PER_HOUR: '1000', BASE_URL: 'https://mentors.example.kz' } });
  database = portal.database;
  uploadDir = portal.uploadDir;
  astanaId = await regionIdOf(database.prisma, 'ASTANA');
});
afterAll(async () => {
  await portal.close();
});

describe('GET /apply', () => {
  it('shows the form with every field and one file field for each of the eight kinds', async () => {
    const response = await supertest(portal.app).get('/apply').expect(200);
    for (const field of ['fullName', 'birthDate', 'iin', 'phone', 'email', 'regionId', 'residenceMonths', 'occupation', 'organisation', 'education', 'experienceYears', 'experienceDescription', 'vulnerableYouthWork', 'motivation']) {
      expect(response.text).toContain(`<label for="${field}">`);
    }
    for (const kind of ['ID_CARD', 'EDUCATION_DIPLOMA', 'YOUTH_WORK_CERTIFICATE', 'RESIDENCE_PROOF', 'POLICE_CLEARANCE', 'NARCOLOGY_STATEMENT', 'PSYCHIATRY_STATEMENT', 'RECOMMENDATION_LETTER']) {
      expect(response.text).toContain(`name="${kind}"`);
    }
    expect(response.text).toContain('enctype="multipart/form-data"');
    expect(response.text).toMatch(/action="\/apply\?_csrf=[^"]+"/);
    expect(response.text).toContain('data-upload-progress');
  });
});

describe('POST /apply: a complete, eligible application', () => {
  it('is saved with its documents and an e-mail in the outbox, and confirmed with its number', async () => {
    const agent = supertest.agent(portal.app);
    const fields = validFields(astanaId, { email: 'Saule.N@Example.kz' });
    const response = await postApplication(agent, fields);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/apply/submitted');

    const confirmation = await agent.get('/apply/submitted').redirects(1).expect(200);
    const year = new Date().getUTCFullYear();
    expect(confirmation.text).toMatch(new RegExp(`ZM-${year}-\\d{5}`));
    expect(confirmation.text).toContain('saule.n@example.kz');

    const application = await database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { documents: true, outboxEmails: true, statusChanges: true, statusLinks: true } });
    expect(application.phone).toBe('+77011234567');
    expect(application.email).toBe('saule.n@example.kz');
    expect(application.status).toBe('SUBMITTED');
    expect(application.languages).toEqual(['kk', 'ru']);
    expect(application.documents).toHaveLength(9);
    expect(new Set(application.documents.map((document) => document.kind)).size).toBe(8);
    const sentBytes = new Map(allEightDocuments().map((attachment) => [attachment.filename, attachment.content]));
    for (const document of application.documents) {
      // Hashed as the bytes came in: the hash of exactly what was sent.
      expect(document.sha256).toBe(createHash('sha256').update(sentBytes.get(document.originalName)!).digest('hex'));
      expect(document.storedName).not.toContain(document.originalName);
      expect(fs.existsSync(path.join(uploadDir, 'documents', document.storedName))).toBe(true);
    }
    expect(application.documents.find((document) => document.kind === 'ID_CARD')?.mimeType).toBe('image/jpeg');
    expect(application.outboxEmails).toHaveLength(1);
    expect(application.outboxEmails[0].toAddress).toBe('saule.n@example.kz');
    expect(application.outboxEmails[0].textBody).toContain(application.number);
    expect(application.outboxEmails[0].textBody).toMatch(/https:\/\/mentors\.example\.kz\/status\/[A-Za-z0-9_-]{43}/);
    expect(application.statusChanges.map((change) => change.toStatus)).toEqual(['SUBMITTED']);

    // The token is never stored in clear.
    const token = /\/status\/([A-Za-z0-9_-]{43})/.exec(application.outboxEmails[0].textBody)![1];
    expect(application.statusLinks).toHaveLength(1);
    expect(application.statusLinks[0].tokenHash).not.toContain(token);
  });

  it('numbers applications one after another', async () => {
    const first = await postApplication(supertest.agent(portal.app), validFields(astanaId));
    const second = await postApplication(supertest.agent(portal.app), validFields(astanaId));
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    const numbers = (await database.prisma.application.findMany({ orderBy: { id: 'asc' }, select: { number: true } })).map((row) => Number(row.number.slice(-5)));
    expect(numbers.slice(-2)[1] - numbers.slice(-2)[0]).toBe(1);
  });
});

describe('POST /apply: rules, each with its message next to the field', () => {
  it.each([
    ['experienceYears', { experienceYears: '4' }, 'Для участия нужен стаж не менее 5 лет'],
    ['residenceMonths', { residenceMonths: '5' }, 'Для участия нужно прожить в регионе не менее 6 месяцев.'],
    ['declaresNotYouthGroupMember', { declaresNotYouthGroupMember: undefined }, 'Без этого заявления заявку принять нельзя'],
    ['declaresNotHostOrgHeadOrAccountant', { declaresNotHostOrgHeadOrAccountant: undefined }, 'Без этого заявления заявку принять нельзя'],
    ['consentsToDataProcessing', { consentsToDataProcessing: undefined }, 'Без согласия на обработку персональных данных'],
    ['iin', { iin: '900101300018' }, 'не сходится контрольная цифра'],
    ['iin', { iin: '90010130001' }, 'ИИН состоит ровно из 12 цифр.'],
    ['phone', { phone: '+1 202 555 0100' }, 'Укажите казахстанский номер телефона'],
    ['email', { email: 'saule-at-example' }, 'Укажите адрес электронной почты'],
    ['fullName', { fullName: '  ' }, 'Заполните это поле.'],
    ['languages', { languages: undefined }, 'Отметьте хотя бы один язык.'],
  ])('%s: %j', async (field, overrides, message) => {
    const before = await database.prisma.application.count();
    const response = await postApplication(supertest.agent(portal.app), validFields(astanaId, overrides as Record<string, string | undefined>));
    expect(response.status).toBe(422);
    expect(response.text).toContain(`id="${field}-error"`);
    expect(response.text).toContain(message);
    expect(await database.prisma.application.count()).toBe(before);
  });

  it('names every problem in one round: formats, programme rules and documents together', async () => {
    const attachments = allEightDocuments().filter((attachment) => attachment.field !== 'POLICE_CLEARANCE');
    const fields = validFields(astanaId, { phone: '12345', experienceYears: '4', residenceMonths: '5', declaresNotYouthGroupMember: undefined });
    const response = await postApplication(supertest.agent(portal.app), fields, attachments);
    expect(response.status).toBe(422);
    for (const field of ['phone', 'experienceYears', 'residenceMonths', 'declaresNotYouthGroupMember', 'POLICE_CLEARANCE']) {
      expect(response.text, field).toContain(`id="${field}-error"`);
    }
  });

  it('keeps what was typed after an error', async () => {
    const response = await postApplication(supertest.agent(portal.app), validFields(astanaId, { experienceYears: '2', fullName: 'Ерлан <b>Тестов</b>' }));
    expect(response.status).toBe(422);
    expect(response.text).toContain('value="Ерлан &lt;b&gt;Тестов&lt;/b&gt;"');
    expect(response.text).not.toContain('<b>Тестов</b>');
  });

  it('refuses an IIN that does not match the date of birth', async () => {
    const fields = validFields(astanaId);
    const response = await postApplication(supertest.agent(portal.app), { ...fields, birthDate: '1970-01-01' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('ИИН не совпадает с датой рождения');
  });

  it('refuses a region outside the cohort', async () => {
    const outside = await database.prisma.region.create({ data: { code: 'TURKISTAN', nameRu: 'Туркестанская область', nameKk: 'Түркістан облысы', nameEn: 'Turkistan Region', sortOrder: 9 } });
    const response = await postApplication(supertest.agent(portal.app), validFields(outside.id));
    expect(response.status).toBe(422);
    expect(response.text).toContain('Этот регион не участвует в текущем наборе');
  });

  it('refuses a second application with the same IIN in the cohort', async () => {
    const fields = validFields(astanaId);
    expect((await postApplication(supertest.agent(portal.app), fields)).status).toBe(303);
    const again = await postApplication(supertest.agent(portal.app), { ...fields, email: 'other@example.kz' });
    expect(again.status).toBe(422);
    expect(again.text).toContain('Заявка с этим ИИН в этом наборе уже подана');
    expect(again.text).toContain('href="/status/lost-link"');
  });

  it('refuses the IIN of a registered youth-group member', async () => {
    const participant = await database.prisma.groupParticipant.findFirstOrThrow({ where: { iin: { not: null } } });
    const birth = `${Number(participant.iin!.slice(6, 7)) >= 5 ? '20' : '19'}${participant.iin!.slice(0, 2)}-${participant.iin!.slice(2, 4)}-${participant.iin!.slice(4, 6)}`;
    const response = await postApplication(supertest.agent(portal.app), validFields(astanaId, { iin: participant.iin!, birthDate: birth }));
    expect(response.status).toBe(422);
    expect(response.text).toContain('id="iin-error"');
    expect(response.text).toContain('Заявку с этим ИИН принять нельзя');
    // Nothing says the person is in a youth group, nor which one.
    expect(response.text).not.toMatch(/молод[её]жн[а-я]* групп/i);
    const group = await database.prisma.youthGroup.findUniqueOrThrow({ where: { id: participant.groupId } });
    expect(response.text).not.toContain(group.name);
  });

  it('tells a stranger nothing about an IIN from a form that is not complete (no oracle)', async () => {
    const participant = await database.prisma.groupParticipant.findFirstOrThrow({ where: { iin: { not: null } } });
    const birth = `${Number(participant.iin!.slice(6, 7)) >= 5 ? '20' : '19'}${participant.iin!.slice(0, 2)}-${participant.iin!.slice(2, 4)}-${participant.iin!.slice(4, 6)}`;
    const applied = validFields(astanaId);
    expect((await postApplication(supertest.agent(portal.app), applied)).status).toBe(303);
    for (const fields of [validFields(astanaId, { iin: participant.iin!, birthDate: birth }), { ...applied, email: 'probe@example.kz' }]) {
      // No documents: the form is refused for them, and the IIN field has no word to say.
      const response = await postApplication(supertest.agent(portal.app), fields, []);
      expect(response.status).toBe(422);
      expect(response.text).toContain('id="ID_CARD-error"');
      expect(response.text).not.toContain('id="iin-error"');
    }
  });

  it('asks for every required document that is missing', async () => {
    const attachments = allEightDocuments().filter((attachment) => attachment.field !== 'POLICE_CLEARANCE');
    const response = await postApplication(supertest.agent(portal.app), validFields(astanaId), attachments);
    expect(response.status).toBe(422);
    expect(response.text).toContain('id="POLICE_CLEARANCE-error"');
  });

  it('answers in Kazakh when the form was used in Kazakh', async () => {
    const agent = supertest.agent(portal.app);
    await agent.get('/?lang=kk');
    const response = await postApplication(agent, validFields(astanaId, { experienceYears: '1' }));
    expect(response.status).toBe(422);
    expect(response.text).toContain('<html lang="kk"');
    expect(response.text).not.toContain('Для участия нужен стаж');
  });
});

describe('POST /apply: files', () => {
  it.each([
    ['an HTML page named .pdf', htmlPretendingToBePdf],
    ['an executable named .pdf', executablePretendingToBePdf],
  ])('refuses %s by its content and keeps no copy', async (_name, content) => {
    const before = storedFiles().length;
    const attachments = allEightDocuments().map((attachment) => (attachment.field === 'EDUCATION_DIPLOMA' ? { ...attachment, content } : attachment));
    const response = await postApplication(supertest.agent(portal.app), validFields(astanaId), attachments);
    expect(response.status).toBe(422);
    expect(response.text).toContain('id="EDUCATION_DIPLOMA-error"');
    expect(response.text).toContain('Этот файл не PDF, JPEG или PNG');
    // The good files are held for the next attempt; the impostor is gone.
    const held = storedFiles().length - before;
    expect(held).toBe(allEightDocuments().length - 1);
  });

  it('refuses a file over the size limit with a clear message and keeps nothing of it (the other files are held)', async () => {
    const attachments = allEightDocuments().map((attachment) => (attachment.field === 'ID_CARD' ? { ...attachment, content: pdfOfSize(80 * 1024), filename: 'big.pdf' } : attachment));
    const before = storedFiles().length;
    const response = await postApplication(supertest.agent(portal.app), validFields(astanaId), attachments);
    expect(response.status).toBe(422);
    expect(response.text).toContain('Файл слишком большой.');
    expect(response.text).not.toContain('big.pdf');
    expect(storedFiles().length).toBe(before + allEightDocuments().length - 1);
  });

  it('refuses more certificates than allowed', async () => {
    const attachments = [...allEightDocuments(), ...Array.from({ length: 3 }, (_, index) => ({ field: 'YOUTH_WORK_CERTIFICATE', content: pdfBytes, filename: `extra-${index}.pdf` }))];
    const response = await postApplication(supertest.agent(portal.app), validFields(astanaId), attachments);
    expect(response.status).toBe(422);
    expect(response.text).toContain('Слишком много файлов для этого документа.');
  });

  it('refuses an application whose files together are over the limit', async () => {
    const attachments = allEightDocuments().map((attachment) => ({ ...attachment, content: pdfOfSize(45 * 1024), filename: `${attachment.field}.pdf` }));
    const response = await postApplication(supertest.agent(portal.app), validFields(astanaId), attachments);
    expect(response.status).toBe(422);
    expect(response.text).toContain('Все файлы вместе слишком большие');
  });

  it('keeps the checked files of a failed attempt, so the corrected form needs none again', async () => {
    const agent = supertest.agent(portal.app);
    const fields = validFields(astanaId, { residenceMonths: '3' });
    const failed = await postApplication(agent, fields);
    expect(failed.status).toBe(422);
    expect(failed.text).toContain('Уже прикреплено');
    expect(failed.text).toContain('diplom.pdf');
    const fixed = await postApplication(agent, { ...fields, residenceMonths: '30' }, []);
    expect(fixed.status).toBe(303);
    const application = await database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { documents: true } });
    expect(application.documents).toHaveLength(9);
  });

  it('keeps at most the bytes of one application between attempts, and deletes the rest at once', async () => {
    const before = new Set(storedFiles());
    const attachments = allEightDocuments().map((attachment) => ({ ...attachment, content: pdfOfSize(45 * 1024), filename: `${attachment.field}.pdf` }));
    const response = await postApplication(supertest.agent(portal.app), validFields(astanaId), attachments);
    expect(response.status).toBe(422);
    const left = storedFiles().filter((name) => !before.has(name));
    const leftBytes = left.reduce((sum, name) => sum + fs.statSync(path.join(uploadDir, 'documents', name)).size, 0);
    expect(left.length).toBeGreaterThan(0);
    expect(left.length).toBeLessThan(attachments.length);
    expect(leftBytes).toBeLessThanOrEqual(0.3 * 1024 * 1024);
  });

  it('asks again for a kept file that was cleared away meanwhile, instead of saving a document without its file', async () => {
    const agent = supertest.agent(portal.app);
    const fields = validFields(astanaId, { residenceMonths: '3' });
    const before = new Set(storedFiles());
    const policeClearance = pdfOfSize(3_333);
    const attachments = allEightDocuments().map((attachment) => (attachment.field === 'POLICE_CLEARANCE' ? { ...attachment, content: policeClearance } : attachment));
    expect((await postApplication(agent, fields, attachments)).status).toBe(422);
    const kept = storedFiles().filter((name) => !before.has(name) && fs.statSync(path.join(uploadDir, 'documents', name)).size === policeClearance.length + encryptionOverheadBytes);
    expect(kept).toHaveLength(1);
    fs.rmSync(path.join(uploadDir, 'documents', kept[0])); // as the sweep does to an attempt left for too long
    const fixed = await postApplication(agent, { ...fields, residenceMonths: '30' }, []);
    expect(fixed.status).toBe(422);
    expect(fixed.text).toContain('id="POLICE_CLEARANCE-error"');
  });

  it('refuses a multipart post without the CSRF token before writing any file', async () => {
    const before = storedFiles().length;
    const response = await postApplication(supertest.agent(portal.app), validFields(astanaId), allEightDocuments(), { withCsrf: false });
    expect(response.status).toBe(403);
    expect(storedFiles().length).toBe(before);
  });
});

describe('POST /apply: one transaction', () => {
  it('leaves no application, no document rows and no files when saving fails half-way', async () => {
    // Make the last write of the transaction (the outbox e-mail) fail.
    await database.prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION fail_outbox() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'outbox unavailable'; END $$ LANGUAGE plpgsql`);
    await database.prisma.$executeRawUnsafe(`CREATE TRIGGER fail_outbox BEFORE INSERT ON "OutboxEmail" FOR EACH ROW EXECUTE FUNCTION fail_outbox()`);
    try {
      const applications = await database.prisma.application.count();
      const documents = await database.prisma.applicationDocument.count();
      const files = storedFiles().length;
      const response = await postApplication(supertest.agent(portal.app), validFields(astanaId));
      expect(response.status).toBe(500);
      expect(await database.prisma.application.count()).toBe(applications);
      expect(await database.prisma.applicationDocument.count()).toBe(documents);
      expect(storedFiles().length).toBe(files);
    } finally {
      await database.prisma.$executeRawUnsafe('DROP TRIGGER fail_outbox ON "OutboxEmail"');
      await database.prisma.$executeRawUnsafe('DROP FUNCTION fail_outbox()');
    }
  });
});

describe('the application window', () => {
  async function withCohortWindow(opensInDays: number, closesInDays: number, run: () => Promise<void>) {
    const cohort = await database.prisma.cohort.findFirstOrThrow();
    const original = { applicationOpensAt: cohort.applicationOpensAt, applicationClosesAt: cohort.applicationClosesAt };
    await database.prisma.cohort.update({ where: { id: cohort.id }, data: { applicationOpensAt: new Date(Date.now() + opensInDays * dayMs), applicationClosesAt: new Date(Date.now() + closesInDays * dayMs) } });
    try {
      await run();
    } finally {
      await database.prisma.cohort.update({ where: { id: cohort.id }, data: original });
    }
  }

  it('before it opens: says when it opens and accepts nothing, also when posted to directly', async () => {
    await withCohortWindow(10, 40, async () => {
      const page = await supertest(portal.app).get('/apply?lang=en').expect(200);
      expect(page.text).toContain('The next window opens on');
      expect(page.text).not.toContain('enctype="multipart/form-data"');
      const agent = supertest.agent(portal.app);
      const token = csrfTokenIn((await agent.get('/login')).text);
      const before = storedFiles().length;
      const applications = await database.prisma.application.count();
      let request = agent.post(`/apply?_csrf=${token}`);
      for (const [name, value] of Object.entries(validFields(astanaId))) if (typeof value === 'string') request = request.field(name, value);
      const response = await request.attach('ID_CARD', pdfBytes, 'id.pdf');
      expect(response.status).toBe(403);
      expect(await database.prisma.application.count()).toBe(applications);
      expect(storedFiles().length).toBe(before);
    });
  });

  it('after it closed, with none planned: says so', async () => {
    await withCohortWindow(-40, -1, async () => {
      // With a query: a visitor's /apply may be the page kept for a few seconds (visitor-page-cache.ts).
      const page = await supertest(portal.app).get('/apply?lang=ru').expect(200);
      expect(page.text).toContain('следующий приём пока не запланирован');
    });
  });
});

describe('the status page (secret link)', () => {
  async function submitAndGetToken(overrides: Record<string, string> = {}) {
    const fields = validFields(astanaId, overrides);
    expect((await postApplication(supertest.agent(portal.app), fields)).status).toBe(303);
    const application = await database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { outboxEmails: true } });
    const token = /\/status\/([A-Za-z0-9_-]{43})/.exec(application.outboxEmails[0].textBody)![1];
    return { application, token };
  }

  it('shows the status, the number and the documents', async () => {
    const { application, token } = await submitAndGetToken();
    const page = await supertest(portal.app).get(`/status/${token}`).expect(200);
    expect(page.text).toContain(application.number);
    expect(page.text).toContain('Подана');
    expect(page.text).toContain('diplom.pdf');
    expect(page.text).toContain('ещё не проверен');
    expect(page.headers['cache-control']).toContain('no-store');
  });

  it('answers a wrong, a malformed and an expired link with the same friendly page', async () => {
    const { application, token } = await submitAndGetToken();
    const wrong = await supertest(portal.app).get(`/status/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`).expect(404);
    const malformed = await supertest(portal.app).get('/status/..%2F..%2Fetc%2Fpasswd').expect(404);
    await database.prisma.application.update({ where: { id: application.id }, data: { statusTokenExpiresAt: new Date(Date.now() - 1000) } });
    const expired = await supertest(portal.app).get(`/status/${token}`).expect(404);
    for (const response of [wrong, malformed, expired]) {
      expect(response.text).toContain('Ссылка не работает');
      expect(response.text).not.toContain(application.number);
    }
  });

  it('lets the applicant replace a document while the window is open', async () => {
    const { application, token } = await submitAndGetToken();
    const agent = supertest.agent(portal.app);
    const page = await agent.get(`/status/${token}`).expect(200);
    const action = /action="(\/status\/[^"]+\/documents\?_csrf=[^"]+)"/.exec(page.text)![1].replace(/&amp;/g, '&');
    const response = await agent.post(action).attach('POLICE_CLEARANCE', pdfBytes, 'nesudimost-novaya.pdf');
    expect(response.status).toBe(303);
    const documents = await database.prisma.applicationDocument.findMany({ where: { applicationId: application.id, kind: 'POLICE_CLEARANCE' } });
    expect(documents.filter((document) => document.replacedAt === null).map((document) => document.originalName)).toEqual(['nesudimost-novaya.pdf']);
    expect(documents.filter((document) => document.replacedAt !== null)).toHaveLength(1);
    const after = await agent.get(`/status/${token}`).expect(200);
    expect(after.text).toContain('Документы загружены.');
  });

  it('after the window, accepts only the documents the committee asked for', async () => {
    const { application, token } = await submitAndGetToken();
    await database.prisma.documentRequest.create({ data: { applicationId: application.id, kind: 'POLICE_CLEARANCE', message: 'Скан нечитаем' } });
    const cohort = await database.prisma.cohort.findFirstOrThrow();
    await database.prisma.cohort.update({ where: { id: cohort.id }, data: { applicationClosesAt: new Date(Date.now() - 1000) } });
    try {
      const agent = supertest.agent(portal.app);
      const page = await agent.get(`/status/${token}`).expect(200);
      expect(page.text).toContain('Скан нечитаем');
      expect(page.text).toContain('name="POLICE_CLEARANCE"');
      expect(page.text).not.toContain('name="ID_CARD"');
      const action = /action="(\/status\/[^"]+\/documents\?_csrf=[^"]+)"/.exec(page.text)![1].replace(/&amp;/g, '&');
      const refused = await agent.post(action).attach('ID_CARD', pdfBytes, 'id.pdf');
      expect(refused.status).toBe(422);
      const accepted = await agent.post(action).attach('POLICE_CLEARANCE', pdfBytes, 'nesudimost-2.pdf');
      expect(accepted.status).toBe(303);
      const request = await database.prisma.documentRequest.findFirstOrThrow({ where: { applicationId: application.id } });
      expect(request.fulfilledAt).not.toBeNull();
    } finally {
      await database.prisma.cohort.update({ where: { id: cohort.id }, data: { applicationClosesAt: cohort.applicationClosesAt } });
    }
  });

  it('withdraws the application after a confirmation, and only once', async () => {
    const { application, token } = await submitAndGetToken();
    const agent = supertest.agent(portal.app);
    const confirm = await agent.get(`/status/${token}/withdraw`).expect(200);
    expect(confirm.text).toContain('Вы действительно хотите отозвать заявку');
    await agent.post(`/status/${token}/withdraw`).type('form').send({ _csrf: csrfTokenIn(confirm.text) }).expect(303).expect('Location', '/status/withdrawn');
    const done = await agent.get('/status/withdrawn').expect(200);
    expect(done.text).toContain(`Заявка ${application.number} отозвана.`);
    // Shown once: a reload does not tell a later reader of this browser which application it was.
    await agent.get('/status/withdrawn').expect(303);
    const audit = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { action: 'application.withdrawn', entityId: String(application.id) } });
    expect(audit.details).toEqual({ from: 'SUBMITTED' });
    const updated = await database.prisma.application.findUniqueOrThrow({ where: { id: application.id }, include: { statusChanges: true } });
    expect(updated.status).toBe('WITHDRAWN');
    expect(updated.statusChanges.map((change) => change.toStatus)).toEqual(['SUBMITTED', 'WITHDRAWN']);
    // Withdrawal ends the links: a second withdrawal finds nothing to withdraw.
    await agent.post(`/status/${token}/withdraw`).type('form').send({ _csrf: csrfTokenIn(confirm.text) }).expect(404);
    expect((await database.prisma.applicationStatusChange.count({ where: { applicationId: application.id } }))).toBe(2);
  });

  it('refuses to withdraw a decided application and says so', async () => {
    const { application, token } = await submitAndGetToken();
    await database.prisma.application.update({ where: { id: application.id }, data: { status: 'SELECTED' } });
    const agent = supertest.agent(portal.app);
    // A decided application's page offers no withdrawal; the form was opened before the decision.
    const page = await agent.get('/status/lost-link').expect(200);
    await agent.post(`/status/${token}/withdraw`).type('form').send({ _csrf: csrfTokenIn(page.text) }).expect(303).expect('Location', `/status/${token}`);
    expect((await agent.get(`/status/${token}`)).text).toContain('Эту заявку уже нельзя отозвать.');
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('SELECTED');
  });

  it('refuses a withdrawal without the CSRF token', async () => {
    const { token } = await submitAndGetToken();
    await supertest(portal.app).post(`/status/${token}/withdraw`).type('form').send({}).expect(403);
  });
});

describe('rate limit on submissions', () => {
  it('answers 429 with a clear message after the hourly limit', async () => {
    const limited = await buildTestApp(database, { UPLOAD_DIR: uploadDir, SUBMISSIONS_PER_IP_PER_HOUR: '2' });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect((await postApplication(supertest.agent(limited.app), validFields(astanaId, { experienceYears: '1' }), [])).status).toBe(422);
    }
    const blocked = await postApplication(supertest.agent(limited.app), validFields(astanaId), []);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Слишком много отправок');
    await limited.stop();
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { postApplication, regionIdOf, validFields } from '../helpers/application-form.ts';
import { loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let portal: TestPortal;
let database: Database;
let astanaId: number;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { SUBMISSIONS_PER_IP_PER_HOUR: '1000', BASE_URL: 'https://mentors.example.kz' } });
  database = portal.database;
  astanaId = await regionIdOf(database.prisma, 'ASTANA');
});
afterAll(async () => {
  await portal.close();
});

async function apply(regionId = astanaId) {
  const fields = validFields(regionId);
  expect((await postApplication(supertest.agent(portal.app), fields)).status).toBe(303);
  const application = await database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { outboxEmails: true } });
  const link = /\/status\/[A-Za-z0-9_-]{43}/.exec(application.outboxEmails[0].textBody)![0];
  return { application, link };
}

describe('the programme\'s contact', () => {
  it('is on the public pages, the form, error pages and the status page, in every language', async () => {
    for (const path of ['/', '/about', '/faq', '/privacy', '/apply', '/status/lost-link', '/no-such-page', '/status/not-a-real-link']) {
      for (const language of ['ru', 'kk', 'en']) {
        const page = await supertest(portal.app).get(`${path}${path.includes('?') ? '&' : '?'}lang=${language}`);
        expect(page.text, `${path} ${language}`).toContain('href="mailto:mentors@zhas.local"');
        expect(page.text, `${path} ${language}`).toContain('+7 7172 55 00 00');
      }
    }
    const { link } = await apply();
    expect((await supertest(portal.app).get(link).expect(200)).text).toContain('href="mailto:mentors@zhas.local"');
  });

  it('ends every e-mail, text and HTML', async () => {
    const { application } = await apply();
    const [received] = application.outboxEmails;
    expect(received.textBody).toContain('Контакты программы: mentors@zhas.local, +7 7172 55 00 00');
    expect(received.htmlBody).toContain('mailto:mentors@zhas.local');
  });

  it('can be a region\'s own, set by the coordinator: its applicants see it on their page and in their e-mails', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const region = await database.prisma.region.findUniqueOrThrow({ where: { id: astanaId } });
    await postForm(coordinator, `/admin/regions/${astanaId}`, {
      code: region.code, nameRu: region.nameRu, nameKk: region.nameKk, nameEn: region.nameEn, isActive: 'yes', sortOrder: String(region.sortOrder),
      contactEmail: 'astana@zhas.local', contactPhone: '+7 7172 11 22 33',
    }).expect(303);
    const { application, link } = await apply();
    const page = await supertest(portal.app).get(link).expect(200);
    expect(page.text).toContain('href="mailto:astana@zhas.local"');
    expect(application.outboxEmails[0].textBody).toContain('astana@zhas.local, +7 7172 11 22 33');

    const chair = await loginAs(portal.app, 'chair');
    await postForm(chair, `/committee/applications/${application.id}/request-document`, { kind: 'POLICE_CLEARANCE' }).expect(303);
    const request = await database.prisma.outboxEmail.findFirstOrThrow({ where: { applicationId: application.id, template: 'document-requested', channel: 'EMAIL' } });
    expect(request.textBody).toContain('astana@zhas.local');

    // Applicants of another region keep the cohort's contact.
    const almaty = await apply(await regionIdOf(database.prisma, 'ALMATY'));
    expect(almaty.application.outboxEmails[0].textBody).toContain('mentors@zhas.local');
  });
});

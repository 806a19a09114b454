import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postApplication, regionIdOf, validFields } from '../helpers/application-form.ts';
import { postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let portal: TestPortal;
let astanaId: number;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { SUBMISSIONS_PER_IP_PER_HOUR: '1000' } });
  astanaId = await regionIdOf(portal.database.prisma, 'ASTANA');
});
afterAll(async () => {
  await portal.close();
});

async function submit() {
  const agent = supertest.agent(portal.app);
  const fields = validFields(astanaId);
  expect((await postApplication(agent, fields)).status).toBe(303);
  const application = await portal.database.prisma.application.findFirstOrThrow({ where: { iin: fields.iin as string }, include: { outboxEmails: true } });
  const statusPath = /\/status\/[A-Za-z0-9_-]{43}/.exec(application.outboxEmails[0].textBody)![0];
  return { agent, application, statusPath };
}

describe('the confirmation of a submission', () => {
  it('survives a reload, a language switch and a display-preference change, stays out of caches, and takes the raw token out of the session', async () => {
    const { agent, application, statusPath } = await submit();
    const sent = await agent.get('/apply/submitted').expect(303);
    const confirmationPath = `${statusPath}/confirmation`;
    expect(sent.headers.location).toBe(confirmationPath);
    const first = await agent.get(confirmationPath).expect(200);
    expect(first.text).toContain(application.number);
    expect(first.headers['cache-control']).toContain('no-store');
    expect((await agent.get(confirmationPath).expect(200)).text).toContain(application.number);
    const kazakh = await agent.get(`${confirmationPath}?lang=kk`).expect(200);
    expect(kazakh.text).toContain('Өтінім жіберілді');
    expect(kazakh.text).toContain(application.number);
    const display = await agent.get(`/preferences/display?fontSize=large&return=${encodeURIComponent(confirmationPath)}`).expect(303);
    expect(display.headers.location).toBe(confirmationPath);
    expect((await agent.get(confirmationPath).expect(200)).text).toContain(application.number);
    // The session no longer holds the token: the form's confirmation address now leads back to the form.
    expect((await agent.get('/apply/submitted').expect(303)).headers.location).toBe('/apply');
    const token = statusPath.slice('/status/'.length);
    const sessions = await portal.database.prisma.session.findMany({ select: { data: true } });
    expect(sessions.some((session) => session.data.includes(token))).toBe(false);
  });

  it('is nobody else\'s: another browser is sent to the form', async () => {
    await submit();
    const stranger = await supertest(portal.app).get('/apply/submitted').expect(303);
    expect(stranger.headers.location).toBe('/apply');
  });

  it('is reached again from the status page, printable, until the application is withdrawn', async () => {
    const { application, statusPath } = await submit();
    const status = await supertest(portal.app).get(statusPath).expect(200);
    expect(status.text).toContain(`href="${statusPath}/confirmation"`);
    const again = await supertest(portal.app).get(`${statusPath}/confirmation?lang=en`).expect(200);
    expect(again.text).toContain('Application sent');
    expect(again.text).toContain(application.number);
    expect(again.text).toContain(application.email);
    expect(again.headers['cache-control']).toContain('no-store');
    expect(again.text).toContain('href="/static/css/print.css" media="print"');

    await postForm(supertest.agent(portal.app), `${statusPath}/withdraw`, {}, { tokenFrom: `${statusPath}/withdraw` }).expect(303);
    await supertest(portal.app).get(`${statusPath}/confirmation`).expect(404);
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { formatDate } from '../../src/lib/dates.ts';
import { buildTestApp, loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let database: Database;
let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
});
afterAll(async () => {
  await portal.close();
});

describe('GET /', () => {
  it('is in Russian by default, even for a browser asking for English, with the apply button and the open window', async () => {
    const response = await supertest(portal.app).get('/').set('Accept-Language', 'en-US,en').expect(200);
    expect(response.text).toContain('<html lang="ru"');
    expect(response.text).toContain('Хочу стать ментором');
    expect(response.text).toMatch(/href="\/apply"/);
    expect(response.text).not.toContain('Сейчас заявки не принимаются');
  });

  it('has the navigation of the source site and the display controls', async () => {
    const response = await supertest(portal.app).get('/').expect(200);
    for (const label of ['Главная', 'О программе', 'Менторы', 'Подать заявку', 'Вопросы и ответы', 'Войти']) expect(response.text).toContain(label);
    expect(response.text).toContain('/preferences/display?fontSize=large');
    expect(response.text).toContain('/preferences/display?colourScheme=contrast');
  });

  it('does not start a session for a visitor who only reads', async () => {
    const response = await supertest(portal.app).get('/').expect(200);
    expect(response.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringContaining('zhas.sid')]));
  });

  it('shows a signed-in user their own page even right after visitors were served the cached one', async () => {
    await supertest(portal.app).get('/').expect(200);
    const visitor = await supertest(portal.app).get('/').expect(200);
    expect(visitor.text).toContain('Войти');
    const member = await loginAs(portal.app, 'member');
    const signedIn = await member.get('/').expect(200);
    expect(signedIn.text).not.toContain(visitor.text);
    expect(signedIn.text).toMatch(/name="_csrf"/);
  });

  it('sends security headers', async () => {
    const response = await supertest(portal.app).get('/').expect(200);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});

describe('language switcher', () => {
  it('switches to Kazakh and remembers the choice on the next page', async () => {
    const agent = supertest.agent(portal.app);
    const kazakh = await agent.get('/?lang=kk').expect(200);
    expect(kazakh.text).toContain('<html lang="kk"');
    expect(kazakh.text).toContain('Тәлімгер болғым келеді');
    const next = await agent.get('/faq').expect(200);
    expect(next.text).toContain('<html lang="kk"');
    const english = await agent.get('/about?lang=en').expect(200);
    expect(english.text).toContain('<html lang="en"');
    expect((await agent.get('/').expect(200)).text).toContain('I want to become a mentor');
  });

  it('ignores an unknown language and stays in Russian', async () => {
    const response = await supertest(portal.app).get('/?lang=xx').expect(200);
    expect(response.text).toContain('<html lang="ru"');
  });
});

describe('GET /about and GET /faq', () => {
  it.each(['ru', 'kk', 'en'])('FAQ in %s has all ten questions', async (language) => {
    const response = await supertest(portal.app).get(`/faq?lang=${language}`).expect(200);
    for (let index = 1; index <= 10; index += 1) expect(response.text).toContain(`id="q${index}"`);
  });

  it('FAQ answers carry the programme facts', async () => {
    const response = await supertest(portal.app).get('/faq?lang=en').expect(200);
    expect(response.text).toContain('200');
    expect(response.text).toMatch(/5 years/);
    expect(response.text).toMatch(/6 months/);
  });

  it.each(['ru', 'kk', 'en'])('FAQ in %s and the home page give the current cohort\'s own dates, not 2019\'s', async (language) => {
    const cohort = await portal.database.prisma.cohort.findFirstOrThrow({ orderBy: { applicationOpensAt: 'desc' } });
    const faq = await supertest(portal.app).get(`/faq?lang=${language}`).expect(200);
    const answers = (index: number) => new RegExp(`id="q${index}"[\\s\\S]*?</details>`).exec(faq.text)![0];
    for (const date of [cohort.applicationOpensAt, cohort.applicationClosesAt]) expect(answers(8)).toContain(formatDate(date, language));
    expect(answers(9)).toContain(formatDate(cohort.resultsAt, language));
    expect(answers(8) + answers(9)).not.toContain('2019');
    const home = await supertest(portal.app).get(`/?lang=${language}`).expect(200);
    expect(home.text).toContain(formatDate(cohort.resultsAt, language));
  });

  it.each([
    ['ru', 'Персональные данные', 'Кто их видит'],
    ['kk', 'Дербес деректер', 'Оларды кім көреді'],
    ['en', 'Personal data', 'Who sees it'],
  ])('the privacy page in %s says what is collected, why, who sees it and how long it is kept; the footer and the consent link to it', async (language, title, who) => {
    const page = await supertest(portal.app).get(`/privacy?lang=${language}`).expect(200);
    expect(page.text).toContain(title);
    expect(page.text).toContain(who);
    for (const section of ['what', 'why', 'who', 'how', 'keep', 'rights']) expect(page.text).toContain(`id="privacy-${section}"`);
    expect((await supertest(portal.app).get(`/about?lang=${language}`)).text).toContain('href="/privacy"');
    const form = await supertest(portal.app).get(`/apply?lang=${language}`).expect(200);
    const consent = /id="consentsToDataProcessing"[\s\S]*?<\/div>/.exec(form.text)![0];
    expect(consent).toContain('href="/privacy"');
  });

  it('about page explains mentorship', async () => {
    const response = await supertest(portal.app).get('/about?lang=en').expect(200);
    expect(response.text).toMatch(/coaching/i);
  });
});

describe('GET /apply', () => {
  it('is the form of the open cohort, with the eight documents and the regions', async () => {
    const response = await supertest(portal.app).get('/apply').expect(200);
    expect(response.text).toContain('Заявка на участие в программе в качестве ментора');
    expect(response.text).toContain('Справка из наркологического диспансера');
    expect(response.text).toContain('город Астана');
  });
});

describe('display preferences', () => {
  it('remembers a large font and high contrast across pages', async () => {
    const agent = supertest.agent(portal.app);
    await agent.get('/preferences/display?fontSize=large&return=/faq').expect(303).expect('Location', '/faq');
    await agent.get('/preferences/display?colourScheme=contrast&return=/faq').expect(303);
    const page = await agent.get('/about').expect(200);
    expect(page.text).toContain('class="font-large scheme-contrast"');
  });

  it('never redirects to another site', async () => {
    await supertest(portal.app).get('/preferences/display?fontSize=larger&return=//evil.example/x').expect(303).expect('Location', '/');
    await supertest(portal.app).get('/preferences/display?fontSize=larger&return=https://evil.example').expect(303).expect('Location', '/');
  });

  it('ignores unknown values', async () => {
    const agent = supertest.agent(portal.app);
    await agent.get('/preferences/display?fontSize=gigantic').expect(303);
    expect((await agent.get('/').expect(200)).text).toContain('class="font-normal scheme-default"');
  });
});

describe('errors', () => {
  it('answers an unknown page with a friendly 404 in the chosen language', async () => {
    const response = await supertest(portal.app).get('/no-such-page?lang=en').expect(404);
    expect(response.text).toContain('Page not found');
  });

  it('answers a server failure with a 500 page that leaks nothing', async () => {
    const failure = () => Promise.reject(new Error('SECRET-DETAIL relation "cohort" does not exist'));
    const brokenPrisma = new Proxy({}, { get: (_target, property) => (property === '$connect' ? () => Promise.resolve() : new Proxy({}, { get: () => failure })) });
    const brokenPortal = await buildTestApp({ ...database, prisma: brokenPrisma as Database['prisma'] });
    const response = await supertest(brokenPortal.app).get('/').expect(500);
    expect(response.text).toContain('Что-то пошло не так');
    expect(response.text).not.toContain('SECRET-DETAIL');
    expect(response.text).not.toMatch(/at .*\.ts:\d+/);
    expect(response.text).toContain(response.headers['x-request-id']);
    await brokenPortal.stop();
  });

  it('answers with a friendly 503 while the database cannot be reached', async () => {
    const refused = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    const unreachable = new Proxy({}, { get: (_target, property) => (property === '$connect' ? () => Promise.resolve() : new Proxy({}, { get: () => refused })) });
    const downPortal = await buildTestApp({ ...database, prisma: unreachable as Database['prisma'] });
    const response = await supertest(downPortal.app).get('/?lang=en').expect(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.text).toContain('Temporarily unavailable');
    expect(response.text).not.toContain('ECONNREFUSED');
    await downPortal.stop();
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenIn, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { demoLogins } from '../helpers/test-app.ts';

let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
});
afterAll(async () => {
  await portal.close();
});

const withoutToken = (html: string) => html.replaceAll(csrfTokenIn(html), '<token>');
const visitorCookie = (response: supertest.Response) => (response.headers['set-cookie'] as unknown as string[] | undefined)?.find((cookie) => cookie.startsWith('zhas.csrf='))?.split(';')[0];

describe('the application form and the login page, kept for visitors without a session', () => {
  for (const [path, language] of [['/apply', 'ru'], ['/apply', 'kk'], ['/apply', 'en'], ['/login', 'ru'], ['/login', 'kk'], ['/login', 'en']] as const) {
    it(`${path} in ${language}: each visitor gets the page exactly as rendered for her, with her own token`, async () => {
      const cookie = `lang=${language}`;
      // The first visitor's page is rendered (the portal keeps it); the next two are served from it.
      const rendered = await supertest(portal.app).get(path).set('Cookie', cookie).expect(200);
      const second = await supertest(portal.app).get(path).set('Cookie', cookie).expect(200);
      const third = await supertest(portal.app).get(path).set('Cookie', cookie).expect(200);
      expect(withoutToken(second.text)).toBe(withoutToken(rendered.text));
      expect(withoutToken(third.text)).toBe(withoutToken(rendered.text));
      expect(second.headers['content-type']).toBe(rendered.headers['content-type']);
      expect(second.headers['content-language']).toBe(language);
      // Her token makes the page hers: no shared cache may keep it for someone else.
      for (const response of [rendered, second]) expect(response.headers['cache-control']).toBe('private, no-cache');
      // Each visitor has a token of her own, in her signed cookie, and it is the one on her page.
      const tokens = [rendered, second, third].map((response) => csrfTokenIn(response.text));
      expect(new Set(tokens).size).toBe(3);
      for (const response of [second, third]) expect(visitorCookie(response)).toBeDefined();

      // A visitor coming back with her cookie gets her token again, and it is accepted.
      const again = await supertest(portal.app).get(path).set('Cookie', `${cookie}; ${visitorCookie(second)}`).expect(200);
      expect(csrfTokenIn(again.text)).toBe(tokens[1]);
      if (path === '/login') {
        const login = await supertest(portal.app).post('/login').set('Cookie', `${cookie}; ${visitorCookie(second)}`).type('form').send({ _csrf: tokens[1], email: demoLogins.mentor, password: 'not the password' });
        expect(login.status).not.toBe(403);
      }
    });
  }

  it('is kept for a few seconds, and not used for a page asked for with a query', async () => {
    await supertest(portal.app).get('/apply').set('Cookie', 'lang=en').expect(200);
    const cohort = await portal.database.prisma.cohort.findFirstOrThrow({ where: { applicationClosesAt: { gt: new Date() } }, orderBy: { applicationOpensAt: 'desc' } });
    await portal.database.prisma.cohort.update({ where: { id: cohort.id }, data: { name: `${cohort.name} (renamed)` } });
    // The next visitor gets the kept page: the new name shows within seconds, not at once.
    expect((await supertest(portal.app).get('/apply').set('Cookie', 'lang=en').expect(200)).text).not.toContain('(renamed)');
    expect((await supertest(portal.app).get('/apply?lang=en').expect(200)).text).toContain('(renamed)');
    await portal.database.prisma.cohort.update({ where: { id: cohort.id }, data: { name: cohort.name } });
  });
});

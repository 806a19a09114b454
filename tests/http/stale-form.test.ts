import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
});
afterAll(async () => {
  await portal.close();
});

describe('a form sent with a stale CSRF token or an expired session', () => {
  it('goes back to the page it came from, marked for refilling, with one sentence saying why', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const response = await coordinator
      .post('/admin/regions')
      .set('Host', 'portal.test')
      .set('Referer', 'http://portal.test/admin/regions/new?lang=kk')
      .type('form')
      .send({ _csrf: 'stale', code: 'TURKESTAN', nameRu: 'Туркестанская область' })
      .expect(303);
    expect(response.headers.location).toBe('/admin/regions/new?lang=kk&recovered=1');
    const page = await coordinator.get('/admin/regions/new?recovered=1').expect(200);
    expect(page.text).toContain('Ваша сессия истекла. Проверьте форму и нажмите «Отправить» ещё раз.');
    expect(await portal.database.prisma.region.count({ where: { code: 'TURKESTAN' } })).toBe(0);
  });

  it('of an applicant whose session is gone comes back too, the token never in the address', async () => {
    const response = await supertest(portal.app)
      .post('/apply?_csrf=old-token')
      .set('Host', 'portal.test')
      .set('Referer', 'http://portal.test/apply?_csrf=old-token')
      .field('fullName', 'Сауле Нурланова')
      .expect(303);
    expect(response.headers.location).toBe('/apply?recovered=1');
  });

  it('from another site, or with no page to go back to, is refused as before', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    await coordinator.post('/admin/regions').set('Host', 'portal.test').set('Referer', 'http://evil.example/form').type('form').send({ _csrf: 'stale' }).expect(403);
    await coordinator.post('/admin/regions').type('form').send({ _csrf: 'stale' }).expect(403);
  });
});

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

describe('a mentor can add the portal to her phone', () => {
  it('every page names a favicon and a web app manifest, whose icons are served', async () => {
    const page = await supertest(portal.app).get('/').expect(200);
    expect(page.text).toContain('<link rel="icon" href="/static/icons/zhas.svg" type="image/svg+xml">');
    expect(page.text).toContain('<link rel="manifest" href="/static/manifest.webmanifest">');
    const manifestResponse = await supertest(portal.app).get('/static/manifest.webmanifest').expect(200);
    expect(manifestResponse.headers['content-type']).toContain('application/manifest+json');
    const manifest = JSON.parse(manifestResponse.text);
    expect(manifest).toMatchObject({ short_name: 'Zhas', display: 'standalone', start_url: '/dashboard' });
    for (const icon of manifest.icons as { src: string; type: string }[]) {
      const served = await supertest(portal.app).get(icon.src).expect(200);
      expect(served.headers['content-type']).toContain(icon.type);
    }
    expect(manifest.icons.map((icon: { sizes: string }) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  });

  it('does not offer a signed-in mentor «Менторы → Подать заявку»; visitors still see it', async () => {
    const mentor = await loginAs(portal.app, 'mentor');
    expect((await mentor.get('/mentor').expect(200)).text).not.toContain('href="/apply"');
    expect((await supertest(portal.app).get('/').expect(200)).text).toContain('href="/apply"');
  });
});

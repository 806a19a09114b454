import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { visitorPageCache } from '../../src/http/visitor-page-cache.ts';
import type { Language } from '../../src/http/i18n.ts';

const viewsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-cache-views-'));
fs.writeFileSync(path.join(viewsDir, 'page.txt'), '');

/** A tiny app whose page says how many times it was rendered and in which language (cookie "lang"). */
function appWithCache(lifetimeMs: number, status = 200) {
  let renders = 0;
  const app = express();
  app.engine('txt', (_file, options, callback) => callback(null, `render ${(options as { n: number }).n} in ${(options as { lang: string }).lang}`));
  app.set('view engine', 'txt');
  app.set('views', viewsDir);
  app.use((request, response, next) => {
    request.language = (/lang=(\w+)/.exec(request.headers.cookie ?? '')?.[1] ?? 'ru') as Language;
    response.locals.lang = request.language;
    response.locals.fontSize = 'normal';
    response.locals.colourScheme = 'default';
    next();
  });
  app.get('/', visitorPageCache('zhas.sid', { lifetimeMs }));
  app.get('/', (_request, response) => {
    renders += 1;
    response.status(status).render('page', { n: renders });
  });
  return { app, renders: () => renders };
}

describe('visitor page cache', () => {
  it('renders a page once for visitors without a session, per language', async () => {
    const { app, renders } = appWithCache(60_000);
    expect((await supertest(app).get('/').expect(200)).text).toBe('render 1 in ru');
    expect((await supertest(app).get('/').expect(200)).text).toBe('render 1 in ru');
    expect((await supertest(app).get('/').set('Cookie', 'lang=kk').expect(200)).text).toBe('render 2 in kk');
    expect((await supertest(app).get('/').set('Cookie', 'lang=kk').expect(200)).text).toBe('render 2 in kk');
    expect(renders()).toBe(2);
  });

  it('answers a repeated visit with 304 when the page has not changed', async () => {
    const { app } = appWithCache(60_000);
    await supertest(app).get('/').expect(200);
    const cached = await supertest(app).get('/').expect(200);
    await supertest(app).get('/').set('If-None-Match', cached.headers.etag).expect(304);
  });

  it('always renders afresh for someone with a session cookie or a query string', async () => {
    const { app, renders } = appWithCache(60_000);
    await supertest(app).get('/').expect(200);
    expect((await supertest(app).get('/').set('Cookie', 'zhas.sid=s%3Aabc').expect(200)).text).toBe('render 2 in ru');
    expect((await supertest(app).get('/?lang=ru').expect(200)).text).toBe('render 3 in ru');
    expect(renders()).toBe(3);
  });

  it('forgets a page after its lifetime', async () => {
    const { app } = appWithCache(30);
    expect((await supertest(app).get('/').expect(200)).text).toBe('render 1 in ru');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await supertest(app).get('/').expect(200)).text).toBe('render 2 in ru');
  });

  it('never keeps anything but a 200', async () => {
    const { app, renders } = appWithCache(60_000, 503);
    await supertest(app).get('/').expect(503);
    await supertest(app).get('/').expect(503);
    expect(renders()).toBe(2);
  });
});

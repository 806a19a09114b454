import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { loginAs, startTestPortal, type DemoRole, type TestPortal } from '../helpers/test-app.ts';

let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
});
afterAll(async () => {
  await portal.close();
});

/** Follows the same-site links of the pages a signed-in person sees, up to `limit` pages. */
async function crawl(agent: supertest.Agent, start: string, limit: number) {
  const seen = new Set<string>([start]);
  const queue = [start];
  const pages: { path: string; cacheControl: string | undefined }[] = [];
  while (queue.length > 0 && pages.length < limit) {
    const path = queue.shift()!;
    const response = await agent.get(path);
    if (response.status !== 200 || !String(response.headers['content-type']).includes('text/html')) continue;
    pages.push({ path, cacheControl: response.headers['cache-control'] });
    for (const [, href] of response.text.matchAll(/href="(\/[^"#]*)"/g)) {
      const link = href.replace(/&amp;/g, '&');
      // Not the language and display switches (same pages again), nor static files or sign-out.
      if (/^\/(static|preferences|logout)|[?&]lang=/.test(link) || seen.has(link)) continue;
      seen.add(link);
      queue.push(link);
    }
  }
  return pages;
}

describe('every page a signed-in person sees is kept out of caches (Cache-Control: no-store)', () => {
  const starts: [DemoRole, string][] = [
    ['coordinator', '/admin'],
    ['chair', '/committee'],
    ['member', '/committee'],
    ['mentor', '/mentor'],
  ];
  it.each(starts)('as %s, from %s', async (role, start) => {
    const agent = await loginAs(portal.app, role);
    const pages = await crawl(agent, start, 60);
    expect(pages.length).toBeGreaterThan(role === 'mentor' ? 2 : 5);
    const cached = pages.filter((page) => !page.cacheControl?.includes('no-store')).map((page) => page.path);
    expect(cached).toEqual([]);
  });
});

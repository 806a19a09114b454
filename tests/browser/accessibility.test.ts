import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { accessibilityProblems } from '../helpers/accessibility.ts';
import { startBrowserPortal, type BrowserPortal } from '../helpers/browser.ts';
import { demoLogins, type DemoRole } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';
import { newStatusToken } from '../../src/features/applications/status-token.ts';


let running: BrowserPortal;
let database: Database;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  running = await startBrowserPortal();
  ({ database, browser, baseUrl } = running);
});
afterAll(async () => {
  await running?.close();
});



async function pageAs(role: DemoRole | null, options: { contrast?: boolean; mobile?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: options.mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 } });
  const page = await context.newPage();
  if (options.contrast) await page.goto(`${baseUrl}/preferences/display?colourScheme=contrast&fontSize=larger`);
  if (role) {
    await page.goto(`${baseUrl}/login`);
    await page.fill('#email', demoLogins[role]);
    await page.fill('#password', demoPassword);
    await page.locator('form.stacked-form button[type="submit"]').click();
    await page.waitForURL(/\/(committee|admin|mentor)$/);
  }
  return page;
}

async function expectAccessible(page: Page, paths: string[]) {
  const { statuses, problems } = await accessibilityProblems(page, baseUrl, paths);
  for (const [path, status] of Object.entries(statuses)) expect(status, path).toBeLessThan(500);
  expect(problems).toEqual([]);
}

describe('no serious or critical accessibility violations (axe-core)', () => {
  it('public pages, in each language, on a phone and in high contrast', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', uploadDir: running.uploadDir });
    const { token, hash } = newStatusToken();
    await database.prisma.application.update({ where: { id: application.id }, data: { statusLinks: { create: { tokenHash: hash, purpose: 'submitted' } } } });
    const paths = ['/', '/about', '/faq', '/privacy', '/apply', '/login', '/status/lost-link', `/status/${token}`, `/status/${token}/withdraw`, '/status/not-a-real-link', '/no-such-page'];
    const phone = await pageAs(null, { mobile: true });
    await expectAccessible(phone, paths);
    await expectAccessible(phone, ['/?lang=kk', '/apply?lang=kk', '/faq?lang=en']);
    const contrast = await pageAs(null, { contrast: true });
    await expectAccessible(contrast, ['/', '/apply', '/login']);
  });

  it('the committee\'s pages', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir: running.uploadDir, withInterview: true });
    const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
    const chair = await pageAs('chair');
    await expectAccessible(chair, ['/committee', '/committee/applications', `/committee/applications/${application.id}`, `/committee/regions/${region.id}/ranking`]);
  });

  it('the coordinator\'s and the mentor\'s pages', async () => {
    const coordinator = await pageAs('coordinator');
    await expectAccessible(coordinator, ['/admin', '/admin/outbox']);
    const mentor = await pageAs('mentor', { mobile: true });
    await expectAccessible(mentor, ['/mentor']);
  });
});

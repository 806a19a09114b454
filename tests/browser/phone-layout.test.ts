import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newStatusToken } from '../../src/features/applications/status-token.ts';
import { createApplication } from '../helpers/application-fixtures.ts';
import { newPhonePage, useBrowserPortal } from '../helpers/browser.ts';

const running = useBrowserPortal();

/** A 375-px phone with the largest font of the display controls. */
async function phoneWithLargestFont(): Promise<Page> {
  const page = await newPhonePage(running.browser);
  await page.goto(`${running.baseUrl}/preferences/display?fontSize=larger&return=/`);
  expect(await page.evaluate(() => document.documentElement.className)).toContain('font-larger');
  return page;
}

/** An application with long file names and a rejected document, and a working status link. */
async function statusPagePath(): Promise<{ path: string; number: string }> {
  const application = await createApplication(running.database.prisma, { regionCode: 'ASTANA', uploadDir: running.uploadDir });
  await running.database.prisma.applicationDocument.updateMany({
    where: { applicationId: application.id },
    data: { originalName: 'udostoverenie-lichnosti-skan-obeih-storon-2026-03-15.pdf', checkStatus: 'REJECTED', rejectionReason: 'Скан нечитаем, пришлите фотографию получше' },
  });
  const { token, hash } = newStatusToken();
  await running.database.prisma.applicationStatusLink.create({ data: { applicationId: application.id, tokenHash: hash, purpose: 'submitted' } });
  return { path: `/status/${token}`, number: application.number };
}

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('on a 375-px phone with the largest font', () => {
  it('the status page fits: its documents are stacked rows, the check column shows, the number stays on one line', async () => {
    const page = await phoneWithLargestFont();
    const { path, number } = await statusPagePath();
    await page.goto(`${running.baseUrl}${path}`);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    const check = page.locator('.stacked-table td').filter({ hasText: 'отклонён' });
    const box = (await check.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    const numberElement = page.locator('.application-number', { hasText: number });
    expect(await numberElement.evaluate((element) => element.getClientRects().length)).toBe(1);
    await page.context().close();
  });

  it('home, About and FAQ fit and keep their text off the screen\'s edges', async () => {
    const page = await phoneWithLargestFont();
    for (const path of ['/', '/about', '/faq', '/privacy', '/status/lost-link']) {
      await page.goto(`${running.baseUrl}${path}`);
      expect(await pageWidth(page), path).toBeLessThanOrEqual(375);
      const heading = (await page.locator('main h1').boundingBox())!;
      expect(heading.x, path).toBeGreaterThanOrEqual(8);
      expect(heading.x + heading.width, path).toBeLessThanOrEqual(375 - 8);
    }
    await page.context().close();
  });
});

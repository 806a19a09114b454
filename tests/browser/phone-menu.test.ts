import { describe, expect, it } from 'vitest';
import { newPhonePage, useBrowserPortal } from '../helpers/browser.ts';

const running = useBrowserPortal();

describe('on a 375-px phone with the largest font', () => {
  it('the navigation and the display controls fold into one «Меню» button, so the page starts near the top', async () => {
    const page = await newPhonePage(running.browser);
    await page.goto(`${running.baseUrl}/preferences/display?fontSize=larger&return=/about`);
    const heading = page.getByRole('heading', { level: 1 });
    // Today the controls and the menu took the top 313 of 812 pixels.
    expect((await heading.boundingBox())!.y).toBeLessThan(230);
    expect(await page.locator('#main-nav').isVisible()).toBe(false);
    expect(await page.locator('.display-controls').isVisible()).toBe(false);

    const menu = page.getByRole('button', { name: 'Меню' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Вопросы и ответы' }).isVisible()).toBe(true);
    await page.locator('.display-controls a[hreflang="kk"]').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('kk');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it('without JavaScript, everything stays open', async () => {
    const context = await running.browser.newContext({ viewport: { width: 375, height: 812 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${running.baseUrl}/about`);
    expect(await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Вопросы и ответы' }).isVisible()).toBe(true);
    expect(await page.locator('.display-controls a[hreflang="kk"]').isVisible()).toBe(true);
    await context.close();
  });
});

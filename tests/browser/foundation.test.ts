import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../prisma/demo-data.ts';
import { demoLogins } from '../helpers/test-app.ts';
import { openPhoneMenu, startBrowserPortal, type BrowserPortal } from '../helpers/browser.ts';

let running: BrowserPortal;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  running = await startBrowserPortal();
  ({ browser, baseUrl } = running);
});
afterAll(async () => {
  await running?.close();
});

describe('a visitor, then a committee member, in Chromium', () => {
  it('switches language, turns on large font and high contrast, and logs in', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await expect.poll(() => page.getByRole('link', { name: 'Хочу стать ментором' }).isVisible()).toBe(true);

    await openPhoneMenu(page);
    await page.getByRole('link', { name: 'Қазақша' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('kk');
    await openPhoneMenu(page);
    await page.getByRole('link', { name: 'Сұрақтар мен жауаптар' }).first().click();
    expect(page.url()).toContain('/faq');
    expect(await page.getAttribute('html', 'lang')).toBe('kk');

    await openPhoneMenu(page);
    await page.getByRole('link', { name: 'Русский' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('ru');

    await openPhoneMenu(page);
    await page.getByRole('link', { name: 'Крупный шрифт', exact: true }).click();
    await openPhoneMenu(page);
    await page.getByRole('link', { name: 'Высокий контраст', exact: true }).click();
    expect(page.url()).toContain('/faq');
    const classes = await page.getAttribute('html', 'class');
    expect(classes).toContain('font-large');
    expect(classes).toContain('scheme-contrast');
    const rootFontSize = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    expect(rootFontSize).toBe('20px');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(0, 0, 0)');

    await openPhoneMenu(page);
    await page.getByRole('link', { name: 'О программе' }).first().click();
    expect(await page.getAttribute('html', 'class')).toContain('font-large');

    await openPhoneMenu(page);
    await page.getByRole('link', { name: 'Войти' }).click();
    await page.getByLabel('Электронная почта').fill(demoLogins.member);
    await page.getByLabel('Пароль').fill(demoPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/committee$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Кабинет комиссии');
    expect(await page.textContent('body')).toContain('город Астана');
    await context.close();
  });
});

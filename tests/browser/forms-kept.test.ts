import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../prisma/demo-data.ts';
import { demoLogins } from '../helpers/test-app.ts';
import { newPhonePage, openPhoneMenu, useBrowserPortal } from '../helpers/browser.ts';

const running = useBrowserPortal();

const phonePage = () => newPhonePage(running.browser);

async function fillSomeOfTheApplication(page: Page) {
  await page.fill('#fullName', 'Сауле Нурланова');
  await page.fill('#experienceDescription', 'Восемь лет веду клуб для подростков района.');
  await page.selectOption('#regionId', { index: 1 });
  await page.check('#declaresNotYouthGroupMember');
}

async function expectTheApplicationKept(page: Page) {
  expect(await page.inputValue('#fullName')).toBe('Сауле Нурланова');
  expect(await page.inputValue('#experienceDescription')).toBe('Восемь лет веду клуб для подростков района.');
  expect(await page.locator('#regionId').evaluate((select: HTMLSelectElement) => select.selectedIndex)).toBe(1);
  expect(await page.isChecked('#declaresNotYouthGroupMember')).toBe(true);
}

describe('nothing typed is lost', () => {
  it('switching the language, the font size or looking at the FAQ keeps the application form filled in', async () => {
    const page = await phonePage();
    await page.goto(`${running.baseUrl}/apply`);
    await fillSomeOfTheApplication(page);

    await openPhoneMenu(page);
    await page.locator('.display-controls a[hreflang="kk"]').click();
    await page.waitForURL(/lang=kk/);
    expect(await page.locator('html').getAttribute('lang')).toBe('kk');
    await expectTheApplicationKept(page);
    expect(await page.locator('.form-kept-notice').textContent()).toContain('сақтап қойдық');

    await openPhoneMenu(page);
    await page.locator('.font-choice-larger').click();
    await page.waitForLoadState('load');
    await expectTheApplicationKept(page);

    await page.goto(`${running.baseUrl}/faq`);
    await page.goBack();
    await expectTheApplicationKept(page);
    await page.context().close();
  });

  it('a form sent with a stale token comes back filled in, with one sentence saying why', async () => {
    const context = await running.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${running.baseUrl}/login`);
    await page.getByLabel('Электронная почта').fill(demoLogins.coordinator);
    await page.getByLabel('Пароль').fill(demoPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/admin$/);

    await page.goto(`${running.baseUrl}/admin/regions/new`);
    await page.fill('#code', 'TURKESTAN');
    await page.fill('#nameRu', 'Туркестанская область');
    // The token the page was given no longer holds (as after a long evening or a new session).
    await page.evaluate(() => {
      document.querySelectorAll('form').forEach((form) => form.querySelectorAll('input[name="_csrf"]').forEach((input) => ((input as HTMLInputElement).value = 'stale')));
    });
    await page.locator('form.stacked-form button[type="submit"]').click();
    await page.waitForSelector('.flash');
    expect(page.url()).toBe(`${running.baseUrl}/admin/regions/new`);
    expect(await page.locator('.flash').textContent()).toContain('Ваша сессия истекла');
    expect(await page.inputValue('#code')).toBe('TURKESTAN');
    expect(await page.inputValue('#nameRu')).toBe('Туркестанская область');

    // Sent again, now with the fresh token of the page: taken, and then forgotten by the browser.
    await page.fill('#nameKk', 'Түркістан облысы');
    await page.fill('#nameEn', 'Turkestan Region');
    await page.locator('form.stacked-form button[type="submit"]').click();
    await page.waitForSelector('.flash-success');
    await page.goto(`${running.baseUrl}/admin/regions/new`);
    expect(await page.inputValue('#code')).toBe('');
    expect(await page.locator('.form-kept-notice').count()).toBe(0);
    await context.close();
  });

  it('the application sent with an expired session comes back filled in', async () => {
    const page = await phonePage();
    await page.goto(`${running.baseUrl}/apply`);
    await fillSomeOfTheApplication(page);
    await page.locator('form.application-form').evaluate((form: HTMLFormElement) => { form.action = '/apply?_csrf=stale'; });
    await page.getByRole('button', { name: 'Отправить' }).click();
    await page.waitForSelector('.form-kept-notice');
    expect(page.url()).toBe(`${running.baseUrl}/apply`);
    expect(await page.locator('.form-kept-notice').textContent()).toContain('Ваша сессия истекла');
    await expectTheApplicationKept(page);
    await page.context().close();
  });
});

import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../prisma/demo-data.ts';
import { newPhonePage, openPhoneMenu, useBrowserPortal } from '../helpers/browser.ts';
import { demoLogins } from '../helpers/test-app.ts';

const running = useBrowserPortal({ REQUIRE_TWO_FACTOR_ROLES: 'COORDINATOR,COMMITTEE', LOGIN_SLOWDOWN_MS: '0' });

describe('two-factor sign-in, on a phone', () => {
  it('a chair sets up the app from the QR page, keeps the recovery codes, and signs in again with a code', async () => {
    const page = await newPhonePage(running.browser);
    const signIn = async () => {
      await page.goto(`${running.baseUrl}/login`);
      await page.getByLabel('Электронная почта').fill(demoLogins.chair);
      await page.getByLabel('Пароль').fill(demoPassword);
      await page.getByRole('button', { name: 'Войти' }).click();
    };
    await signIn();
    await page.getByRole('heading', { name: 'Двухфакторный вход' }).waitFor();
    expect(await page.getByRole('img', { name: 'QR-код для приложения-аутентификатора' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const secret = (await page.locator('.totp-secret').innerText()).replace(/\s/g, '');
    await page.getByLabel('Код из приложения').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Включить второй фактор' }).click();
    await page.getByRole('heading', { name: 'Резервные коды' }).waitFor();
    expect(await page.locator('.recovery-codes li').count()).toBe(10);
    await page.getByRole('link', { name: /перейти в кабинет/ }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/committee');

    await openPhoneMenu(page);
    await page.getByRole('button', { name: 'Выйти' }).click();
    await signIn();
    await page.getByRole('heading', { name: 'Код подтверждения' }).waitFor();
    await page.getByLabel('Код из приложения или резервный код').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Подтвердить' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/committee');
  });
});

import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../prisma/demo-data.ts';
import { useBrowserPortal } from '../helpers/browser.ts';
import { demoLogins } from '../helpers/test-app.ts';

// A timeout of 12 seconds: the warning comes 6 seconds before it.
const running = useBrowserPortal({ STAFF_IDLE_TIMEOUT_MINUTES: '0.2' });

describe('the idle timeout of staff, in the browser', () => {
  it('warns before it, "Stay signed in" keeps the session, and when it runs out the page says so and offers to sign in again', async () => {
    const page = await (await running.browser.newContext()).newPage();
    await page.goto(`${running.baseUrl}/login`);
    await page.getByLabel('Электронная почта').fill(demoLogins.chair);
    await page.getByLabel('Пароль').fill(demoPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/committee');

    const stay = page.getByRole('button', { name: 'Остаться в кабинете' });
    await stay.waitFor({ timeout: 15_000 });
    expect(await page.getByRole('alertdialog').textContent()).toContain('сеанс скоро завершится');
    await stay.click();
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    // The click reached the server: the session lives on past the first 12 seconds.
    await page.waitForTimeout(7_000);
    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/committee');

    // Left alone, the warning comes, then the end.
    await page.getByRole('link', { name: 'Войти снова' }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('alertdialog').textContent()).toContain('Сеанс завершён из-за бездействия');
    await page.getByRole('link', { name: 'Войти снова' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('body').textContent()).toContain('Вы вышли из кабинета после долгого бездействия');
  });
});

import { describe, expect, it } from 'vitest';
import { newStatusToken } from '../../src/features/applications/status-token.ts';
import { createApplication } from '../helpers/application-fixtures.ts';
import { useBrowserPortal } from '../helpers/browser.ts';

const running = useBrowserPortal();

describe('printing', () => {
  it('the confirmation, opened from the status page, prints without navigation, display controls, forms or buttons', async () => {
    const application = await createApplication(running.database.prisma, { regionCode: 'ASTANA', uploadDir: running.uploadDir });
    const { token, hash } = newStatusToken();
    await running.database.prisma.applicationStatusLink.create({ data: { applicationId: application.id, tokenHash: hash, purpose: 'submitted' } });
    const page = await (await running.browser.newContext()).newPage();
    await page.goto(`${running.baseUrl}/status/${token}`);
    await page.getByRole('link', { name: 'Подтверждение подачи (для печати)' }).click();
    await expect.poll(() => page.url()).toContain(`/status/${token}/confirmation`);
    // On screen the controls are there, the print button among them.
    expect(await page.locator('.display-controls').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Распечатать' }).isVisible()).toBe(true);

    await page.emulateMedia({ media: 'print' });
    for (const selector of ['.display-controls', '.main-nav', '.site-footer', 'button', '.button', 'form']) {
      const shown = await page.locator(selector).evaluateAll((elements) => elements.filter((element) => element.getClientRects().length > 0).length);
      expect(shown, selector).toBe(0);
    }
    expect(await page.locator('h1').isVisible()).toBe(true);
    expect(await page.locator('.application-number', { hasText: application.number }).isVisible()).toBe(true);
  });
});

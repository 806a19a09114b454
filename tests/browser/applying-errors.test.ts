import { describe, expect, it } from 'vitest';
import { newPhonePage, useBrowserPortal } from '../helpers/browser.ts';
import { pdfOfSize } from '../helpers/document-fixtures.ts';

const running = useBrowserPortal();

const phonePage = () => newPhonePage(running.browser);

const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: pdfOfSize(2_000) });

describe('errors on the application form, on a phone', () => {
  it('shows no "Sending…" block before a send starts', async () => {
    const page = await phonePage();
    await page.goto(`${running.baseUrl}/apply`);
    expect(await page.locator('.upload-progress').isVisible()).toBe(false);
    await page.context().close();
  });

  it('come from the portal, all in one round, with the focus on a summary that links to each field', async () => {
    const page = await phonePage();
    await page.goto(`${running.baseUrl}/apply`);
    await page.fill('#fullName', 'Сауле Нурланова');
    await page.fill('#experienceYears', '3');
    // No native pop-up stops the send: the portal answers with its own messages.
    await page.getByRole('button', { name: 'Отправить' }).click();
    await page.waitForSelector('#form-errors');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-errors');
    await expect.poll(() => page.locator('#phone-error').textContent()).toBeTruthy();
    expect(await page.locator('#experienceYears-error').textContent()).toContain('5');
    expect(await page.locator('#ID_CARD-error').isVisible()).toBe(true);
    expect(await page.inputValue('#fullName')).toBe('Сауле Нурланова');
    await page.locator('#form-errors a[href="#phone"]').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('phone');
    expect(await page.locator('.upload-progress').isVisible()).toBe(false);
    await page.context().close();
  });

  it('say next to the field when more files are chosen than a document allows', async () => {
    const page = await phonePage();
    await page.goto(`${running.baseUrl}/apply`);
    await page.setInputFiles('#document-YOUTH_WORK_CERTIFICATE', [pdf('1.pdf'), pdf('2.pdf'), pdf('3.pdf'), pdf('4.pdf')]);
    await page.getByRole('button', { name: 'Отправить' }).click();
    const message = page.locator('#YOUTH_WORK_CERTIFICATE-client-error');
    await message.waitFor();
    expect(await message.textContent()).toContain('не больше 3 файлов');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('document-YOUTH_WORK_CERTIFICATE');
    await page.context().close();
  });
});

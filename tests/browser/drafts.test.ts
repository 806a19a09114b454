import { describe, expect, it } from 'vitest';
import { newPhonePage, useBrowserPortal } from '../helpers/browser.ts';
import { pdfOfSize } from '../helpers/document-fixtures.ts';

const portal = useBrowserPortal();

describe('"Save and continue later" on a phone', () => {
  it('keeps what was typed and the uploaded file, e-mails a link, and the link opens the form filled in on another device', async () => {
    const page = await newPhonePage(portal.browser);
    await page.goto(`${portal.baseUrl}/apply?lang=en`);
    await page.fill('#fullName', 'Асель Жумабекова');
    await page.fill('#motivation', 'Half of it written.');
    await page.setInputFiles('#document-EDUCATION_DIPLOMA', { name: 'diploma-draft.pdf', mimeType: 'application/pdf', buffer: pdfOfSize(30 * 1024) });
    await page.locator('#held-EDUCATION_DIPLOMA li.held-document').waitFor({ timeout: 20_000 });

    // Without an e-mail the draft cannot be saved: the message is next to the field.
    await page.getByRole('button', { name: 'Save and continue later' }).click();
    await page.locator('#email-error').waitFor({ timeout: 20_000 });
    expect(await page.locator('#email-error').textContent()).toContain('link to continue');
    expect(await page.inputValue('#fullName')).toBe('Асель Жумабекова');

    await page.fill('#email', 'asel.draft@example.kz');
    await page.getByRole('button', { name: 'Save and continue later' }).click();
    await page.getByRole('heading', { name: 'Draft saved' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('main').textContent()).toContain('asel.draft@example.kz');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.context().close();

    const email = await portal.database.prisma.outboxEmail.findFirstOrThrow({ where: { toAddress: 'asel.draft@example.kz', template: 'draft-continue' } });
    const link = /\/apply\/continue\/[A-Za-z0-9_-]{43}\?lang=en/.exec(email.textBody)?.[0];
    expect(link).toBeTruthy();

    const phone = await newPhonePage(portal.browser);
    await phone.goto(`${portal.baseUrl}${link}`);
    await phone.waitForURL(/\/apply\?lang=en$/);
    expect(await phone.inputValue('#fullName')).toBe('Асель Жумабекова');
    expect(await phone.inputValue('#motivation')).toBe('Half of it written.');
    expect(await phone.inputValue('#email')).toBe('asel.draft@example.kz');
    expect(await phone.locator('#held-EDUCATION_DIPLOMA li.held-document').textContent()).toContain('diploma-draft.pdf');
    await phone.context().close();
  });
});

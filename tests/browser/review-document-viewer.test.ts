import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../prisma/demo-data.ts';
import { newStoredName } from '../../src/features/documents/document-storage.ts';
import { demoLogins } from '../helpers/test-app.ts';
import { newPhonePage, useBrowserPortal } from '../helpers/browser.ts';
import { createApplication } from '../helpers/application-fixtures.ts';
import { writeStoredDocument } from '../helpers/stored-documents.ts';
import { pngBytes } from '../helpers/document-fixtures.ts';

const portal = useBrowserPortal();

describe('the document viewer, on a phone with the largest font', () => {
  it('shows a document next to its check, goes to the next one, and a saved check stays at that document', async () => {
    const prisma = portal.database.prisma;
    const application = await createApplication(prisma, { regionCode: 'ASTANA', status: 'SCREENING', uploadDir: portal.uploadDir, fullName: 'Просмотрова Алия' });
    const storedName = newStoredName();
    await writeStoredDocument(portal.uploadDir, storedName, pngBytes);
    const photo = await prisma.applicationDocument.create({
      data: { applicationId: application.id, kind: 'RECOMMENDATION_LETTER', originalName: 'письмо.png', storedName, mimeType: 'image/png', sizeBytes: pngBytes.length, sha256: '0'.repeat(64) },
    });

    const page = await newPhonePage(portal.browser);
    await page.goto(`${portal.baseUrl}/preferences/display?fontSize=larger`);
    await page.goto(`${portal.baseUrl}/login`);
    await page.getByLabel('Электронная почта').fill(demoLogins.member);
    await page.getByLabel('Пароль').fill(demoPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/committee$/);

    await page.goto(`${portal.baseUrl}/committee/applications/${application.id}`);
    await page.locator(`#document-${application.documents[0].id}`).getByRole('link', { name: 'Показать здесь' }).click();
    await page.locator(`#document-${application.documents[0].id} iframe`).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await page.locator(`#document-${application.documents[0].id}`).getByRole('link', { name: 'Следующий документ' }).click();
    const image = page.locator(`#document-${photo.id} img`);
    await image.waitFor();
    // The image really loads from the inline document route (decrypted, same origin).
    await page.waitForFunction((id) => {
      const element = document.querySelector(`#document-${id} img`) as HTMLImageElement | null;
      return Boolean(element && element.complete && element.naturalWidth > 0);
    }, photo.id);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await page.locator(`#document-${photo.id}`).getByRole('radio', { name: 'принят' }).check();
    await page.locator(`#document-${photo.id}`).getByRole('button', { name: 'Сохранить проверку' }).click();
    await page.waitForURL(new RegExp(`\\?view=${photo.id}#document-${photo.id}$`));
    await image.waitFor();
    // Still at the document just checked, not at the top of the page.
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    const box = await page.locator(`#document-${photo.id}`).boundingBox();
    expect(box && box.y).toBeLessThan(812);
    expect(await prisma.applicationDocument.findUniqueOrThrow({ where: { id: photo.id } }).then((document) => document.checkStatus)).toBe('ACCEPTED');
  });
});

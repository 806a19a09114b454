import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPhonePage, openPhoneMenu, useBrowserPortal } from '../helpers/browser.ts';
import { freshApplicant } from '../helpers/application-form.ts';
import { jpegBytes, pdfOfSize, pngBytes } from '../helpers/document-fixtures.ts';

const portal = useBrowserPortal();

const pdf = (name: string, bytes = 40 * 1024) => ({ name, mimeType: 'application/pdf', buffer: pdfOfSize(bytes) });

async function fillFields(page: Page, email = 'phone.applicant@example.kz') {
  const applicant = freshApplicant();
  await page.fill('#fullName', 'Данияр Ахметов');
  await page.fill('#birthDate', applicant.birthDate);
  await page.fill('#iin', applicant.iin);
  await page.fill('#phone', '8 707 765 43 21');
  await page.fill('#email', email);
  await page.selectOption('#regionId', { index: 1 });
  await page.fill('#residenceMonths', '36');
  await page.fill('#occupation', 'Социальный работник');
  await page.fill('#organisation', 'Фонд «Жастар»');
  await page.fill('#education', 'КазНУ, социальная работа, 2010');
  await page.fill('#experienceYears', '9');
  await page.fill('#experienceDescription', 'Волонтёрские проекты с подростками.');
  await page.fill('#vulnerableYouthWork', 'Работа с молодёжью из малообеспеченных семей.');
  await page.check('input[name="availableForTrips"][value="yes"]');
  await page.check('input[name="languages"][value="ru"]');
  await page.fill('#motivation', 'Хочу помогать молодёжи.');
  for (const name of ['declaresNotYouthGroupMember', 'declaresNotHostOrgHeadOrAccountant', 'consentsToDataProcessing']) await page.check(`#${name}`);
  return applicant;
}

const held = (page: Page, kind: string) => page.locator(`#held-${kind} li.held-document`);

describe('a document uploads as soon as it is picked (375-px phone)', () => {
  it('shows its own progress bar, is listed as attached, and is still attached after a language switch', async () => {
    const page = await newPhonePage(portal.browser);
    await page.goto(`${portal.baseUrl}/apply`);
    const network = await page.context().newCDPSession(page);
    await network.send('Network.enable');
    await network.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 2_000_000, uploadThroughput: 64 * 1024 });

    await page.setInputFiles('#document-EDUCATION_DIPLOMA', pdf('diplom.pdf', 200 * 1024));
    const bar = page.locator('#held-EDUCATION_DIPLOMA progress');
    await bar.waitFor({ state: 'visible' });
    await expect.poll(async () => Number((await bar.getAttribute('value')) ?? (await bar.evaluate((element) => (element as HTMLProgressElement).value))), { timeout: 20_000 }).toBeGreaterThan(0);
    await held(page, 'EDUCATION_DIPLOMA').waitFor({ timeout: 30_000 });
    await network.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    expect(await held(page, 'EDUCATION_DIPLOMA').textContent()).toContain('diplom.pdf');
    // The field is cleared: Send will not post the file again.
    expect(await page.locator('#document-EDUCATION_DIPLOMA').evaluate((input) => (input as HTMLInputElement).files?.length)).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await openPhoneMenu(page);
    await page.locator('a[hreflang="en"]').first().click();
    await page.waitForURL(/lang=en/);
    expect(await held(page, 'EDUCATION_DIPLOMA').textContent()).toContain('diplom.pdf');
    expect(await page.getByRole('button', { name: 'Remove the file diplom.pdf' }).count()).toBe(1);
    await page.context().close();
  });

  it('offers a retry when an upload fails, and the retry finishes it', async () => {
    const page = await newPhonePage(portal.browser);
    await page.goto(`${portal.baseUrl}/apply`);
    let failing = true;
    await page.route('**/apply/uploads/**', (route) => (failing && route.request().method() === 'PATCH' ? route.abort('connectionreset') : route.continue()));
    await page.setInputFiles('#document-RESIDENCE_PROOF', pdf('spravka.pdf'));
    const retry = page.getByRole('button', { name: 'Повторить' });
    await retry.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await held(page, 'RESIDENCE_PROOF').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Удалить файл spravka.pdf' }).isVisible()).toBe(true);
    failing = false;
    await retry.click();
    await held(page, 'RESIDENCE_PROOF').waitFor({ timeout: 20_000 });
    expect(await held(page, 'RESIDENCE_PROOF').textContent()).toContain('spravka.pdf');
    await page.context().close();
  });

  it('resumes after a dropped connection from where it stopped, not from the start', async () => {
    const page = await newPhonePage(portal.browser);
    await page.goto(`${portal.baseUrl}/apply`);
    const seen: { method: string; offset: string | null }[] = [];
    let patches = 0;
    await page.route('**/apply/uploads**', async (route) => {
      const request = route.request();
      seen.push({ method: request.method(), offset: request.headers()['upload-offset'] ?? null });
      if (request.method() === 'PATCH') {
        patches += 1;
        // The second piece is cut off on its way.
        if (patches === 2) return route.abort('connectionreset');
      }
      return route.continue();
    });
    await page.setInputFiles('#document-POLICE_CLEARANCE', pdf('nesudimost.pdf', 5 * 1024 * 1024));
    await held(page, 'POLICE_CLEARANCE').waitFor({ timeout: 60_000 });
    const creations = seen.filter((entry) => entry.method === 'POST');
    expect(creations).toHaveLength(1);
    const afterDrop = seen.slice(seen.findIndex((entry, index) => entry.method === 'PATCH' && seen.slice(0, index + 1).filter((e) => e.method === 'PATCH').length === 2) + 1);
    expect(afterDrop[0].method).toBe('HEAD');
    const resumed = afterDrop.find((entry) => entry.method === 'PATCH');
    expect(Number(resumed?.offset)).toBeGreaterThan(0);
    await page.context().close();
  });

  it('sends only the fields with Send: every file was uploaded before', async () => {
    const page = await newPhonePage(portal.browser);
    await page.goto(`${portal.baseUrl}/apply`);
    const applicant = await fillFields(page);
    await page.setInputFiles('#document-ID_CARD', { name: 'udostoverenie.jpg', mimeType: 'image/jpeg', buffer: jpegBytes });
    await page.setInputFiles('#document-EDUCATION_DIPLOMA', pdf('diplom.pdf'));
    await page.setInputFiles('#document-YOUTH_WORK_CERTIFICATE', [pdf('sertifikat.pdf'), { name: 'sertifikat-2.png', mimeType: 'image/png', buffer: pngBytes }]);
    await page.setInputFiles('#document-RESIDENCE_PROOF', pdf('adresnaya.pdf'));
    await page.setInputFiles('#document-POLICE_CLEARANCE', pdf('nesudimost.pdf'));
    await page.setInputFiles('#document-NARCOLOGY_STATEMENT', pdf('narkolog.pdf'));
    await page.setInputFiles('#document-PSYCHIATRY_STATEMENT', pdf('psihiatr.pdf'));
    await page.setInputFiles('#document-RECOMMENDATION_LETTER', pdf('rekomendaciya.pdf'));
    await expect.poll(() => page.locator('li.held-document').count(), { timeout: 30_000 }).toBe(9);

    const sent = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/apply');
    await page.getByRole('button', { name: 'Отправить' }).click();
    const body = (await sent).postDataBuffer()?.toString('latin1') ?? '';
    expect(body).toContain('name="fullName"');
    expect(body).not.toContain('%PDF');
    expect(body).not.toMatch(/filename="[^"]+"/);
    await page.locator('.application-number').waitFor({ timeout: 30_000 });
    const application = await portal.database.prisma.application.findFirstOrThrow({ where: { iin: applicant.iin }, include: { documents: true } });
    expect(application.documents).toHaveLength(9);
    await page.context().close();
  });
});

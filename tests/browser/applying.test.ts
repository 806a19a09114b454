import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { startBrowserPortal, type BrowserPortal } from '../helpers/browser.ts';
import { freshApplicant } from '../helpers/application-form.ts';
import { jpegBytes, pdfOfSize, pngBytes } from '../helpers/document-fixtures.ts';

const kazakh = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../locales/kk/apply.json'), 'utf8'));

let running: BrowserPortal;
let database: Database;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  running = await startBrowserPortal();
  ({ database, browser, baseUrl } = running);
});
afterAll(async () => {
  await running?.close();
});

describe('an applicant on a phone, in Kazakh', () => {
  it('applies from the home page with eight documents, sees the progress bar and the number, then opens the status link from the e-mail', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/?lang=kk`);
    await page.getByRole('link', { name: 'Тәлімгер болғым келеді' }).click();
    await page.waitForURL(/\/apply$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(kazakh.form.title);

    const applicant = freshApplicant();
    await page.fill('#fullName', 'Айгүл Серікқызы');
    await page.fill('#birthDate', applicant.birthDate);
    await page.fill('#iin', applicant.iin);
    await page.fill('#phone', '8 707 765 43 21');
    await page.fill('#email', 'aigul@example.kz');
    await page.selectOption('#regionId', { label: 'Астана қаласы' });
    await page.fill('#residenceMonths', '36');
    await page.fill('#occupation', 'Әлеуметтік қызметкер');
    await page.fill('#organisation', '«Жастар» қоғамдық қоры');
    await page.fill('#education', 'ҚазҰУ, әлеуметтік жұмыс, 2010');
    await page.fill('#experienceYears', '9');
    await page.fill('#experienceDescription', 'Жасөспірімдермен волонтерлік жобалар жүргіземін.');
    await page.fill('#vulnerableYouthWork', 'Аз қамтылған отбасылардың жастарымен жұмыс.');
    await page.getByLabel(kazakh.form.yes, { exact: true }).check();
    await page.getByLabel(kazakh.languages.kk, { exact: true }).check();
    await page.getByLabel(kazakh.languages.ru, { exact: true }).check();
    await page.fill('#motivation', 'Жастарға өз жобаларын жүзеге асыруға көмектескім келеді.');
    for (const name of ['declaresNotYouthGroupMember', 'declaresNotHostOrgHeadOrAccountant', 'consentsToDataProcessing']) await page.check(`#${name}`);

    // Large enough files that the progress bar is visible on a throttled connection.
    const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: pdfOfSize(120 * 1024) });
    await page.setInputFiles('#document-ID_CARD', { name: 'jeke-kualik.jpg', mimeType: 'image/jpeg', buffer: jpegBytes });
    await page.setInputFiles('#document-EDUCATION_DIPLOMA', pdf('diplom.pdf'));
    await page.setInputFiles('#document-YOUTH_WORK_CERTIFICATE', [pdf('sertifikat.pdf'), { name: 'sertifikat-2.png', mimeType: 'image/png', buffer: pngBytes }]);
    await page.setInputFiles('#document-RESIDENCE_PROOF', pdf('mekenjai.pdf'));
    await page.setInputFiles('#document-POLICE_CLEARANCE', pdf('sottalmagan.pdf'));
    await page.setInputFiles('#document-NARCOLOGY_STATEMENT', pdf('narkolog.pdf'));
    await page.setInputFiles('#document-PSYCHIATRY_STATEMENT', pdf('psihiatr.pdf'));
    await page.setInputFiles('#document-RECOMMENDATION_LETTER', pdf('usynym.pdf'));

    const network = await context.newCDPSession(page);
    await network.send('Network.enable');
    await network.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 2_000_000, uploadThroughput: 150 * 1024 });

    await page.getByRole('button', { name: kazakh.form.submit }).click();
    const progress = page.locator('progress#upload-progress-bar');
    await progress.waitFor({ state: 'visible' });
    await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 20_000 }).toBeGreaterThan(0);

    await page.getByRole('heading', { name: kazakh.confirmation.title }).waitFor({ timeout: 60_000 });
    expect(page.url()).toMatch(/\/status\/[A-Za-z0-9_-]{43}\/confirmation$/);
    const number = await page.locator('.application-number').textContent();
    expect(number).toMatch(/^ZM-\d{4}-\d{5}$/);
    await network.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    // The e-mail the applicant received (in Kazakh) carries the status link.
    const email = await database.prisma.outboxEmail.findFirstOrThrow({ where: { toAddress: 'aigul@example.kz' } });
    expect(email.locale).toBe('kk');
    const link = /https?:\/\/[^\s]+\/status\/[A-Za-z0-9_-]{43}/.exec(email.textBody)![0];
    const statusPath = new URL(link).pathname;
    const applicantPhone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const statusPage = await applicantPhone.newPage();
    await statusPage.goto(`${baseUrl}${statusPath}?lang=kk`);
    expect(await statusPage.getByRole('heading', { level: 1 }).textContent()).toBe(kazakh.status.title);
    expect(await statusPage.textContent('body')).toContain(number!);
    expect(await statusPage.textContent('body')).toContain('diplom.pdf');
    await applicantPhone.close();
    await context.close();
  });
});

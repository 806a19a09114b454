import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../prisma/demo-data.ts';
import { enqueueApplicantNotice } from '../../src/features/sms/applicant-notice.service.ts';
import { seriousViolations } from '../helpers/accessibility.ts';
import { createApplication } from '../helpers/application-fixtures.ts';
import { newPhonePage, useBrowserPortal } from '../helpers/browser.ts';
import { demoLogins } from '../helpers/test-app.ts';

const running = useBrowserPortal();

describe('the outbox page with SMS, on a 375-px phone with the largest font', () => {
  it('fits, shows the SMS row with its masked number and parts, and passes the accessibility check', async () => {
    const application = await createApplication(running.database.prisma, { regionCode: 'ASTANA' });
    await enqueueApplicantNotice(running.database.prisma, { to: application.email, locale: 'ru', template: 'results', data: { number: application.number, outcome: 'RESERVE', fullName: 'x', cohortName: 'x', regionName: 'x' }, applicationId: application.id });
    const page = await newPhonePage(running.browser);
    await page.goto(`${running.baseUrl}/preferences/display?fontSize=larger&return=/`);
    await page.goto(`${running.baseUrl}/login`);
    await page.fill('#email', demoLogins.coordinator);
    await page.fill('#password', demoPassword);
    await page.locator('form.stacked-form button[type="submit"]').click();
    await page.waitForURL(/\/admin$/);

    await page.goto(`${running.baseUrl}/admin/outbox?channel=SMS`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const masked = page.locator('td', { hasText: '•••••••4567' });
    await expect.poll(() => masked.count()).toBeGreaterThan(0);
    const box = (await masked.first().boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    expect(await page.content()).not.toContain('+77011234567');
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('a', { hasText: /^SMS №/ }).first().click();
    expect(await page.locator('h1').textContent()).toMatch(/^SMS №/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});

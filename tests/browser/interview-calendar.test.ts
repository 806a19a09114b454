import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../prisma/demo-data.ts';
import { demoLogins } from '../helpers/test-app.ts';
import { newPhonePage, useBrowserPortal } from '../helpers/browser.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

const portal = useBrowserPortal();

describe('the interview calendar, on a 375-px phone with the largest font', () => {
  it('is reached from the committee home, lists the week by day, and switches weeks', async () => {
    const prisma = portal.database.prisma;
    const inTwoWeeks = DateTime.now().setZone('Asia/Almaty').plus({ weeks: 2 }).set({ hour: 9, minute: 30, second: 0, millisecond: 0 });
    const application = await createApplication(prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir: portal.uploadDir, fullName: 'Календарная Кандидатка' });
    await prisma.interview.create({ data: { applicationId: application.id, scheduledAt: inTwoWeeks.toJSDate(), place: 'г. Астана, проспект Мангилик Ел, 55/20, Дворец молодёжи, кабинет 305' } });

    const page = await newPhonePage(portal.browser);
    await page.goto(`${portal.baseUrl}/preferences/display?fontSize=larger&return=/login`);
    await page.getByLabel('Электронная почта').fill(demoLogins.member);
    await page.getByLabel('Пароль').fill(demoPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/committee$/);
    expect(await page.evaluate(() => document.documentElement.className)).toContain('font-larger');

    await page.getByRole('link', { name: 'Календарь собеседований' }).click();
    await page.getByRole('heading', { name: 'Календарь собеседований' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await page.locator('main').textContent()).not.toContain(application.number);

    await page.getByRole('link', { name: /Следующая неделя/ }).click();
    await page.getByRole('link', { name: /Следующая неделя/ }).click();
    await page.getByText(application.number).waitFor();
    const main = (await page.locator('main').textContent())!;
    expect(main).toContain('09:30');
    expect(main).toContain('Дворец молодёжи');
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toContain(String(inTwoWeeks.day));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await page.getByRole('link', { name: new RegExp(application.number) }).click();
    await page.waitForURL(new RegExp(`/committee/applications/${application.id}$`));
    await page.context().close();
  });
});

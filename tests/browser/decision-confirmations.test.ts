import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../prisma/demo-data.ts';
import { demoLogins } from '../helpers/test-app.ts';
import { useBrowserPortal } from '../helpers/browser.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

const portal = useBrowserPortal();

describe('a rejection asks first, on a phone without JavaScript', () => {
  it('shows what will happen, keeps the typed comment, rejects on confirmation and then shows the decision only', async () => {
    const prisma = portal.database.prisma;
    const application = await createApplication(prisma, { regionCode: 'ASTANA', status: 'SCREENING', uploadDir: portal.uploadDir, fullName: 'Отказ Проверка' });
    const context = await portal.browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${portal.baseUrl}/login`);
    await page.getByLabel('Электронная почта').fill(demoLogins.chair);
    await page.getByLabel('Пароль').fill(demoPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/committee$/);

    await page.goto(`${portal.baseUrl}/committee/applications/${application.id}`);
    await page.selectOption('#transition-to', 'REJECTED');
    await page.fill('#transition-comment', 'Нет справки о несудимости');
    await page.getByRole('button', { name: 'Перевести', exact: true }).click();

    await page.getByRole('heading', { name: /Отклонить заявку/ }).waitFor();
    expect(await page.locator('#confirm-consequences').textContent()).toContain('сменится на «Отклонена»');
    expect(await page.inputValue('#confirm-comment')).toBe('Нет справки о несудимости');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect((await prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('SCREENING');

    await page.getByRole('button', { name: 'Да, отклонить' }).click();
    await page.locator('#decision-current').waitFor();
    expect((await prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('REJECTED');
    expect(await page.locator('form[action$="/status"]').count()).toBe(0);
    expect(await page.locator('form[action$="/check"]').count()).toBe(0);
    await context.close();
  });
});

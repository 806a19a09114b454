import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../prisma/demo-data.ts';
import { demoLogins } from '../helpers/test-app.ts';
import { newPhonePage, useBrowserPortal } from '../helpers/browser.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

const portal = useBrowserPortal();

describe('closing scoring early, on a phone', () => {
  it('shows how many have scored, keeps the comment, asks for the reason next to the field, then closes', async () => {
    const prisma = portal.database.prisma;
    const application = await createApplication(prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir: portal.uploadDir, withInterview: true, fullName: 'Ранний Конец' });
    const chairUser = await prisma.user.findUniqueOrThrow({ where: { email: demoLogins.chair } });
    const criteria = await prisma.rubricCriterion.findMany({ where: { cohortId: application.cohortId } });
    await prisma.score.create({ data: { applicationId: application.id, reviewerId: chairUser.id, items: { create: criteria.map((criterion) => ({ criterionId: criterion.id, value: 4 })) } } });

    const page = await newPhonePage(portal.browser);
    await page.goto(`${portal.baseUrl}/login`);
    await page.getByLabel('Электронная почта').fill(demoLogins.chair);
    await page.getByLabel('Пароль').fill(demoPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/committee$/);

    await page.goto(`${portal.baseUrl}/committee/applications/${application.id}`);
    await page.selectOption('#transition-to', 'SCORED');
    await page.fill('#transition-comment', 'Динара в командировке');
    // The application page with everyone's scores fits the phone (the scores table scrolls inside it).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: 'Перевести', exact: true }).click();

    await page.getByRole('heading', { name: 'Закрыть оценивание раньше времени?' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('Оценили 1 из 3');
    expect(await page.inputValue('#comment')).toBe('Динара в командировке');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await page.fill('#comment', '');
    await page.getByRole('button', { name: 'Закрыть оценивание' }).click();
    await page.locator('#comment-error').waitFor();
    expect(await page.locator('#comment-error').textContent()).toContain('Укажите причину досрочного закрытия оценивания.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-errors');
    expect((await prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('INTERVIEW');

    await page.fill('#comment', 'Динара в командировке до конца отбора');
    await page.getByRole('button', { name: 'Закрыть оценивание' }).click();
    await page.getByText('Статус заявки изменён.').waitFor();
    expect((await prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('SCORED');
    await page.context().close();
  });
});

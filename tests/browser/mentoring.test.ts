import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from '../helpers/accessibility.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalApp } from '../../src/app.ts';
import type { Database } from '../../src/db/database.ts';
import { calendarDateParam, todayInProgramme } from '../../src/features/mentoring/month-rules.ts';
import { formatMonth, monthStartOf } from '../../src/lib/dates.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { buildTestApp, demoLogins } from '../helpers/test-app.ts';
import { launchChromium, listen, openPhoneMenu } from '../helpers/browser.ts';

let database: Database;
let portal: PortalApp;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase({ seed: 'demo' });
  portal = await buildTestApp(database);
  server = await listen(portal);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await portal?.stop();
  await database?.close();
});

async function logIn(page: Page, email: string) {
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).click();
}



const fitsTheScreen = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('a month of mentoring on a phone', () => {
  it("the demo mentor logs and submits this month's protocol; the coordinator sees it in the grid", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();

    await logIn(page, demoLogins.mentor);
    await page.waitForURL(/\/mentor$/);
    expect(await fitsTheScreen(page)).toBe(true);
    // This month's action comes first, before the list of groups.
    const thisMonthAction = `Написать протокол за ${formatMonth(monthStartOf(new Date()), 'ru')}: Eco Steppe`;
    const action = page.getByRole('link', { name: thisMonthAction });
    expect(await action.isVisible()).toBe(true);
    const actionBox = await action.boundingBox();
    const groupsHeading = await page.getByRole('heading', { name: 'Мои группы и месяцы программы' }).boundingBox();
    expect(actionBox!.y).toBeLessThan(groupsHeading!.y);
    expect(actionBox!.height).toBeGreaterThanOrEqual(44); // a comfortable touch target
    await action.click();
    await page.waitForURL(/\/mentor\/groups\/\d+\/protocols\/\d{4}-\d{2}$/);
    expect(await fitsTheScreen(page)).toBe(true);

    await page.getByLabel('Дата встречи').fill(calendarDateParam(todayInProgramme(new Date())));
    await page.getByLabel('очно').check();
    await page.getByLabel('Место или ссылка на встречу').fill('Астана, школа-лицей №12, кабинет 204');
    await page.getByLabel('Длительность, минут').fill('75');
    for (const name of ['Алия Ахметова', 'Нурлан Садыков', 'Тимур Ли']) await page.getByLabel(name).check();
    await page.getByLabel('Какие вопросы поднимались').fill('Где найти контейнеры для раздельного сбора');
    // First a draft: nothing is lost, the form comes back filled in.
    await page.getByRole('button', { name: 'Сохранить черновик' }).click();
    // Waits for the page the save answers with (a load state alone can be the old page's, before the navigation starts).
    await page.getByText('Черновик сохранён.').waitFor();
    expect(await page.getByLabel('Какие вопросы поднимались').inputValue()).toBe('Где найти контейнеры для раздельного сбора');
    expect(await page.getByLabel('Тимур Ли').isChecked()).toBe(true);

    await page.getByLabel('Предложенные решения и принятые решения').fill('Договорились с акиматом района о трёх контейнерах');
    await page.getByLabel('Следующие шаги').fill('Провести урок о сортировке в 7 «А»');
    await page.getByRole('button', { name: 'Сдать протокол' }).click();
    await page.waitForURL(/\/mentor$/);
    expect(await page.getByText('Протокол сдан. Спасибо!').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: thisMonthAction }).count()).toBe(0);

    await openPhoneMenu(page);
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.waitForURL(`${server.baseUrl}/`);

    await logIn(page, demoLogins.coordinator);
    await page.waitForURL(/\/admin$/);
    await page.goto(`${server.baseUrl}/admin/compliance`);
    const row = page.locator('tr', { has: page.getByRole('link', { name: 'Eco Steppe', exact: true }) });
    const currentColumn = await page.locator('.compliance-grid thead th').evaluateAll((cells) => cells.findIndex((cell) => cell.classList.contains('current-month')));
    expect(currentColumn).toBeGreaterThan(0);
    const cell = row.locator('th, td').nth(currentColumn);
    expect(await cell.getAttribute('class')).toContain('cell-submitted');
    expect((await cell.innerText()).trim()).toContain('сдан');

    await cell.getByRole('link').click();
    await page.waitForURL(/\/admin\/protocols\/\d+$/);
    expect(await page.getByText('Договорились с акиматом района о трёх контейнерах').isVisible()).toBe(true);
    expect(await page.getByText('присутствовали 3 из 4').isVisible()).toBe(true);
    await context.close();
  });
});

describe('the mentoring pages are accessible (axe-core), on a phone and in high contrast', () => {
  it('has no serious or critical violations', async () => {
    const problems: string[] = [];
    const check = async (page: Page, paths: string[]) => {
      for (const path of paths) {
        const response = await page.goto(`${server.baseUrl}${path}`);
        expect(response?.status(), path).toBe(200);
        problems.push(...(await seriousViolations(page)).map((problem) => `${path}: ${problem}`));
      }
    };
    const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Жастар үні' }, include: { protocols: { orderBy: { month: 'asc' } } } });
    const [submitted, draft] = group.protocols;
    const month = (date: Date) => date.toISOString().slice(0, 7);
    for (const contrast of [false, true]) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      if (contrast) await page.goto(`${server.baseUrl}/preferences/display?colourScheme=contrast&fontSize=larger`);
      await logIn(page, demoLogins.mentor);
      await page.waitForURL(/\/mentor$/);
      await check(page, ['/mentor', `/mentor/groups/${group.id}/protocols/${month(draft.month)}`, `/mentor/groups/${group.id}/protocols/${month(submitted.month)}`]);
      await context.close();
    }
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desk.newPage();
    await logIn(page, demoLogins.coordinator);
    await page.waitForURL(/\/admin$/);
    await check(page, ['/admin/groups', '/admin/groups/new', `/admin/groups/${group.id}`, '/admin/groups/import', '/admin/compliance', `/admin/protocols/${submitted.id}`, '/admin/trainings', '/admin/trainings/new', '/admin/trainings/trainers']);
    await desk.close();
    expect(problems).toEqual([]);
  });
});

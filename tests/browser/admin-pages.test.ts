/**
 * The coordinator's administration in Chromium: axe-core finds no serious or critical problem on any
 * admin page (also with errors shown, in Kazakh and in high contrast), and a committee member invited
 * through the form sets a password from the e-mailed link and lands in the committee's area.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createUserToken } from '../../src/features/auth/invitation-tokens.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { accessibilityProblems, seriousViolations } from '../helpers/accessibility.ts';
import { startBrowserPortal, type BrowserPortal } from '../helpers/browser.ts';
import { demoLogins } from '../helpers/test-app.ts';


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



async function coordinatorPage(options: { contrast?: boolean; mobile?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: options.mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 } });
  const page = await context.newPage();
  if (options.contrast) await page.goto(`${baseUrl}/preferences/display?colourScheme=contrast&fontSize=larger`);
  await page.goto(`${baseUrl}/login`);
  await page.fill('#email', demoLogins.coordinator);
  await page.fill('#password', demoPassword);
  await page.locator('form.stacked-form button[type="submit"]').click();
  await page.waitForURL(/\/admin$/);
  return page;
}

async function expectAccessible(page: Page, paths: string[]) {
  const { statuses, problems } = await accessibilityProblems(page, baseUrl, paths);
  for (const [path, status] of Object.entries(statuses)) expect(status, path).toBe(200);
  expect(problems).toEqual([]);
}

describe('the coordinator\'s administration in Chromium', () => {
  it('has no serious accessibility problem on any admin page, on a phone, in Kazakh and in high contrast', async () => {
    const cohort = await database.prisma.cohort.findFirstOrThrow({ include: { rubricCriteria: true } });
    const member = await database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.member } });
    const region = await database.prisma.region.findFirstOrThrow();
    const paths = [
      '/admin', '/admin/cohorts', '/admin/cohorts/new', `/admin/cohorts/${cohort.id}`, `/admin/cohorts/${cohort.id}/criteria/${cohort.rubricCriteria[0].id}`,
      `/admin/cohorts/${cohort.id}/results`, '/admin/regions', '/admin/regions/new', `/admin/regions/${region.id}`, '/admin/users', '/admin/users/new',
      `/admin/users/${member.id}`, '/admin/audit',
    ];
    await expectAccessible(await coordinatorPage(), paths);
    await expectAccessible(await coordinatorPage({ mobile: true }), ['/admin/users?lang=kk', `/admin/cohorts/${cohort.id}?lang=kk`, '/admin/audit?lang=kk']);
    await expectAccessible(await coordinatorPage({ contrast: true }), ['/admin/cohorts/new?lang=ru', `/admin/users/${member.id}`]);
  });

  it('shows form errors next to the fields in an accessible way', async () => {
    const page = await coordinatorPage();
    await page.goto(`${baseUrl}/admin/cohorts/new`);
    await page.fill('#name', '');
    await page.fill('#year', '1999');
    await page.getByRole('button', { name: 'Создать набор' }).click();
    await page.locator('#year-error', { hasText: 'Год — число от 2000 до 2100.' }).waitFor();
    // The summary at the top links to the field and has the focus.
    expect(await page.locator('#form-errors a[href="#year"]').textContent()).toContain('Год — число от 2000 до 2100.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-errors');
    expect(await page.getAttribute('#year', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#year', 'aria-describedby')).toContain('year-error');
    expect(await seriousViolations(page)).toEqual([]);

    const user = await database.prisma.user.create({ data: { email: 'a11y@example.kz', fullName: 'Проверка Доступности', role: 'COMMITTEE' } });
    const token = await createUserToken(database.prisma, user.id, 'INVITATION', 24);
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${baseUrl}/account/set-password/${token}`);
    await visitor.fill('#password', 'short');
    await visitor.fill('#passwordConfirmation', 'short');
    await visitor.getByRole('button', { name: 'Сохранить пароль и войти' }).click();
    await visitor.locator('.field-error', { hasText: 'Пароль слишком короткий' }).waitFor();
    expect(await seriousViolations(visitor)).toEqual([]);
    await visitor.goto(`${baseUrl}/account/set-password/${'x'.repeat(43)}`);
    expect(await visitor.getByRole('heading', { level: 1 }).textContent()).toContain('Ссылка не действует');
    expect(await seriousViolations(visitor)).toEqual([]);
  });

  it('invites a committee member of Almaty; the member sets a password from the e-mail and sees Almaty', async () => {
    const page = await coordinatorPage();
    await page.getByRole('link', { name: 'Пользователи' }).first().click();
    await page.getByRole('link', { name: 'Пригласить пользователя' }).click();
    await page.getByLabel('Электронная почта').fill('saltanat@example.kz');
    await page.getByLabel('ФИО').fill('Салтанат Нурпеисова');
    await page.getByLabel('Член комиссии').check();
    await page.getByLabel('Язык писем').selectOption('kk');
    await page.getByLabel('Регион', { exact: true }).selectOption({ label: 'город Алматы' });
    await page.getByRole('button', { name: 'Создать и отправить приглашение' }).click();
    await page.getByText('Пользователь создан').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Салтанат Нурпеисова');

    const email = await database.prisma.outboxEmail.findFirstOrThrow({ where: { toAddress: 'saltanat@example.kz', template: 'invitation' } });
    expect(email.locale).toBe('kk');
    const link = /https?:\/\/\S+\/account\/set-password\/[A-Za-z0-9_-]{43}/.exec(email.textBody)![0];

    const invitee = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await invitee.goto(`${baseUrl}${new URL(link).pathname}?lang=kk`);
    expect(await invitee.getByRole('heading', { level: 1 }).textContent()).toContain('Құпиясөз орнатыңыз');
    await invitee.getByLabel('Жаңа құпиясөз').fill('almaty-taulary-2027');
    await invitee.getByLabel('Құпиясөзді қайталаңыз').fill('almaty-taulary-2027');
    await invitee.getByRole('button', { name: 'Құпиясөзді сақтап, кіру' }).click();
    await invitee.waitForURL(/\/committee$/);
    expect(await invitee.textContent('body')).toContain('Алматы қаласы');

    // The coordinator sees that the password is set, in the user's page.
    await page.reload();
    expect(await page.textContent('body')).toContain('использована');
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { demoLogins, type DemoRole } from '../helpers/test-app.ts';
import { startBrowserPortal, type BrowserPortal } from '../helpers/browser.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

let running: BrowserPortal;
let database: Database;
let browser: Browser;
let baseUrl: string;
let uploadDir: string;

beforeAll(async () => {
  running = await startBrowserPortal();
  ({ database, browser, baseUrl, uploadDir } = running);
});
afterAll(async () => {
  await running?.close();
});

async function signIn(role: DemoRole): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Электронная почта').fill(demoLogins[role]);
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL(/\/(committee|admin|mentor)$/);
  return page;
}

describe('a region\'s committee takes a candidate from submission to a mentor account', () => {
  it('screens, schedules, scores, selects; the coordinator publishes; the new mentor sets a password and logs in', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', uploadDir, fullName: 'Дана Серикова' });
    const cohort = await database.prisma.cohort.findFirstOrThrow();
    await database.prisma.cohort.update({ where: { id: cohort.id }, data: { resultsAt: new Date(Date.now() - 60_000) } });
    const applicationUrl = `${baseUrl}/committee/applications/${application.id}`;

    // The chair screens the documents and moves the candidate to the interview.
    const chair = await signIn('chair');
    // The dashboard's charts are drawn by Chart.js served from the portal itself.
    await chair.waitForFunction(() => {
      const chart = (window as unknown as { Chart?: { getChart(canvas: Element): unknown } }).Chart;
      const canvas = document.querySelector('canvas[data-chart]');
      return Boolean(chart && canvas && chart.getChart(canvas));
    });
    await chair.getByRole('link', { name: 'Все заявки' }).click();
    await chair.getByRole('link', { name: application.number }).click();
    await chair.getByRole('radio', { name: 'принят' }).first().check();
    await chair.getByRole('button', { name: 'Сохранить проверку' }).first().click();
    await chair.getByText('Проверка документа сохранена.').waitFor();
    // Saving the check reloads the page at that document, its PDF open in the viewer; the chair then
    // opens the application again without it (the viewer's load raced the next click on a loaded CI).
    await chair.goto(applicationUrl);
    await chair.selectOption('#transition-to', 'INTERVIEW');
    // Only the ID card is attached: the chair moves on anyway, with a reason (the document gate).
    await chair.getByLabel('Перевести к собеседованию, хотя не все документы приняты').check();
    await chair.fill('#documentOverrideReason', 'Остальные документы кандидат принесёт на собеседование');
    await chair.getByRole('button', { name: 'Перевести', exact: true }).click();
    await chair.getByText('Статус заявки изменён.').waitFor();
    await chair.fill('#interview-date', '2026-12-15');
    await chair.fill('#interview-time', '11:00');
    await chair.fill('#interview-place', 'Астана, Дворец молодёжи');
    await chair.getByRole('button', { name: 'Назначить собеседование' }).click();
    await chair.getByText('Собеседование назначено').waitFor();
    // Scoring opens once the interview has taken place: the chair marks it held.
    await chair.getByRole('button', { name: 'Собеседование состоялось — открыть оценивание' }).click();
    await chair.getByText('Собеседование отмечено как состоявшееся').waitFor();
    const invitation = await database.prisma.outboxEmail.findFirstOrThrow({ where: { applicationId: application.id, template: 'interview-scheduled', channel: 'EMAIL' } });
    expect(JSON.stringify(invitation.attachments)).toContain('BEGIN:VCALENDAR');

    // Three members score; each sees the others only after scoring.
    const criteria = await database.prisma.rubricCriterion.findMany({ where: { cohortId: cohort.id } });
    const scorers: [Page, number][] = [[chair, 5], [await signIn('member'), 4], [await signIn('secondMember'), 5]];
    for (const [page, value] of scorers) {
      await page.goto(applicationUrl);
      for (const criterion of criteria) await page.check(`input[name="criterion_${criterion.id}"][value="${value}"]`);
      await page.fill('#score-comment', `Оценка ${value}`);
      await page.getByRole('button', { name: 'Отправить оценку' }).click();
      await page.getByText('Оценка сохранена.').waitFor();
    }
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('SCORED');

    // The chair selects the candidate from the ranking.
    await chair.goto(`${baseUrl}/committee`);
    await chair.getByRole('link', { name: 'Рейтинг' }).first().click();
    await chair.getByRole('link', { name: application.number }).click();
    await chair.getByRole('radio', { name: 'Отобран(а)' }).check();
    await chair.getByRole('button', { name: 'Сохранить решение' }).click();
    await chair.getByText('Решение сохранено.').waitFor();

    // The coordinator publishes the results.
    const coordinator = await signIn('coordinator');
    await coordinator.goto(`${baseUrl}/admin/cohorts/${cohort.id}/results`);
    await coordinator.getByRole('button', { name: 'Опубликовать результаты' }).click();
    // First what it will do, then the real publication.
    await coordinator.getByRole('button', { name: 'Да, опубликовать' }).click();
    await coordinator.waitForLoadState('load');
    expect((await database.prisma.cohort.findUniqueOrThrow({ where: { id: cohort.id } })).resultsPublishedAt).not.toBeNull();

    // The new mentor follows the link from the e-mail, sets a password and is in the personal account.
    const email = await database.prisma.outboxEmail.findFirstOrThrow({ where: { toAddress: application.email, template: 'mentor-invitation' } });
    const link = /https?:\/\/\S+\/account\/set-password\/[A-Za-z0-9_-]+/.exec(email.textBody)![0];
    const mentorContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const mentor = await mentorContext.newPage();
    await mentor.goto(`${baseUrl}${new URL(link).pathname}`);
    await mentor.fill('#password', 'Новый-пароль-2026');
    await mentor.fill('#passwordConfirmation', 'Новый-пароль-2026');
    await mentor.locator('button[type="submit"]').click();
    await mentor.waitForURL(/\/mentor$/);
    expect(await mentor.getByRole('heading', { level: 1 }).textContent()).toContain('Кабинет ментора');

    // …and can log in again later with that password.
    const again = await browser.newContext();
    const login = await again.newPage();
    await login.goto(`${baseUrl}/login`);
    await login.getByLabel('Электронная почта').fill(application.email);
    await login.getByLabel('Пароль').fill('Новый-пароль-2026');
    await login.getByRole('button', { name: 'Войти' }).click();
    await login.waitForURL(/\/mentor$/);
    await again.close();
    await mentorContext.close();
  });
});

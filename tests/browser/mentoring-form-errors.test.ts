import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { monthParam } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { demoLogins } from '../helpers/test-app.ts';
import { newPhonePage, useBrowserPortal } from '../helpers/browser.ts';

const running = useBrowserPortal();

async function signIn(page: Page, role: 'mentor' | 'coordinator') {
  await page.goto(`${running.baseUrl}/login`);
  await page.getByLabel('Электронная почта').fill(demoLogins[role]);
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL(/\/(mentor|admin)$/);
}

/** Sends the form of `button` as it is (empty), then checks where the focus went and where the summary's links lead. */
async function sendAndCheckTheSummary(page: Page, url: string, button: string) {
  await page.goto(url);
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForLoadState('load');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id), { message: `${url}: focus after a failed send` }).toBe('form-errors');
  const targets = await page.locator('#form-errors a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  expect(targets.length, `${url}: links to the fields`).toBeGreaterThan(0);
  for (const target of targets) {
    const field = page.locator(target);
    expect(await field.count(), `${url}: ${target} is on the page`).toBe(1);
    expect(await field.evaluate((element) => ['INPUT', 'TEXTAREA', 'SELECT', 'FIELDSET'].includes(element.tagName)), `${url}: ${target} is a field`).toBe(true);
  }
}

describe('after a failed send, the focus goes to a summary that links to each field', () => {
  it('on the mentor\'s forms, on a phone', async () => {
    const prisma = running.database.prisma;
    const mentor = await prisma.user.findUniqueOrThrow({ where: { email: demoLogins.mentor } });
    const month = monthStartOf(new Date());
    const group = await prisma.youthGroup.findFirstOrThrow({ where: { mentorId: mentor.id, protocols: { none: { month, status: 'SUBMITTED' } } }, orderBy: { id: 'asc' } });
    const page = await newPhonePage(running.browser);
    await signIn(page, 'mentor');
    await sendAndCheckTheSummary(page, `${running.baseUrl}/mentor/groups/${group.id}/protocols/${monthParam(month)}`, 'Сдать протокол');
    expect(await page.locator('#form-errors a[href="#sessionDate"]').count()).toBe(1);
    await sendAndCheckTheSummary(page, `${running.baseUrl}/mentor/groups/${group.id}`, 'Предложить участника');
  });

  it('on the coordinator\'s forms', async () => {
    const prisma = running.database.prisma;
    const group = await prisma.youthGroup.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const protocol = await prisma.sessionProtocol.findFirstOrThrow({ where: { status: 'SUBMITTED' } });
    const page = await running.browser.newPage();
    await signIn(page, 'coordinator');
    await sendAndCheckTheSummary(page, `${running.baseUrl}/admin/groups/new`, 'Сохранить');
    await sendAndCheckTheSummary(page, `${running.baseUrl}/admin/groups/${group.id}`, 'Добавить');
    await sendAndCheckTheSummary(page, `${running.baseUrl}/admin/trainings/new`, 'Сохранить');
    await sendAndCheckTheSummary(page, `${running.baseUrl}/admin/protocols/${protocol.id}`, 'Вернуть протокол ментору');
    await sendAndCheckTheSummary(page, `${running.baseUrl}/admin/groups/import`, 'Проверить файл');
  });
});

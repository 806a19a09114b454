import type { Dialog, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { monthParam } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { demoLogins } from '../helpers/test-app.ts';
import { newPhonePage, useBrowserPortal } from '../helpers/browser.ts';
import { seriousViolations } from '../helpers/accessibility.ts';

const running = useBrowserPortal();
const currentMonth = monthStartOf(new Date());

async function logIn(page: Page) {
  await page.getByLabel('Электронная почта').fill(demoLogins.mentor);
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).click();
}

async function mentorGroups() {
  const mentor = await running.database.prisma.user.findUniqueOrThrow({ where: { email: demoLogins.mentor } });
  return running.database.prisma.youthGroup.findMany({ where: { mentorId: mentor.id }, orderBy: { name: 'asc' } });
}

const protocolOf = (groupId: number) => running.database.prisma.sessionProtocol.findUnique({ where: { groupId_month: { groupId, month: currentMonth } } });
const fitsTheScreen = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('a protocol on a phone is never lost', () => {
  it('saves while she types, says when, survives a reload, keeps in the browser what the server did not get, and asks before leaving', async () => {
    const page = await newPhonePage(running.browser);
    const [group] = await mentorGroups();
    const url = `${running.baseUrl}/mentor/groups/${group.id}/protocols/${monthParam(currentMonth)}`;
    await page.goto(`${running.baseUrl}/preferences/display?fontSize=larger`);
    await page.goto(url);
    await logIn(page);
    await page.waitForURL(url);

    // Typing saves by itself, and the page says when.
    await page.locator('#issuesRaised').pressSequentially('Обсудили, где взять зал');
    await expect.poll(() => page.locator('#autosave-status').textContent(), { timeout: 15_000 }).toMatch(/^Сохранено в \d{2}:\d{2}$/);
    expect((await protocolOf(group.id))?.issuesRaised).toBe('Обсудили, где взять зал');
    // The counter follows the text.
    expect(await page.locator('#issuesRaised-counter').textContent()).toContain(`Осталось ${(5000 - 'Обсудили, где взять зал'.length).toLocaleString('ru')} знаков`);
    expect(await fitsTheScreen(page)).toBe(true);

    await page.reload();
    expect(await page.locator('#issuesRaised').inputValue()).toBe('Обсудили, где взять зал');

    // The connection drops: the text stays in the browser, and leaving asks first.
    await page.route('**/autosave', (route) => route.abort());
    await page.locator('#notes').pressSequentially('Записала в автобусе без связи');
    await expect.poll(() => page.locator('#autosave-status').textContent(), { timeout: 15_000 }).toContain('Не удалось сохранить');
    const dialogs: string[] = [];
    const dismiss = (dialog: Dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    };
    page.on('dialog', dismiss);
    await page.getByRole('link', { name: '← Кабинет ментора' }).click();
    expect(dialogs).toEqual(['confirm']);
    expect(page.url()).toBe(url);
    page.off('dialog', dismiss);

    // Reloading asks too (beforeunload); accepted, the text comes back from the browser's copy.
    const accepted: string[] = [];
    page.on('dialog', (dialog) => {
      accepted.push(dialog.type());
      void dialog.accept();
    });
    await page.reload();
    expect(accepted).toEqual(['beforeunload']);
    expect(await page.locator('#notes').inputValue()).toBe('Записала в автобусе без связи');
    expect(await page.locator('.form-kept-notice').textContent()).toContain('восстановлены из этого браузера');

    // Back online, it reaches the server by itself.
    await page.unroute('**/autosave');
    await expect.poll(async () => (await protocolOf(group.id))?.notes, { timeout: 20_000 }).toBe('Записала в автобусе без связи');
    await expect.poll(() => page.locator('#autosave-status').textContent(), { timeout: 10_000 }).toMatch(/^Сохранено в/);
    await page.context().close();
  });

  it('a mentor whose session expired gets her text back after signing in again, and is told why', async () => {
    const page = await newPhonePage(running.browser);
    const groups = await mentorGroups();
    const group = groups[1];
    const url = `${running.baseUrl}/mentor/groups/${group.id}/protocols/${monthParam(currentMonth)}`;
    await page.goto(url);
    await logIn(page);
    await page.waitForURL(url);
    // Autosave off (as on a page opened before the expiry, with no connection meanwhile).
    await page.route('**/autosave', (route) => route.abort());
    await running.database.prisma.session.deleteMany({});
    await page.locator('#solutions').fill('Полчаса текста, который нельзя терять');
    await page.getByRole('button', { name: 'Сохранить черновик' }).click();
    await page.waitForURL(/\/login\?next=/);
    expect(await page.getByText('Вы вышли из портала: сессия истекла.').isVisible()).toBe(true);
    await logIn(page);
    await page.waitForURL(url);
    expect(await page.locator('#solutions').inputValue()).toBe('Полчаса текста, который нельзя терять');
    expect(await page.getByText('Вы выходили из портала, пока писали протокол.').isVisible()).toBe(true);
    await page.context().close();
  });

  it("the group page fits a 375-px phone with the largest font, and it and the protocol form pass the accessibility check", async () => {
    const page = await newPhonePage(running.browser);
    const [group] = await mentorGroups();
    await page.goto(`${running.baseUrl}/preferences/display?fontSize=larger`);
    await page.goto(`${running.baseUrl}/mentor/groups/${group.id}`);
    await logIn(page);
    await page.waitForURL(`${running.baseUrl}/mentor/groups/${group.id}`);
    expect(await page.getByRole('heading', { name: group.name, level: 1 }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Координатор программы' }).isVisible()).toBe(true);
    expect(await fitsTheScreen(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${running.baseUrl}/mentor/groups/${group.id}/protocols/${monthParam(currentMonth)}`);
    expect(await fitsTheScreen(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});

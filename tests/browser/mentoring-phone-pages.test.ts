import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { monthParam } from '../../src/features/mentoring/month-rules.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { demoPassword } from '../../prisma/demo-data.ts';
import { pngBytes } from '../helpers/document-fixtures.ts';
import { newPhonePage, useBrowserPortal } from '../helpers/browser.ts';

const running = useBrowserPortal();

async function mentorOnPhoneWithLargestFont(): Promise<Page> {
  const page = await newPhonePage(running.browser);
  await page.goto(`${running.baseUrl}/preferences/display?fontSize=larger&return=/`);
  await page.goto(`${running.baseUrl}/login`);
  await page.getByLabel('Электронная почта').fill('mentor@zhas.local');
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL(/\/mentor/);
  return page;
}

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
/** What sticks out on the right, to name it when the page is too wide. */
const overflowing = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > 376 && !element.closest('.table-scroll'))
      .slice(0, 5)
      .map((element) => `${element.tagName}.${element.className}#${element.id}`)
      .join(', '),
  );

describe('the mentor’s new pages on a 375-px phone with the largest font', () => {
  it('the protocol form attaches a photo without losing the text, and every page fits the screen', async () => {
    const prisma = running.database.prisma;
    const mentor = await prisma.user.update({ where: { email: 'mentor@zhas.local' }, data: { isTrainer: true } });
    const group = await prisma.youthGroup.findFirstOrThrow({ where: { mentorId: mentor.id, participants: { some: {} } }, orderBy: { name: 'asc' } });
    const month = monthStartOf(new Date());
    await prisma.sessionProtocol.deleteMany({ where: { groupId: group.id, month } });
    const page = await mentorOnPhoneWithLargestFont();

    await page.goto(`${running.baseUrl}/mentor/groups/${group.id}/protocols/${monthParam(month)}`);
    await page.locator('#issuesRaised').fill('Обсудили лист посещаемости, который прикладываю');
    await page.locator('#attachment').setInputFiles({ name: 'лист.png', mimeType: 'image/png', buffer: pngBytes });
    expect(await pageWidth(page), await overflowing(page)).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: 'Приложить файл' }).click();
    await page.waitForURL(new RegExp(`/protocols/${monthParam(month)}$`));
    await expect.poll(() => page.locator('.attachment-list a', { hasText: 'лист.png' }).count()).toBe(1);
    expect(await page.locator('#issuesRaised').inputValue()).toBe('Обсудили лист посещаемости, который прикладываю');
    expect(await pageWidth(page), await overflowing(page)).toBeLessThanOrEqual(375);

    await page.goto(`${running.baseUrl}/mentor/groups/${group.id}`);
    await expect.poll(() => page.locator('#propose-heading').count()).toBe(1);
    expect(await pageWidth(page), await overflowing(page)).toBeLessThanOrEqual(375);

    const region = await prisma.region.findUniqueOrThrow({ where: { id: group.regionId } });
    const training = await prisma.training.create({
      data: {
        regionId: region.id, phase: 'PROGRAMME_START', title: 'Стартовый тренинг', startsOn: new Date(Date.UTC(2026, 9, 5)), endsOn: new Date(Date.UTC(2026, 9, 8)),
        days: [5, 6, 7, 8].map((day) => new Date(Date.UTC(2026, 9, day))), trainers: { create: { userId: mentor.id } }, groups: { create: { groupId: group.id } },
      },
    });
    await page.goto(`${running.baseUrl}/mentor/trainings/${training.id}`);
    await expect.poll(() => page.locator('input[name="present"]').count()).toBeGreaterThan(0);
    expect(await pageWidth(page), await overflowing(page)).toBeLessThanOrEqual(375);
    await page.context().close();
  });
});

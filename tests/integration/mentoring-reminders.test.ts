import { describe, expect, it } from 'vitest';
import { reminderCandidates, sendDueReminders, startProtocolReminderJob } from '../../src/features/mentoring/protocol-reminders.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { november, useMentoringJobsDatabase } from '../helpers/mentoring-jobs.ts';

// 27 November 2026, noon in Almaty: four days left in the month, inside a 5-day window.
const inWindow = new Date('2026-11-27T07:00:00Z');
// 10 November: far from the end of the month.
const outsideWindow = new Date('2026-11-10T07:00:00Z');
const baseUrl = 'https://mentors.zhas.kz';

const running = useMentoringJobsDatabase(inWindow);

async function demoMentor() {
  return running.database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' }, include: { mentoredGroups: { orderBy: { name: 'asc' } } } });
}

describe('protocol reminders', () => {
  it('are not sent before the last days of the month', async () => {
    expect(await sendDueReminders(running.database.prisma, { baseUrl, daysBeforeMonthEnd: 5, now: outsideWindow })).toBe(0);
    expect(await running.database.prisma.outboxEmail.count()).toBe(0);
  });

  it('e-mail each mentor once, listing the groups with no submitted protocol', async () => {
    const mentor = await demoMentor();
    const [first, second] = mentor.mentoredGroups;
    await running.database.prisma.sessionProtocol.create({ data: { groupId: first.id, month: november, mentorId: mentor.id, status: 'SUBMITTED', submittedAt: inWindow } });
    await running.database.prisma.sessionProtocol.create({ data: { groupId: second.id, month: november, mentorId: mentor.id, status: 'DRAFT' } });

    expect(await sendDueReminders(running.database.prisma, { baseUrl, daysBeforeMonthEnd: 5, now: inWindow })).toBe(1);
    const emails = await running.database.prisma.outboxEmail.findMany();
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ toAddress: 'mentor@zhas.local', template: 'protocol-reminder', dedupeKey: `protocol-reminder:${mentor.id}:2026-11` });
    expect(emails[0].textBody).toContain(second.name);
    expect(emails[0].textBody).toContain('есть черновик');
    // Its November protocol is submitted; its October one, still missing, is listed among the overdue months.
    expect(emails[0].textBody).not.toContain(`/mentor/groups/${first.id}/protocols/2026-11`);
    expect(emails[0].textBody).toContain(`${baseUrl}/mentor/groups/${second.id}/protocols/2026-11`);
    expect(await running.database.prisma.mentorReminder.count({ where: { mentorId: mentor.id, month: november } })).toBe(1);
  });

  it('never send the same reminder twice', async () => {
    expect(await sendDueReminders(running.database.prisma, { baseUrl, daysBeforeMonthEnd: 5, now: inWindow })).toBe(1);
    expect(await sendDueReminders(running.database.prisma, { baseUrl, daysBeforeMonthEnd: 5, now: new Date(inWindow.getTime() + 3_600_000) })).toBe(0);
    expect(await running.database.prisma.outboxEmail.count()).toBe(1);
  });

  it('skip a mentor whose groups all have a submitted protocol', async () => {
    const mentor = await demoMentor();
    // Every programme month up to this one: an earlier month still missing would be listed too.
    const submittedBefore = await running.database.prisma.sessionProtocol.findMany({ where: { month: { lt: november }, status: { not: 'SUBMITTED' } } });
    for (const group of mentor.mentoredGroups) {
      for (const month of [new Date(Date.UTC(2026, 8, 1)), new Date(Date.UTC(2026, 9, 1)), november]) {
        await running.database.prisma.sessionProtocol.upsert({
          where: { groupId_month: { groupId: group.id, month } },
          create: { groupId: group.id, month, mentorId: mentor.id, status: 'SUBMITTED', submittedAt: inWindow },
          update: { status: 'SUBMITTED', submittedAt: inWindow },
        });
      }
    }
    expect(await reminderCandidates(running.database.prisma, november)).toEqual([]);
    expect(await sendDueReminders(running.database.prisma, { baseUrl, daysBeforeMonthEnd: 5, now: inWindow })).toBe(0);
    // Put the demo's earlier months back as they were for the other tests.
    await running.database.prisma.sessionProtocol.deleteMany({ where: { month: { lt: november }, status: 'SUBMITTED', submittedAt: inWindow } });
    for (const protocol of submittedBefore) await running.database.prisma.sessionProtocol.create({ data: { groupId: protocol.groupId, month: protocol.month, mentorId: protocol.mentorId, status: protocol.status } });
  });

  it('skip months outside the programme', async () => {
    // The demo programme runs six months from September: nothing is due in a month before it began.
    const august = new Date('2026-08-28T07:00:00Z');
    expect(await sendDueReminders(running.database.prisma, { baseUrl, daysBeforeMonthEnd: 5, now: august })).toBe(0);
  });

  it('send exactly one e-mail when two workers run at the same moment', async () => {
    const results = await Promise.all([
      sendDueReminders(running.database.prisma, { baseUrl, daysBeforeMonthEnd: 5, now: inWindow }),
      sendDueReminders(running.database.prisma, { baseUrl, daysBeforeMonthEnd: 5, now: inWindow }),
    ]);
    expect(results.sort()).toEqual([0, 1]);
    expect(await running.database.prisma.outboxEmail.count({ where: { template: 'protocol-reminder' } })).toBe(1);
    expect(await running.database.prisma.mentorReminder.count()).toBe(1);
  });

  it('run as a job that starts at once and stops cleanly', async () => {
    const job = startProtocolReminderJob({ prisma: running.database.prisma, logger: createLogger('silent'), baseUrl, now: inWindow, intervalMs: 60_000 });
    await job.stop(); // waits for the run made at start-up
    expect(await running.database.prisma.outboxEmail.count()).toBe(1);
  });
});

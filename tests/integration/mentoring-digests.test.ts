import { describe, expect, it } from 'vitest';
import { sendDueDigests, startCoordinatorDigestJob } from '../../src/features/mentoring/coordinator-digests.ts';
import { sendDueReminders } from '../../src/features/mentoring/protocol-reminders.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { november, useMentoringJobsDatabase } from '../helpers/mentoring-jobs.ts';

// 27 November 2026, noon in Almaty. The demo programme began in September: "Көмек" has no protocol for
// September, and only "Жастар үні" has one (a draft) for October.
const noon = new Date('2026-11-27T07:00:00Z');
const earlyMorning = new Date('2026-11-27T01:00:00Z'); // 06:00 in Almaty
const baseUrl = 'https://mentors.zhas.kz';

const running = useMentoringJobsDatabase(noon);

const groupNamed = (name: string) => running.database.prisma.youthGroup.findFirstOrThrow({ where: { name } });

describe('protocol reminders', () => {
  it('also list the months that ended with no submitted protocol', async () => {
    expect(await sendDueReminders(running.database.prisma, { baseUrl, daysBeforeMonthEnd: 5, now: noon })).toBe(1);
    const [email] = await running.database.prisma.outboxEmail.findMany({ where: { template: 'protocol-reminder' } });
    const komek = await groupNamed('Көмек');
    const zhastar = await groupNamed('Жастар үні');
    expect(email.textBody).toContain(`Көмек, сентябрь 2026: ${baseUrl}/mentor/groups/${komek.id}/protocols/2026-09`);
    expect(email.textBody).toContain(`Жастар үні, октябрь 2026 (есть черновик): ${baseUrl}/mentor/groups/${zhastar.id}/protocols/2026-10`);
    expect(email.textBody).not.toContain('Жастар үні, сентябрь 2026');
    expect(email.htmlBody).toContain(`href="${baseUrl}/mentor/groups/${komek.id}/protocols/2026-09"`);
  });

  it('remind a mentor whose current month is done but an earlier month is not', async () => {
    const mentor = await running.database.prisma.user.findUniqueOrThrow({ where: { email: 'mentor@zhas.local' }, include: { mentoredGroups: true } });
    for (const group of mentor.mentoredGroups) {
      await running.database.prisma.sessionProtocol.create({ data: { groupId: group.id, month: november, mentorId: mentor.id, status: 'SUBMITTED', submittedAt: noon } });
    }
    expect(await sendDueReminders(running.database.prisma, { baseUrl, daysBeforeMonthEnd: 5, now: noon })).toBe(1);
    const [email] = await running.database.prisma.outboxEmail.findMany();
    expect(email.textBody).toContain('Көмек, сентябрь 2026');
    expect(email.textBody).not.toContain('Месяц «ноябрь 2026» заканчивается');
  });
});

describe('coordinator digests', () => {
  async function resubmit(groupName: string, month: Date, at: Date) {
    const group = await groupNamed(groupName);
    const protocol = await running.database.prisma.sessionProtocol.upsert({
      where: { groupId_month: { groupId: group.id, month } },
      create: { groupId: group.id, month, mentorId: group.mentorId!, status: 'SUBMITTED', submittedAt: at, returnedAt: at, returnComment: 'Добавьте список' },
      update: { status: 'SUBMITTED', submittedAt: at, returnedAt: at, returnComment: 'Добавьте список' },
    });
    await running.database.prisma.auditLogEntry.create({ data: { actorId: group.mentorId, action: 'protocol.resubmitted', entityType: 'SessionProtocol', entityId: String(protocol.id), createdAt: at } });
    return protocol;
  }

  it('e-mail the coordinator the protocols resubmitted the day before, once a day', async () => {
    const yesterday = await resubmit('Eco Steppe', november, new Date('2026-11-26T10:00:00Z'));
    await resubmit('Көмек', november, new Date('2026-11-27T03:00:00Z')); // today: tomorrow's digest
    await sendDueDigests(running.database.prisma, { baseUrl, now: noon });
    const emails = await running.database.prisma.outboxEmail.findMany({ where: { template: 'protocols-resubmitted-digest' } });
    expect(emails).toHaveLength(1);
    expect(emails[0].toAddress).toBe('coordinator@zhas.local');
    expect(emails[0].textBody).toContain(`Eco Steppe, ноябрь 2026 — Гульнара Жумабаева`);
    expect(emails[0].textBody).toContain(`${baseUrl}/admin/protocols/${yesterday.id}`);
    expect(emails[0].textBody).not.toContain('Көмек, ноябрь 2026');

    await sendDueDigests(running.database.prisma, { baseUrl, now: new Date(noon.getTime() + 3_600_000) });
    expect(await running.database.prisma.outboxEmail.count({ where: { template: 'protocols-resubmitted-digest' } })).toBe(1);
    // The next day's digest lists today's resubmission.
    await sendDueDigests(running.database.prisma, { baseUrl, now: new Date(noon.getTime() + 86_400_000) });
    const next = await running.database.prisma.outboxEmail.findMany({ where: { template: 'protocols-resubmitted-digest' }, orderBy: { id: 'asc' } });
    expect(next).toHaveLength(2);
    expect(next[1].textBody).toContain('Көмек, ноябрь 2026');
  });

  it('e-mail the coordinator the missing protocols per region and mentor, once a day', async () => {
    await running.database.prisma.auditLogEntry.deleteMany({ where: { action: 'protocol.resubmitted' } });
    await sendDueDigests(running.database.prisma, { baseUrl, now: noon });
    const emails = await running.database.prisma.outboxEmail.findMany({ where: { template: 'protocols-missing-digest' } });
    expect(emails).toHaveLength(1);
    const text = emails[0].textBody;
    expect(text).toMatch(/Астана\n {2}Ментор: Гульнара Жумабаева\n {2}- Көмек, сентябрь 2026\n/);
    expect(text).toContain('- Eco Steppe, октябрь 2026');
    expect(text).not.toContain('Жастар үні, сентябрь 2026');
    expect(text).not.toContain('ноябрь 2026'); // the current month is not over yet
    expect(emails[0].subject).toContain(': 4');
    expect(await running.database.prisma.outboxEmail.count({ where: { template: 'protocols-resubmitted-digest' } })).toBe(0);

    await sendDueDigests(running.database.prisma, { baseUrl, now: new Date(noon.getTime() + 7_200_000) });
    expect(await running.database.prisma.outboxEmail.count({ where: { template: 'protocols-missing-digest' } })).toBe(1);
  });

  it('wait for the morning', async () => {
    expect(await sendDueDigests(running.database.prisma, { baseUrl, now: earlyMorning })).toBe(0);
    expect(await running.database.prisma.outboxEmail.count()).toBe(0);
  });

  it('run as a job that starts at once and stops cleanly', async () => {
    const job = startCoordinatorDigestJob({ prisma: running.database.prisma, logger: createLogger('silent'), baseUrl, now: noon, intervalMs: 60_000 });
    await job.stop();
    expect(await running.database.prisma.outboxEmail.count({ where: { template: 'protocols-missing-digest' } })).toBe(1);
  });
});

describe('the names in the e-mails', () => {
  it("follow the recipient's language: a Kazakh mentor's groups, and the mentors in each coordinator's digest", async () => {
    const atyrau = await running.database.prisma.region.findUniqueOrThrow({ where: { code: 'ATYRAU' } });
    const mentor = (fullName: string, email: string) => running.database.prisma.user.create({ data: { email, fullName, role: 'MENTOR', locale: 'kk', passwordHash: null } });
    const ulan = await mentor('Ұлан Ментор', 'collation.ulan@zhas.local');
    const umit = await mentor('Үміт Ментор', 'collation.umit@zhas.local');
    const group = (name: string, mentorId: number) =>
      running.database.prisma.youthGroup.create({ data: { name, regionId: atyrau.id, projectTitle: 'Жоба', hostOrganisationName: 'ҚҚ', programmeStartMonth: new Date(Date.UTC(2026, 8, 1)), programmeMonths: 6, mentorId } });
    for (const name of ['Ғарыш тобы', 'Ядро тобы', 'Әуен тобы', 'Гүлзар тобы']) await group(name, ulan.id);
    await group('Дала тобы', umit.id);
    await running.database.prisma.user.update({ where: { email: 'coordinator@zhas.local' }, data: { locale: 'kk' } });
    await running.database.prisma.user.create({ data: { email: 'collation.coordinator@zhas.local', fullName: 'Орыс Үйлестіруші', role: 'COORDINATOR', locale: 'ru', passwordHash: null } });

    await sendDueReminders(running.database.prisma, { baseUrl, daysBeforeMonthEnd: 5, now: noon });
    const reminder = await running.database.prisma.outboxEmail.findFirstOrThrow({ where: { template: 'protocol-reminder', toAddress: 'collation.ulan@zhas.local' } });
    const inKazakh = ['Әуен тобы', 'Гүлзар тобы', 'Ғарыш тобы', 'Ядро тобы'];
    // November's groups, then September's and October's (oldest month first), each in the Kazakh alphabet.
    expect([...reminder.textBody.matchAll(/^- (\S+ тобы)/gm)].map((match) => match[1])).toEqual([...inKazakh, ...inKazakh, ...inKazakh]);

    await sendDueDigests(running.database.prisma, { baseUrl, now: noon });
    const mentorsOfAtyrau = async (to: string, regionName: string) => {
      const digest = await running.database.prisma.outboxEmail.findFirstOrThrow({ where: { template: 'protocols-missing-digest', toAddress: to } });
      const text = digest.textBody.slice(digest.textBody.indexOf(regionName));
      return [...text.matchAll(/^ {2}\S+: (\S+ Ментор)$/gm)].map((match) => match[1]);
    };
    expect(await mentorsOfAtyrau('coordinator@zhas.local', 'Атырау облысы')).toEqual(['Ұлан Ментор', 'Үміт Ментор']);
    expect(await mentorsOfAtyrau('collation.coordinator@zhas.local', 'Атырауская область')).toEqual(['Үміт Ментор', 'Ұлан Ментор']);
  });
});

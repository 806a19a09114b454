/**
 * The e-mail a mentor gets when a youth group is assigned to her (by the group form or by an import):
 * enqueued in the transaction of the assignment, in her language, with a link to her group page.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import { formatMonth } from '../../lib/dates.ts';
import { localisedName } from '../../lib/localised-name.ts';
import type { EmailLanguage } from '../mail/email-templates.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import { programmeLastMonth } from './month-rules.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export async function notifyMentorOfGroup(db: Db, input: { groupId: number; mentorId: number; baseUrl: string }): Promise<void> {
  const [group, mentor] = await Promise.all([
    db.youthGroup.findUnique({ where: { id: input.groupId }, include: { region: true } }),
    db.user.findFirst({ where: { id: input.mentorId, role: 'MENTOR', isActive: true }, select: { email: true, fullName: true, locale: true } }),
  ]);
  if (!group || !mentor) return;
  const locale = mentor.locale as EmailLanguage;
  await enqueueEmail(db, {
    to: mentor.email,
    locale,
    template: 'group-assigned',
    data: {
      mentorName: mentor.fullName,
      groupName: group.name,
      projectTitle: group.projectTitle,
      regionName: localisedName(group.region, locale),
      periodFrom: formatMonth(group.programmeStartMonth, locale),
      periodTo: formatMonth(programmeLastMonth(group), locale),
      groupUrl: `${input.baseUrl}/mentor/groups/${group.id}`,
      homeUrl: `${input.baseUrl}/mentor`,
    },
  });
}

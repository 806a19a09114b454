/**
 * The mentor's page of one of her groups: the project, the host organisation and the period, the
 * participants with their contacts, each programme month's protocol state and whom to ask.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { monthStartOf } from '../../lib/dates.ts';
import { findProgrammeContact } from '../contact/programme-contact.service.ts';
import type { MonthEntry } from './mentor-home.service.ts';
import { complianceStateOf, monthParam, programmeLastMonth, programmeMonthsOf } from './month-rules.ts';
import { findMentorGroup, participantsByName } from './protocols.service.ts';

/** 404 (as for a group that does not exist) unless the group is this mentor's. Participants by name in the page's language. */
export async function mentorGroupPage(prisma: PrismaClient, mentorId: number, groupId: number, language: string, now = new Date()) {
  const group = await findMentorGroup(prisma, mentorId, groupId);
  const currentMonth = monthStartOf(now);
  const [protocols, coordinatorContact] = await Promise.all([
    prisma.sessionProtocol.findMany({ where: { groupId: group.id }, select: { month: true, status: true, submittedAt: true } }),
    findProgrammeContact(prisma, group.regionId),
  ]);
  const months = programmeMonthsOf(group).map((month): MonthEntry => ({
    month,
    param: monthParam(month),
    state: complianceStateOf(month, currentMonth, protocols.find((protocol) => protocol.month.getTime() === month.getTime())),
    canOpen: month.getTime() <= currentMonth.getTime(),
  }));
  return {
    group: {
      id: group.id,
      name: group.name,
      region: group.region,
      projectTitle: group.projectTitle,
      projectDescription: group.projectDescription,
      hostOrganisationName: group.hostOrganisationName,
      firstMonth: group.programmeStartMonth,
      lastMonth: programmeLastMonth(group),
      // The IIN stays with the coordinator: the mentor needs a name and a way to reach each participant.
      participants: participantsByName(group.participants, language).map((participant) => ({ id: participant.id, fullName: participant.fullName, age: participant.age, contact: participant.contact })),
    },
    months,
    coordinatorContact,
  };
}

import type { PrismaClient } from '../../generated/prisma/client.ts';
import { monthStartOf } from '../../lib/dates.ts';
import { inGroupParticipant } from './participant-scope.ts';
import { compareText, sortByText } from '../../lib/collation.ts';
import { trainingNamesInOrder } from './trainings.service.ts';
import { complianceStateOf, daysLeftInMonth, monthBounds, monthParam, monthStateOf, programmeMonthsOf, type ComplianceState, type MonthState } from './month-rules.ts';

export { monthStateOf, type MonthState };

export interface MonthEntry {
  month: Date;
  /** "2026-03", the month's part of the protocol URL. */
  param: string;
  /** The same state as on the coordinator's grid (complianceStateOf). */
  state: ComplianceState;
  /** The mentor can open the protocol page (the month has begun). */
  canOpen: boolean;
}

export interface MentorAction {
  groupId: number;
  groupName: string;
  month: Date;
  param: string;
  state: ComplianceState;
  /** This month's protocol, or one of an earlier month still not submitted. */
  isCurrentMonth: boolean;
  /** The last calendar day to submit it on (the month's last day, Almaty). */
  deadline: Date;
}

/** The mentor's groups by name in the page's language, with each programme month's protocol state, in one query. */
export async function mentorGroups(prisma: PrismaClient, mentorId: number, language: string, now = new Date()) {
  const currentMonth = monthStartOf(now);
  const found = await prisma.youthGroup.findMany({
    where: { mentorId },
    include: {
      region: true,
      protocols: { select: { month: true, status: true, submittedAt: true } },
      _count: { select: { participants: { where: inGroupParticipant } } },
    },
  });
  return sortByText(found, (group) => group.name, language, (group) => group.id).map((group) => ({
    id: group.id,
    name: group.name,
    projectTitle: group.projectTitle,
    hostOrganisationName: group.hostOrganisationName,
    region: group.region,
    participantCount: group._count.participants,
    months: programmeMonthsOf(group).map((month): MonthEntry => ({
      month,
      param: monthParam(month),
      state: complianceStateOf(month, currentMonth, group.protocols.find((protocol) => protocol.month.getTime() === month.getTime())),
      canOpen: month.getTime() <= currentMonth.getTime(),
    })),
  }));
}

/**
 * What the mentor should do now, most urgent first: this month's protocol of each group (to write,
 * to finish, to correct), then earlier months that still have no submitted protocol, oldest first.
 */
export function mentorActions(groups: Awaited<ReturnType<typeof mentorGroups>>, currentMonth: Date, language: string): MentorAction[] {
  const compareNames = compareText(language);
  const actions: MentorAction[] = [];
  for (const group of groups) {
    for (const entry of group.months) {
      if (!['due', 'draft', 'returned', 'missing'].includes(entry.state) || !entry.canOpen) continue;
      actions.push({ groupId: group.id, groupName: group.name, month: entry.month, param: entry.param, state: entry.state, isCurrentMonth: entry.month.getTime() === currentMonth.getTime(), deadline: monthBounds(entry.month).last });
    }
  }
  return actions.sort((a, b) => Number(b.isCurrentMonth) - Number(a.isCurrentMonth) || a.month.getTime() - b.month.getTime() || compareNames(a.groupName, b.groupName) || a.groupId - b.groupId);
}

/** The trainings this mentor runs as a trainer, soonest first; their trainers and groups by name in the page's language. */
export async function trainingsOfTrainer(prisma: PrismaClient, userId: number, language: string) {
  const trainings = await prisma.training.findMany({
    where: { trainers: { some: { userId } } },
    orderBy: [{ startsOn: 'asc' }, { id: 'asc' }],
    include: {
      region: true,
      trainers: { include: { user: { select: { fullName: true } } } },
      groups: { include: { group: { select: { name: true } } } },
    },
  });
  return trainings.map((training) => trainingNamesInOrder(training, language));
}

/** Everything on /mentor, its lists by name in the page's language. */
export async function mentorHome(prisma: PrismaClient, mentorId: number, language: string, now = new Date()) {
  const currentMonth = monthStartOf(now);
  const [groups, trainings] = await Promise.all([mentorGroups(prisma, mentorId, language, now), trainingsOfTrainer(prisma, mentorId, language)]);
  const actions = mentorActions(groups, currentMonth, language);
  return {
    currentMonth,
    groups,
    currentActions: actions.filter((action) => action.isCurrentMonth),
    overdueActions: actions.filter((action) => !action.isCurrentMonth),
    /** Days left to submit this month's protocols, today included. */
    daysLeft: daysLeftInMonth(now),
    trainings,
  };
}

import type { PrismaClient } from '../../generated/prisma/client.ts';
import { monthStartOf, monthsFrom } from '../../lib/dates.ts';

/** How a programme month looks from the mentor's side. */
export type MonthState = 'submitted' | 'draft' | 'returned' | 'missing' | 'due' | 'upcoming';

export function monthStateOf(month: Date, currentMonth: Date, protocolStatus: string | undefined): MonthState {
  if (protocolStatus === 'SUBMITTED') return 'submitted';
  if (protocolStatus === 'RETURNED') return 'returned';
  if (protocolStatus === 'DRAFT') return 'draft';
  if (month.getTime() === currentMonth.getTime()) return 'due';
  return month < currentMonth ? 'missing' : 'upcoming';
}

/** The mentor's groups with each programme month's protocol state, in one query. */
export async function mentorGroups(prisma: PrismaClient, mentorId: number, now = new Date()) {
  const currentMonth = monthStartOf(now);
  const groups = await prisma.youthGroup.findMany({
    where: { mentorId },
    orderBy: { name: 'asc' },
    include: {
      region: true,
      protocols: { select: { month: true, status: true } },
      _count: { select: { participants: true } },
    },
  });
  return groups.map((group) => ({
    id: group.id,
    name: group.name,
    projectTitle: group.projectTitle,
    region: group.region,
    participantCount: group._count.participants,
    months: monthsFrom(group.programmeStartMonth, group.programmeMonths).map((month) => ({
      month,
      state: monthStateOf(month, currentMonth, group.protocols.find((protocol) => protocol.month.getTime() === month.getTime())?.status),
    })),
  }));
}

/**
 * A participant's attendance across the group's sessions (each protocol of the group: present or not)
 * and the trainings of the group (each of the four days: present, absent, or not recorded yet).
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { trainingDays } from './training.schemas.ts';

export async function participantAttendance(prisma: PrismaClient, participant: { id: number; groupId: number }) {
  const [protocols, trainings] = await Promise.all([
    prisma.sessionProtocol.findMany({
      where: { groupId: participant.groupId },
      orderBy: [{ month: 'asc' }],
      select: { id: true, month: true, status: true, sessionDate: true, attendance: { where: { participantId: participant.id }, select: { participantId: true } } },
    }),
    prisma.training.findMany({
      where: { groups: { some: { groupId: participant.groupId } } },
      orderBy: [{ startsOn: 'asc' }, { id: 'asc' }],
      select: { id: true, title: true, startsOn: true, endsOn: true, days: true, daysReason: true, attendance: { where: { participantId: participant.id }, select: { day: true, present: true } } },
    }),
  ]);
  return {
    sessions: protocols.map((protocol) => ({ protocolId: protocol.id, month: protocol.month, status: protocol.status, sessionDate: protocol.sessionDate, present: protocol.attendance.length > 0 })),
    trainings: trainings.map((training) => ({
      training,
      days: trainingDays.map((day) => {
        const row = training.attendance.find((entry) => entry.day === day);
        return { day, date: training.days.length === trainingDays.length ? training.days[day - 1] : null, present: row ? row.present : null };
      }),
    })),
  };
}

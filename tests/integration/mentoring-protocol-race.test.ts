import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import type { Database } from '../../src/db/database.ts';
import { calendarDateParam, todayInProgramme } from '../../src/features/mentoring/month-rules.ts';
import type { ProtocolFormValues } from '../../src/features/mentoring/protocol.schemas.ts';
import { saveMentorProtocol } from '../../src/features/mentoring/protocols.service.ts';
import { monthStartOf } from '../../src/lib/dates.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

let database: Database;
let mentorId: number;
let groupId: number;
let participantId: number;
const now = new Date();
const month = monthStartOf(now);

beforeAll(async () => {
  database = await createTestDatabase({ seed: 'demo' });
  const group = await database.prisma.youthGroup.findFirstOrThrow({ where: { name: 'Eco Steppe' }, include: { participants: true } });
  mentorId = group.mentorId!;
  groupId = group.id;
  participantId = group.participants[0].id;
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.prisma.sessionProtocol.deleteMany({ where: { groupId, month } });
});

const bind = (owner: object, value: unknown) => (typeof value === 'function' ? value.bind(owner) : value);

/**
 * The Prisma client as the second of two simultaneous first saves sees it: inside its transaction the
 * protocol is not there yet when it looks (the other transaction has not committed), but it is by the
 * time it inserts.
 */
function racingClient(prisma: PrismaClient): PrismaClient {
  return new Proxy(prisma, {
    get(target, property) {
      if (property !== '$transaction') return bind(target, Reflect.get(target, property));
      return (work: (tx: unknown) => Promise<unknown>) =>
        target.$transaction((tx) =>
          work(new Proxy(tx, {
            get(client, name) {
              const delegate = Reflect.get(client, name);
              if (name !== 'sessionProtocol') return bind(client, delegate);
              return new Proxy(delegate, { get: (model, method) => (method === 'findUnique' ? async () => null : bind(model, Reflect.get(model, method))) });
            },
          })),
        );
    },
  });
}

function values(overrides: Partial<ProtocolFormValues> = {}): ProtocolFormValues {
  return {
    sessionDate: calendarDateParam(todayInProgramme(now)), format: 'ONLINE', place: 'Zoom', durationMinutes: '60', attendance: [String(participantId)],
    issuesRaised: 'Вопросы второго окна', solutions: 'Решения', nextSteps: 'Шаги', notes: '', version: '', ...overrides,
  };
}

describe('two first saves of one protocol at the same moment', () => {
  it('the database key refuses the second (P2002), which is answered as a conflict, not an error', async () => {
    await database.prisma.sessionProtocol.create({ data: { groupId, month, mentorId, status: 'DRAFT', issuesRaised: 'Из первого окна' } });
    const outcome = await saveMentorProtocol(racingClient(database.prisma), { mentorId, groupId, month, values: values(), submit: false, now });
    expect(outcome).toMatchObject({ kind: 'conflict', reason: 'alreadyExists' });
    const stored = await database.prisma.sessionProtocol.findMany({ where: { groupId, month }, include: { attendance: true } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ issuesRaised: 'Из первого окна', status: 'DRAFT' });
    expect(stored[0].attendance).toEqual([]);
    // The version returned lets the mentor replace the other save on purpose.
    const again = await saveMentorProtocol(database.prisma, { mentorId, groupId, month, values: values({ version: (outcome as { version: string }).version }), submit: true, now });
    expect(again).toMatchObject({ kind: 'saved', status: 'SUBMITTED' }); // and the new version
  });

  it('says "already submitted" when the other one was a submission', async () => {
    await database.prisma.sessionProtocol.create({ data: { groupId, month, mentorId, status: 'SUBMITTED', submittedAt: now, issuesRaised: 'Сдано в первом окне' } });
    const outcome = await saveMentorProtocol(racingClient(database.prisma), { mentorId, groupId, month, values: values(), submit: true, now });
    expect(outcome).toMatchObject({ kind: 'conflict', reason: 'locked' });
    expect(await database.prisma.sessionProtocol.findFirstOrThrow({ where: { groupId, month } })).toMatchObject({ issuesRaised: 'Сдано в первом окне' });
  });
});

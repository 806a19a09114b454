import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { seedTestDemoData } from './demo-seed.ts';
import { createTestDatabase } from './test-database.ts';

/** November 2026, the month the mentoring jobs' tests are set in. */
export const november = new Date(Date.UTC(2026, 10, 1));

/**
 * A database with the demo programme as of `now`, for the reminder and digest jobs: opened before a
 * test file's tests, closed after them, and cleared of e-mails, reminders and November's protocols
 * before each test. Read `database` inside the tests.
 */
export function useMentoringJobsDatabase(now: Date): { database: Database } {
  const holder = {} as { database: Database };
  beforeAll(async () => {
    holder.database = await createTestDatabase();
    await seedTestDemoData(holder.database.prisma, now);
  });
  afterAll(async () => {
    await holder.database.close();
  });
  beforeEach(async () => {
    await holder.database.prisma.outboxEmail.deleteMany();
    await holder.database.prisma.mentorReminder.deleteMany();
    await holder.database.prisma.sessionProtocol.deleteMany({ where: { month: november } });
  });
  return holder;
}

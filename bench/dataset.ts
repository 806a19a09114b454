/**
 * The benchmark's data set, written with bulk SQL (INSERT … SELECT over generate_series / unnest):
 *
 * - seedDemoData(): six regions, one open cohort with quotas and the 5-criterion rubric, the demo
 *   accounts (password "zhas-demo-2026") and the demo mentor's three groups;
 * - committees of exactly three members per region (the demo's plus extra COMMITTEE users);
 * - applications spread over the regions at every stage, 8-9 document rows each (metadata only, no
 *   files), interviews, three scores per interviewed-and-scored candidate (one per region member, five
 *   criteria each) with Application.resultScore/scoreCount/scoreSpread computed from them, decisions;
 * - youth groups (mentored by 150 extra MENTOR users, every 60th by mentor@zhas.local) with five
 *   participants and six months of SessionProtocol rows with attendance;
 * - a pool of empty groups of one extra mentor whose open months the protocol-submission run fills.
 *
 * Applications and groups are added in ranges, so the same code builds the small data set and then
 * grows it to the full one (the SQL-per-request check compares the two).
 */
import type pg from 'pg';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { seedDemoData } from '../prisma/demo-data.ts';
import { monthStartOf } from '../src/lib/dates.ts';
import { makeIin } from '../src/lib/iin.ts';
import { candidateResult } from '../src/features/review/score-aggregation.ts';

export const benchPassword = 'zhas-demo-2026';
const benchMentorCount = 150;
/** Every this-many-th group belongs to mentor@zhas.local, so the mentor home grows with the data. */
const demoMentorEvery = 60;
const regionCodes = ['AKMOLA', 'ATYRAU', 'WEST_KAZAKHSTAN', 'MANGYSTAU', 'ASTANA', 'ALMATY'];

export interface ProtocolSlot {
  groupId: number;
  /** "2026-07", as in the protocol URL. */
  month: string;
  sessionDate: string;
  participantIds: number[];
}

export interface Dataset {
  cohortId: number;
  year: number;
  regionIds: Map<string, number>;
  users: { coordinator: string; committeeMember: string; mentor: string; protocolMentor: string };
  /** Open (group, month) pairs of the protocol mentor, handed out one per protocol submission. */
  protocolSlots: ProtocolSlot[];
  iins: IinFactory;
}

/** Valid, distinct IINs (check digit right, date of birth encoded) for a range of birth years. */
export class IinFactory {
  private readonly used = new Set<string>();
  private serial = 0;

  next(fromYear: number, toYear: number): { iin: string; birthDate: string; female: boolean } {
    for (;;) {
      this.serial += 1;
      const serial = this.serial;
      const years = toYear - fromYear + 1;
      const birth = new Date(Date.UTC(fromYear + (serial % years), (serial * 5) % 12, 1 + ((serial * 11) % 28)));
      const female = serial % 2 === 0;
      const iin = makeIin(birth, female, (serial * 37) % 10_000);
      if (this.used.has(iin)) continue;
      this.used.add(iin);
      return { iin, birthDate: birth.toISOString().slice(0, 10), female };
    }
  }
}

function monthsBack(month: Date, count: number): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() - count, 1));
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The demo seed plus committees, extra mentors and the protocol-submission pool. */
export async function createBaseData(prisma: PrismaClient, db: pg.Client, options: { protocolGroups: number }): Promise<Dataset> {
  const { seeded } = await seedDemoData(prisma);
  if (!seeded) throw new Error('the benchmark database is not empty');

  const cohort = (await db.query<{ id: number; year: number }>('SELECT id, year FROM "Cohort" ORDER BY id LIMIT 1')).rows[0];
  const regionRows = (await db.query<{ id: number; code: string }>('SELECT id, code FROM "Region"')).rows;
  const regionIds = new Map(regionRows.map((row) => [row.code, row.id]));
  const passwordHash = (await db.query<{ passwordHash: string }>(`SELECT "passwordHash" FROM "User" WHERE email = 'coordinator@zhas.local'`)).rows[0].passwordHash;

  // Committees: three members per region, one of them chair (the demo has Astana's three and one in Almaty).
  for (const code of regionCodes) {
    const regionId = regionIds.get(code)!;
    const existing = (await db.query<{ isChair: boolean }>('SELECT "isChair" FROM "CommitteeMembership" WHERE "regionId" = $1', [regionId])).rows;
    const hasChair = existing.some((row) => row.isChair);
    for (let seat = existing.length; seat < 3; seat += 1) {
      const isChair = !hasChair && seat === existing.length;
      const email = `${isChair ? 'chair' : `member${seat}`}.${code.toLowerCase()}@bench.zhas.local`;
      await db.query(
        `WITH u AS (
           INSERT INTO "User" (email, "fullName", role, "passwordHash", "updatedAt")
           VALUES ($1, $2, 'COMMITTEE', $3, now()) RETURNING id
         )
         INSERT INTO "CommitteeMembership" ("userId", "regionId", "isChair") SELECT id, $4, $5 FROM u`,
        [email, `Член комиссии ${code} ${seat + 1}`, passwordHash, regionId, isChair],
      );
    }
  }

  // Mentors of the generated groups, and the one whose empty groups the protocol run fills.
  await db.query(
    `INSERT INTO "User" (email, "fullName", role, "passwordHash", "updatedAt")
     SELECT 'mentor' || lpad(g::text, 3, '0') || '@bench.zhas.local', 'Ментор ' || g, 'MENTOR', $1, now()
     FROM generate_series(1, $2::int) AS g(g)`,
    [passwordHash, benchMentorCount],
  );
  const protocolMentor = 'protocol.runner@bench.zhas.local';
  await db.query(`INSERT INTO "User" (email, "fullName", role, "passwordHash", "updatedAt") VALUES ($1, 'Ментор нагрузочного теста', 'MENTOR', $2, now())`, [protocolMentor, passwordHash]);

  const iins = new IinFactory();
  const dataset: Dataset = {
    cohortId: cohort.id,
    year: cohort.year,
    regionIds,
    users: { coordinator: 'coordinator@zhas.local', committeeMember: 'member.astana@zhas.local', mentor: 'mentor@zhas.local', protocolMentor },
    protocolSlots: [],
    iins,
  };
  dataset.protocolSlots = await createProtocolPool(db, dataset, protocolMentor, options.protocolGroups);
  return dataset;
}

/** Groups of the protocol mentor in Astana whose six months (five past, the current one) have no protocol yet. */
async function createProtocolPool(db: pg.Client, dataset: Dataset, mentorEmail: string, groups: number): Promise<ProtocolSlot[]> {
  const currentMonth = monthStartOf(new Date());
  const start = monthsBack(currentMonth, 5);
  const participantIins = Array.from({ length: groups * 3 }, () => dataset.iins.next(1998, 2011).iin);
  const created = await db.query<{ id: number }>(
    `INSERT INTO "YouthGroup" (name, "regionId", "cohortId", "projectTitle", "hostOrganisationName", "programmeStartMonth", "programmeMonths", "mentorId", "updatedAt")
     SELECT 'Нагрузочная группа ' || g, $1, $2, 'Проект для нагрузочного теста', 'ОФ «Тест»', $3::date, 6,
            (SELECT id FROM "User" WHERE email = $4), now()
     FROM generate_series(1, $5::int) AS g(g)
     RETURNING id`,
    [dataset.regionIds.get('ASTANA'), dataset.cohortId, isoDate(start), mentorEmail, groups],
  );
  const groupIds = created.rows.map((row) => row.id).sort((a, b) => a - b);
  const participants = await db.query<{ id: number; groupId: number }>(
    `INSERT INTO "GroupParticipant" ("groupId", "fullName", iin, age, contact)
     SELECT g.id, 'Участник ' || p, ($2::text[])[(row_number() OVER ())::int], 16 + p, '+77010000' || lpad(p::text, 3, '0')
     FROM unnest($1::int[]) AS g(id), generate_series(1, 3) AS p
     RETURNING id, "groupId"`,
    [groupIds, participantIins],
  );
  const byGroup = new Map<number, number[]>();
  for (const row of participants.rows) byGroup.set(row.groupId, [...(byGroup.get(row.groupId) ?? []), row.id]);
  const slots: ProtocolSlot[] = [];
  // Oldest month first for every group, so the slots in use are spread over many groups.
  for (let offset = 0; offset < 6; offset += 1) {
    const month = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + offset, 1));
    for (const groupId of groupIds) {
      slots.push({ groupId, month: isoDate(month).slice(0, 7), sessionDate: isoDate(month), participantIds: byGroup.get(groupId) ?? [] });
    }
  }
  return slots;
}

const firstNames = ['Айжан', 'Бауыржан', 'Гаухар', 'Данияр', 'Жанар', 'Ильяс', 'Камила', 'Лаура', 'Мадина', 'Нурсултан', 'Салтанат', 'Тимур', 'Улжан', 'Ерболат', 'Ольга', 'Сергей', 'Асель', 'Руслан'];
const lastNames = ['Касымова', 'Омаров', 'Смагулова', 'Абенов', 'Есенова', 'Нургалиев', 'Ахметжанова', 'Бекова', 'Тулегенова', 'Ибраев', 'Мукашева', 'Каримов', 'Рахимова', 'Сейткали', 'Иванова', 'Ким', 'Жаксыбекова', 'Ли'];

/**
 * Applications number `from`..`to` (1-based, global across calls) with everything hanging off them.
 * Status by a fixed pattern of the index: 30% submitted, 20% screening, 7% incomplete, 10% interview,
 * 18% scored, 3% selected, 4% reserve, 6% rejected (half of them after the interview), 2% withdrawn.
 */
export async function addApplications(db: pg.Client, dataset: Dataset, from: number, to: number): Promise<void> {
  const count = to - from + 1;
  if (count <= 0) return;
  const people = Array.from({ length: count }, () => dataset.iins.next(1966, 1995));
  const regionOrder = regionCodes.map((code) => dataset.regionIds.get(code)!);
  await db.query('BEGIN');
  try {
    // Numbers continue the cohort's sequence (submissions made in between have taken some).
    const sequence = await db.query<{ lastNumber: number }>(`SELECT "lastNumber" FROM "ApplicationNumberSequence" WHERE "cohortId" = $1 FOR UPDATE`, [dataset.cohortId]);
    const firstNumber = sequence.rows[0].lastNumber + 1;
    const inserted = await db.query<{ first: number; last: number }>(
      `WITH src AS (
         SELECT i, (i - $1::int + 1) AS k, (i * 37) % 100 AS bucket,
                ($4::int[])[((i - 1) % 6) + 1] AS region_id
         FROM generate_series($1::int, $2::int) AS i
       ), ins AS (
         INSERT INTO "Application" (
           number, "cohortId", "regionId", status, locale, "fullName", "birthDate", iin, phone, email,
           "residenceMonths", occupation, organisation, education, "experienceYears", "experienceDescription",
           "vulnerableYouthWork", "availableForTrips", languages, motivation,
           "declaresNotYouthGroupMember", "declaresNotHostOrgHeadOrAccountant", "consentsToDataProcessing", "consentedAt",
           "statusTokenExpiresAt", "completeAt", "withdrawnAt", "submittedAt", "updatedAt")
         SELECT
           'ZM-' || $3::int || '-' || lpad(($10::int + k - 1)::text, 5, '0'), $5::int, region_id,
           (CASE WHEN bucket < 30 THEN 'SUBMITTED' WHEN bucket < 50 THEN 'SCREENING' WHEN bucket < 57 THEN 'INCOMPLETE'
                 WHEN bucket < 67 THEN 'INTERVIEW' WHEN bucket < 85 THEN 'SCORED' WHEN bucket < 88 THEN 'SELECTED'
                 WHEN bucket < 92 THEN 'RESERVE' WHEN bucket < 98 THEN 'REJECTED' ELSE 'WITHDRAWN' END)::"ApplicationStatus",
           (CASE i % 3 WHEN 0 THEN 'kk' WHEN 1 THEN 'ru' ELSE 'en' END)::"Locale",
           ($8::text[])[(i % array_length($8::text[], 1)) + 1] || ' ' || ($9::text[])[((i / 7) % array_length($9::text[], 1)) + 1],
           ($7::date[])[k], ($6::text[])[k],
           '+7701' || lpad((1000000 + i)::text, 7, '0'), 'applicant' || i || '@example.kz',
           6 + (i % 120), 'Социальный педагог', 'Молодёжный ресурсный центр №' || (i % 40),
           'Высшее, педагогика', 5 + (i % 20),
           repeat('Веду проекты с подростками района, организую волонтёрские акции. ', 4),
           'Работаю с подростками из малообеспеченных семей и с детьми из интернатов.',
           i % 5 <> 0, ARRAY['kk', 'ru'], repeat('Хочу помочь молодым людям довести их идеи до результата. ', 3),
           true, true, true, now() - ((i % 14) || ' days')::interval,
           now() + interval '365 days',
           CASE WHEN bucket BETWEEN 57 AND 94 THEN now() - interval '6 days' END,
           CASE WHEN bucket >= 98 THEN now() - interval '1 day' END,
           now() - ((i % 14) || ' days')::interval - ((i % 1440) || ' minutes')::interval, now()
         FROM src
         RETURNING id
       )
       SELECT min(id) AS first, max(id) AS last FROM ins`,
      [from, to, dataset.year, regionOrder, dataset.cohortId, people.map((person) => person.iin), people.map((person) => person.birthDate), firstNames, lastNames, firstNumber],
    );
    const { first, last } = inserted.rows[0];
    await addApplicationChildren(db, first, last);
    await db.query(`UPDATE "ApplicationNumberSequence" SET "lastNumber" = $2 WHERE "cohortId" = $1`, [dataset.cohortId, firstNumber + count - 1]);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

/** Documents, history, requests, interviews, scores (and the stored aggregates), decisions. */
async function addApplicationChildren(db: pg.Client, first: number, last: number): Promise<void> {
  const range = [first, last];
  // The region's members, ranked: rank 1 is the chair (who checks documents and schedules interviews).
  const members = `(SELECT "userId", "regionId", row_number() OVER (PARTITION BY "regionId" ORDER BY "isChair" DESC, "userId") AS rank FROM "CommitteeMembership")`;

  await db.query(
    `INSERT INTO "ApplicationDocument" (id, "applicationId", kind, "originalName", "storedName", "mimeType", "sizeBytes", sha256,
                                        "checkStatus", "rejectionReason", "checkedById", "checkedAt", "uploadedAt")
     SELECT gen_random_uuid(), a.id, d.kind::"DocumentKind", lower(d.kind) || '-' || d.n || '.pdf',
            'bench-' || a.id || '-' || d.kind || '-' || d.n, 'application/pdf', 150000 + ((a.id * 7919 + d.n * 104729) % 1850000),
            md5(a.id || d.kind || d.n) || md5(d.kind || a.id || d.n),
            (CASE WHEN a.status = 'SUBMITTED' OR a.status = 'WITHDRAWN' THEN 'PENDING'
                  WHEN a.status = 'INCOMPLETE' AND d.kind = 'POLICE_CLEARANCE' THEN 'REJECTED'
                  WHEN a.status = 'SCREENING' AND d.ord > 4 THEN 'PENDING'
                  ELSE 'ACCEPTED' END)::"DocumentCheckStatus",
            CASE WHEN a.status = 'INCOMPLETE' AND d.kind = 'POLICE_CLEARANCE' THEN 'Скан нечитаем' END,
            CASE WHEN a.status NOT IN ('SUBMITTED', 'WITHDRAWN') THEN m."userId" END,
            CASE WHEN a.status NOT IN ('SUBMITTED', 'WITHDRAWN') THEN a."submittedAt" + interval '2 days' END,
            a."submittedAt"
     FROM "Application" a
     JOIN ${members} m ON m."regionId" = a."regionId" AND m.rank = 1
     CROSS JOIN LATERAL (VALUES
       ('ID_CARD', 1, 1), ('EDUCATION_DIPLOMA', 1, 2), ('YOUTH_WORK_CERTIFICATE', 1, 3), ('YOUTH_WORK_CERTIFICATE', 2, 4),
       ('RESIDENCE_PROOF', 1, 5), ('POLICE_CLEARANCE', 1, 6), ('NARCOLOGY_STATEMENT', 1, 7), ('PSYCHIATRY_STATEMENT', 1, 8),
       ('RECOMMENDATION_LETTER', 1, 9)) AS d(kind, n, ord)
     WHERE a.id BETWEEN $1 AND $2 AND (d.n = 1 OR a.id % 2 = 0)`,
    range,
  );

  await db.query(
    `INSERT INTO "ApplicationStatusChange" ("applicationId", "fromStatus", "toStatus", "changedById", "changedAt")
     SELECT a.id, NULL::"ApplicationStatus", 'SUBMITTED'::"ApplicationStatus", NULL::int, a."submittedAt" FROM "Application" a WHERE a.id BETWEEN $1 AND $2
     UNION ALL
     SELECT a.id, 'SUBMITTED'::"ApplicationStatus", a.status, m."userId", a."submittedAt" + interval '3 days'
     FROM "Application" a JOIN ${members} m ON m."regionId" = a."regionId" AND m.rank = 1
     WHERE a.id BETWEEN $1 AND $2 AND a.status <> 'SUBMITTED'`,
    range,
  );

  await db.query(
    `INSERT INTO "DocumentRequest" ("applicationId", kind, message, "requestedById", "requestedAt")
     SELECT a.id, 'POLICE_CLEARANCE', 'Скан нечитаем, загрузите, пожалуйста, ещё раз', m."userId", a."submittedAt" + interval '3 days'
     FROM "Application" a JOIN ${members} m ON m."regionId" = a."regionId" AND m.rank = 1
     WHERE a.id BETWEEN $1 AND $2 AND a.status = 'INCOMPLETE'`,
    range,
  );

  // Interviewed: every status after the interview, and the rejected ones with completeAt set.
  const interviewed = `(a.status IN ('INTERVIEW', 'SCORED', 'SELECTED', 'RESERVE') OR (a.status = 'REJECTED' AND a."completeAt" IS NOT NULL))`;
  const scored = `(a.status IN ('SCORED', 'SELECTED', 'RESERVE') OR (a.status = 'REJECTED' AND a."completeAt" IS NOT NULL))`;
  await db.query(
    `INSERT INTO "Interview" ("applicationId", "scheduledAt", "durationMinutes", place, "scheduledById", "updatedAt")
     SELECT a.id, CASE WHEN a.status = 'INTERVIEW' THEN now() + interval '2 days' ELSE now() - interval '3 days' END, 45,
            'Дворец молодёжи, ауд. ' || (a.id % 20), m."userId", now()
     FROM "Application" a JOIN ${members} m ON m."regionId" = a."regionId" AND m.rank = 1
     WHERE a.id BETWEEN $1 AND $2 AND ${interviewed}`,
    range,
  );

  await db.query(
    `INSERT INTO "Score" ("applicationId", "reviewerId", comment, "submittedAt", "updatedAt")
     SELECT a.id, m."userId", CASE WHEN m.rank = 1 THEN 'Хорошо понимает работу с уязвимой молодёжью.' END,
            now() - interval '2 days', now() - interval '2 days'
     FROM "Application" a JOIN ${members} m ON m."regionId" = a."regionId" AND m.rank <= 3
     WHERE a.id BETWEEN $1 AND $2 AND ${scored}`,
    range,
  );
  // Values by outcome: selected 4-5, reserve 3-4, scored 2-5, rejected 1-2; members differ a little.
  await db.query(
    `INSERT INTO "ScoreItem" ("scoreId", "criterionId", value)
     SELECT s.id, c.id,
            LEAST(5, GREATEST(1,
              (CASE a.status WHEN 'SELECTED' THEN 4 WHEN 'RESERVE' THEN 3 WHEN 'REJECTED' THEN 1 ELSE 2 + (a.id % 3) END)
              + ((a.id + s."reviewerId" + c."sortOrder") % 2)))
     FROM "Score" s
     JOIN "Application" a ON a.id = s."applicationId"
     JOIN "RubricCriterion" c ON c."cohortId" = a."cohortId"
     WHERE s."applicationId" BETWEEN $1 AND $2`,
    range,
  );
  // The stored aggregates, as the scoring service computes them (see verifyScoreAggregates).
  await db.query(
    `UPDATE "Application" a
     SET "resultScore" = round(r.result, 3), "scoreCount" = r.n, "scoreSpread" = round(r.spread, 3)
     FROM (
       SELECT member."applicationId", avg(member.mean) AS result, count(*)::int AS n, max(member.mean) - min(member.mean) AS spread
       FROM (
         SELECT s.id, s."applicationId", sum(c.weight * si.value) / sum(c.weight) AS mean
         FROM "Score" s JOIN "ScoreItem" si ON si."scoreId" = s.id JOIN "RubricCriterion" c ON c.id = si."criterionId"
         WHERE s."applicationId" BETWEEN $1 AND $2
         GROUP BY s.id, s."applicationId"
       ) member
       GROUP BY member."applicationId"
     ) r
     WHERE a.id = r."applicationId"`,
    range,
  );

  await db.query(
    `INSERT INTO "Decision" ("applicationId", outcome, "decidedById", "decidedAt")
     SELECT a.id, a.status::text::"DecisionOutcome", m."userId", now() - interval '1 day'
     FROM "Application" a JOIN ${members} m ON m."regionId" = a."regionId" AND m.rank = 1
     WHERE a.id BETWEEN $1 AND $2 AND a.status IN ('SELECTED', 'RESERVE', 'REJECTED')`,
    range,
  );
}

/**
 * Groups number `from`..`to` with five participants and protocols for all six months: the five past
 * months submitted (every 10th late, every 10th group's third month returned), the current month a
 * draft in even groups and submitted in odd ones.
 */
export async function addGroups(db: pg.Client, dataset: Dataset, from: number, to: number): Promise<void> {
  const count = to - from + 1;
  if (count <= 0) return;
  const currentMonth = monthStartOf(new Date());
  const start = monthsBack(currentMonth, 5);
  const regionOrder = regionCodes.map((code) => dataset.regionIds.get(code)!);
  const participantIins = Array.from({ length: count * 5 }, () => dataset.iins.next(1998, 2011).iin);
  await db.query('BEGIN');
  try {
    const groups = await db.query<{ first: number; last: number }>(
      `WITH ins AS (
         INSERT INTO "YouthGroup" (name, "regionId", "cohortId", "projectTitle", "projectDescription", "hostOrganisationName",
                                   "programmeStartMonth", "programmeMonths", "mentorId", "updatedAt")
         SELECT 'Инициативная группа ' || lpad(g::text, 3, '0'), ($3::int[])[((g - 1) % 6) + 1], $4,
                'Социальный проект №' || g, repeat('Описание проекта группы. ', 5), 'ОФ «Жастар» №' || (g % 50),
                $5::date, 6,
                CASE WHEN g % $6::int = 0 THEN (SELECT id FROM "User" WHERE email = 'mentor@zhas.local')
                     ELSE (SELECT id FROM "User" WHERE email = 'mentor' || lpad((((g - 1) % $7::int) + 1)::text, 3, '0') || '@bench.zhas.local') END,
                now()
         FROM generate_series($1::int, $2::int) AS g
         RETURNING id
       )
       SELECT min(id) AS first, max(id) AS last FROM ins`,
      [from, to, regionOrder, dataset.cohortId, isoDate(start), demoMentorEvery, benchMentorCount],
    );
    const { first, last } = groups.rows[0];
    await db.query(
      `INSERT INTO "GroupParticipant" ("groupId", "fullName", iin, age, contact)
       SELECT g.id, ($4::text[])[(g.id + p) % array_length($4::text[], 1) + 1] || ' ' || p, ($3::text[])[((g.id - $1) * 5 + p)::int], 15 + ((g.id + p) % 14),
              '+7702' || lpad((g.id * 10 + p)::text, 7, '0')
       FROM "YouthGroup" g, generate_series(1, 5) AS p
       WHERE g.id BETWEEN $1 AND $2`,
      [first, last, participantIins, firstNames],
    );
    await db.query(
      `INSERT INTO "SessionProtocol" ("groupId", month, "mentorId", status, "sessionDate", format, place, "durationMinutes",
                                      "issuesRaised", solutions, "nextSteps", notes, "submittedAt", "returnedAt", "returnedById", "returnComment", "updatedAt")
       SELECT g.id, m.month, g."mentorId", st.status::"ProtocolStatus", CASE WHEN m.o = 5 THEN m.month ELSE m.month + 10 END, (CASE WHEN m.o % 2 = 0 THEN 'IN_PERSON' ELSE 'ONLINE' END)::"SessionFormat",
              'Молодёжный центр', 90, 'Распределение ролей в команде; бюджет; план месяца.', 'Назначены ответственные; составлен календарь.',
              'Подготовить отчёт.', '',
              CASE WHEN st.status <> 'SUBMITTED' THEN NULL WHEN m.o = 5 THEN now()
                   WHEN (g.id + m.o) % 10 = 0 THEN m.month + interval '1 month 3 days' ELSE m.month + 12 END,
              CASE WHEN st.status = 'RETURNED' THEN m.month + 20 END,
              CASE WHEN st.status = 'RETURNED' THEN (SELECT id FROM "User" WHERE email = 'coordinator@zhas.local') END,
              CASE WHEN st.status = 'RETURNED' THEN 'Уточните, пожалуйста, решения.' END,
              now()
       FROM "YouthGroup" g
       CROSS JOIN LATERAL (SELECT o, ($3::date + (o || ' months')::interval)::date AS month FROM generate_series(0, 5) AS o) m
       CROSS JOIN LATERAL (SELECT CASE WHEN m.o = 5 THEN (CASE WHEN g.id % 2 = 0 THEN 'DRAFT' ELSE 'SUBMITTED' END)
                                       WHEN m.o = 2 AND g.id % 10 = 3 THEN 'RETURNED' ELSE 'SUBMITTED' END AS status) st
       WHERE g.id BETWEEN $1 AND $2`,
      [first, last, isoDate(start)],
    );
    await db.query(
      `INSERT INTO "ProtocolAttendance" ("protocolId", "participantId")
       SELECT sp.id, p.id
       FROM "SessionProtocol" sp
       JOIN LATERAL (SELECT id, row_number() OVER (ORDER BY id) AS rank FROM "GroupParticipant" WHERE "groupId" = sp."groupId") p ON p.rank <= 3 + (sp.id % 3)
       WHERE sp."groupId" BETWEEN $1 AND $2`,
      [first, last],
    );
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

/** Fresh planner statistics after a bulk load (autovacuum would do it later, mid-benchmark). */
export async function analyze(db: pg.Client): Promise<void> {
  await db.query('VACUUM (ANALYZE)');
}

export async function datasetCounts(db: pg.Client): Promise<Record<string, number>> {
  const tables = ['Application', 'ApplicationDocument', 'ApplicationStatusChange', 'Interview', 'Score', 'ScoreItem', 'Decision', 'YouthGroup', 'GroupParticipant', 'SessionProtocol', 'ProtocolAttendance', 'User', 'CommitteeMembership'];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
  return counts;
}

/**
 * Checks on a sample that the stored aggregates equal what the portal's own score aggregation
 * (src/features/review/score-aggregation.ts) computes from the Score rows; throws if not.
 */
export async function verifyScoreAggregates(db: pg.Client, sample = 50): Promise<number> {
  const applications = (await db.query<{ id: number; resultScore: string; scoreCount: number; scoreSpread: string }>(
    `SELECT id, "resultScore", "scoreCount", "scoreSpread" FROM "Application" WHERE "scoreCount" > 0 ORDER BY random() LIMIT $1`,
    [sample],
  )).rows;
  for (const application of applications) {
    const items = (await db.query<{ scoreId: number; weight: string; value: number }>(
      `SELECT si."scoreId", c.weight, si.value FROM "Score" s JOIN "ScoreItem" si ON si."scoreId" = s.id JOIN "RubricCriterion" c ON c.id = si."criterionId" WHERE s."applicationId" = $1`,
      [application.id],
    )).rows;
    const byScore = new Map<number, { weight: number; value: number }[]>();
    for (const item of items) byScore.set(item.scoreId, [...(byScore.get(item.scoreId) ?? []), { weight: Number(item.weight), value: item.value }]);
    const expected = candidateResult([...byScore.values()].map((scoreItems) => ({ items: scoreItems })));
    const close = (stored: string, computed: number | null) => computed !== null && Math.abs(Number(stored) - computed) < 0.0006;
    if (expected.count !== application.scoreCount || !close(application.resultScore, expected.result) || !close(application.scoreSpread, expected.spread)) {
      throw new Error(`stored score aggregates of application ${application.id} disagree with the portal's aggregation: ${JSON.stringify({ application, expected })}`);
    }
  }
  return applications.length;
}

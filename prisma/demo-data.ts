import type { PrismaClient } from '../src/generated/prisma/client.ts';
import type { DocumentKind } from '../src/generated/prisma/enums.ts';
import { hashPassword, type PasswordHashing } from '../src/features/auth/password-hashing.ts';
import { monthStartOf, monthsFrom } from '../src/lib/dates.ts';
import { makeIin } from '../src/lib/iin.ts';
import { createDemoApplications } from './demo-applications.ts';
import type { DocumentKeySettings } from '../src/features/documents/document-encryption.ts';

/** Every demo account shares this password; it is printed by `npm start` and listed in the README. */
export const demoPassword = 'zhas-demo-2026';

export const demoAccounts = [
  { email: 'coordinator@zhas.local', fullName: 'Айгерим Сапарова', role: 'COORDINATOR', regions: [] },
  { email: 'chair.astana@zhas.local', fullName: 'Ержан Бекмуханов', role: 'COMMITTEE', regions: [{ code: 'ASTANA', isChair: true }] },
  { email: 'member.astana@zhas.local', fullName: 'Динара Оспанова', role: 'COMMITTEE', regions: [{ code: 'ASTANA', isChair: false }] },
  { email: 'member2.astana@zhas.local', fullName: 'Асель Жаксыбекова', role: 'COMMITTEE', regions: [{ code: 'ASTANA', isChair: false }] },
  { email: 'member.almaty@zhas.local', fullName: 'Марат Ким', role: 'COMMITTEE', regions: [{ code: 'ALMATY', isChair: false }] },
  { email: 'mentor@zhas.local', fullName: 'Гульнара Жумабаева', role: 'MENTOR', regions: [] },
] as const;

const regions = [
  { code: 'AKMOLA', nameRu: 'Акмолинская область', nameKk: 'Ақмола облысы', nameEn: 'Akmola Region', quota: 35 },
  { code: 'ATYRAU', nameRu: 'Атырауская область', nameKk: 'Атырау облысы', nameEn: 'Atyrau Region', quota: 30 },
  { code: 'WEST_KAZAKHSTAN', nameRu: 'Западно-Казахстанская область', nameKk: 'Батыс Қазақстан облысы', nameEn: 'West Kazakhstan Region', quota: 30 },
  { code: 'MANGYSTAU', nameRu: 'Мангистауская область', nameKk: 'Маңғыстау облысы', nameEn: 'Mangystau Region', quota: 30 },
  { code: 'ASTANA', nameRu: 'город Астана', nameKk: 'Астана қаласы', nameEn: 'Astana city', quota: 40 },
  { code: 'ALMATY', nameRu: 'город Алматы', nameKk: 'Алматы қаласы', nameEn: 'Almaty city', quota: 35 },
];

const rubric = [
  { code: 'youth_experience', nameRu: 'Опыт работы с молодёжью', nameKk: 'Жастармен жұмыс тәжірибесі', nameEn: 'Experience with young people', weight: 0.3 },
  { code: 'communication', nameRu: 'Коммуникация', nameKk: 'Коммуникация', nameEn: 'Communication', weight: 0.2 },
  { code: 'motivation', nameRu: 'Мотивация', nameKk: 'Уәждеме', nameEn: 'Motivation', weight: 0.2 },
  { code: 'vulnerable_groups', nameRu: 'Понимание уязвимых групп', nameKk: 'Осал топтарды түсіну', nameEn: 'Understanding of vulnerable groups', weight: 0.2 },
  { code: 'availability', nameRu: 'Готовность к поездкам', nameKk: 'Іссапарларға дайындық', nameEn: 'Availability for trips', weight: 0.1 },
];

const allDocumentKinds: DocumentKind[] = [
  'ID_CARD', 'EDUCATION_DIPLOMA', 'YOUTH_WORK_CERTIFICATE', 'RESIDENCE_PROOF',
  'POLICE_CLEARANCE', 'NARCOLOGY_STATEMENT', 'PSYCHIATRY_STATEMENT', 'RECOMMENDATION_LETTER',
];

const dayMs = 24 * 3_600_000;

/** True when the database already holds data (the demo is only written into an empty one). */
export async function hasAnyData(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.region.count()) > 0;
}

/**
 * The demo: six regions, a cohort whose window is open today, one account per role, and three
 * youth groups of the demo mentor in Astana with a few protocols. Writes nothing if data exists.
 */
export interface DemoSeedOptions {
  now?: Date;
  /** Also write applications at every stage (with small PDFs in this upload folder): `npm start` does. */
  applicationsUploadDir?: string;
  /** The master key the demo documents are encrypted under (the portal's configuration): needed with applicationsUploadDir. */
  documentKeys?: DocumentKeySettings;
  /** argon2 cost of the demo accounts' hash: the production parameters unless given (tests pass cheap ones). */
  passwordHashing?: PasswordHashing;
}

function missingDocumentKeys(): never {
  throw new Error('seedDemoData: documentKeys are needed to write the demo documents');
}

export async function seedDemoData(prisma: PrismaClient, optionsOrNow: DemoSeedOptions | Date = {}): Promise<{ seeded: boolean }> {
  const options: DemoSeedOptions = optionsOrNow instanceof Date ? { now: optionsOrNow } : optionsOrNow;
  const now = options.now ?? new Date();
  if (await hasAnyData(prisma)) return { seeded: false };
  const passwordHash = await hashPassword(demoPassword, options.passwordHashing);

  await prisma.$transaction(async (tx) => {
    const regionIds = new Map<string, number>();
    for (const [index, region] of regions.entries()) {
      const { quota: _quota, ...data } = region;
      const created = await tx.region.create({ data: { ...data, sortOrder: index } });
      regionIds.set(region.code, created.id);
    }

    const cohort = await tx.cohort.create({
      data: {
        name: `Zhas ${new Date(now).getUTCFullYear()}`,
        year: new Date(now).getUTCFullYear(),
        applicationOpensAt: new Date(now.getTime() - 14 * dayMs),
        applicationClosesAt: new Date(now.getTime() + 30 * dayMs),
        resultsAt: new Date(now.getTime() + 55 * dayMs),
        requiredDocuments: allDocumentKinds,
        contactEmail: 'mentors@zhas.local',
        contactPhone: '+7 7172 55 00 00',
        quotas: { create: regions.map((region) => ({ regionId: regionIds.get(region.code)!, quota: region.quota })) },
        rubricCriteria: { create: rubric.map((criterion, index) => ({ ...criterion, sortOrder: index })) },
        applicationSeqs: { create: {} },
      },
    });

    const userIds = new Map<string, number>();
    for (const account of demoAccounts) {
      const user = await tx.user.create({
        data: {
          email: account.email,
          fullName: account.fullName,
          role: account.role,
          passwordHash,
          memberships: { create: account.regions.map((membership) => ({ regionId: regionIds.get(membership.code)!, isChair: membership.isChair })) },
        },
      });
      userIds.set(account.email, user.id);
    }

    // The programme started two months ago, so the mentor home shows past, current and future months.
    const currentMonth = monthStartOf(now);
    const programmeStart = new Date(Date.UTC(currentMonth.getUTCFullYear(), currentMonth.getUTCMonth() - 2, 1));
    const mentorId = userIds.get('mentor@zhas.local')!;
    const groups = [
      { name: 'Жастар үні', projectTitle: 'Молодёжный подкаст о профессиях', host: 'ОФ «Болашақ жастары»' },
      { name: 'Eco Steppe', projectTitle: 'Сортировка отходов в школах района', host: 'ОО «Таза өңір»' },
      { name: 'Көмек', projectTitle: 'Волонтёрская помощь пожилым соседям', host: 'ОФ «Мейірім»' },
    ];
    let serial = 100;
    for (const [groupIndex, group] of groups.entries()) {
      const created = await tx.youthGroup.create({
        data: {
          name: group.name,
          regionId: regionIds.get('ASTANA')!,
          cohortId: cohort.id,
          projectTitle: group.projectTitle,
          projectDescription: '',
          hostOrganisationName: group.host,
          programmeStartMonth: programmeStart,
          programmeMonths: 6,
          mentorId,
          participants: {
            create: ['Алия', 'Нурлан', 'Дана', 'Тимур'].map((firstName, index) => {
              const age = 17 + index + groupIndex;
              const birth = new Date(Date.UTC(now.getUTCFullYear() - age, index + 1, 10 + groupIndex));
              serial += 1;
              return { fullName: `${firstName} ${['Ахметова', 'Садыков', 'Ермекова', 'Ли'][index]}`, age, iin: makeIin(birth, index % 2 === 0, serial), contact: `+7701${String(1_000_000 + serial).slice(1)}` };
            }),
          },
        },
        include: { participants: true },
      });
      const [firstMonth, secondMonth] = monthsFrom(programmeStart, 2);
      if (groupIndex < 2) {
        await tx.sessionProtocol.create({
          data: {
            groupId: created.id,
            month: firstMonth,
            mentorId,
            status: 'SUBMITTED',
            sessionDate: new Date(firstMonth.getTime() + 11 * dayMs),
            format: 'IN_PERSON',
            place: 'Астана, молодёжный центр',
            durationMinutes: 90,
            issuesRaised: 'Распределение ролей в команде; план первого месяца.',
            solutions: 'Назначены ответственные; составлен календарь встреч.',
            nextSteps: 'Подготовить бюджет проекта.',
            submittedAt: new Date(firstMonth.getTime() + 12 * dayMs),
            attendance: { create: created.participants.slice(0, 3).map((participant) => ({ participantId: participant.id })) },
          },
        });
      }
      if (groupIndex === 0) {
        await tx.sessionProtocol.create({
          data: { groupId: created.id, month: secondMonth, mentorId, status: 'DRAFT', issuesRaised: 'Бюджет и закупки.' },
        });
      }
    }

    if (options.applicationsUploadDir) {
      const committee = ['chair.astana@zhas.local', 'member.astana@zhas.local', 'member2.astana@zhas.local'].map((email) => userIds.get(email)!);
      await createDemoApplications(tx, { cohortId: cohort.id, year: cohort.year, regionIds, committee, uploadDir: options.applicationsUploadDir, documentKeys: options.documentKeys ?? missingDocumentKeys(), now });
    }
  }, { timeout: 60_000 });
  return { seeded: true };
}

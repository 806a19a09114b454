import type { PrismaClient } from '../src/generated/prisma/client.ts';
import type { DocumentKind } from '../src/generated/prisma/enums.ts';
import { hashPassword, type PasswordHashing } from '../src/features/auth/password-hashing.ts';
import { monthStartOf, monthsFrom } from '../src/lib/dates.ts';
import { makeIin } from '../src/lib/iin.ts';
import { createDemoApplications } from './demo-applications.ts';
import type { DocumentKeySettings } from '../src/features/documents/document-encryption.ts';
import type { DocumentStore } from '../src/features/documents/document-storage.ts';

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

/** The interview rubric; levels* say what each score from 1 to 5 means (shown next to the radio buttons). */
const rubric = [
  { code: 'youth_experience', nameRu: 'Опыт работы с молодёжью', nameKk: 'Жастармен жұмыс тәжірибесі', nameEn: 'Experience with young people', weight: 0.3,
    levelsRu: { '1': 'Нет опыта работы с молодёжью', '2': 'Эпизодический опыт: отдельные мероприятия', '3': 'Регулярная работа с молодёжью до двух лет', '4': 'Несколько лет работы, свои проекты с результатами', '5': 'Многолетний опыт, ведёт и обучает других' },
    levelsKk: { '1': 'Жастармен жұмыс тәжірибесі жоқ', '2': 'Кездейсоқ тәжірибе: жекелеген іс-шаралар', '3': 'Жастармен екі жылға дейін тұрақты жұмыс', '4': 'Бірнеше жылдық жұмыс, нәтижесі бар өз жобалары', '5': 'Көпжылдық тәжірибе, басқаларды басқарады және оқытады' },
    levelsEn: { '1': 'No experience with young people', '2': 'Occasional experience: single events', '3': 'Regular work with young people for up to two years', '4': 'Several years of work, own projects with results', '5': 'Many years of experience, leads and trains others' }
  },
  { code: 'communication', nameRu: 'Коммуникация', nameKk: 'Коммуникация', nameEn: 'Communication', weight: 0.2,
    levelsRu: { '1': 'Трудно понять, не слышит вопросов', '2': 'Отвечает коротко, с трудом поддерживает разговор', '3': 'Говорит понятно, слушает собеседника', '4': 'Ясно излагает мысли, задаёт встречные вопросы', '5': 'Убедительно и просто говорит с любой аудиторией' },
    levelsKk: { '1': 'Түсіну қиын, сұрақтарды естімейді', '2': 'Қысқа жауап береді, әңгімені әрең қолдайды', '3': 'Түсінікті сөйлейді, әңгімелесушіні тыңдайды', '4': 'Ойын анық жеткізеді, қарсы сұрақтар қояды', '5': 'Кез келген аудиториямен сенімді әрі қарапайым сөйлеседі' },
    levelsEn: { '1': 'Hard to follow, does not hear the questions', '2': 'Answers briefly, hardly keeps a conversation going', '3': 'Speaks clearly, listens to the other person', '4': 'Puts thoughts clearly, asks questions back', '5': 'Speaks convincingly and simply to any audience' }
  },
  { code: 'motivation', nameRu: 'Мотивация', nameKk: 'Уәждеме', nameEn: 'Motivation', weight: 0.2,
    levelsRu: { '1': 'Не может объяснить, зачем участвует', '2': 'Общие слова без связи с программой', '3': 'Понятная причина, связанная с молодёжью', '4': 'Конкретные цели для группы на год', '5': 'Ясный план и личная готовность вкладывать время' },
    levelsKk: { '1': 'Неге қатысатынын түсіндіре алмайды', '2': 'Бағдарламаға қатысы жоқ жалпы сөздер', '3': 'Жастармен байланысты түсінікті себеп', '4': 'Топқа бір жылға нақты мақсаттар', '5': 'Анық жоспар және уақыт бөлуге жеке дайындық' },
    levelsEn: { '1': 'Cannot say why they take part', '2': 'General words unrelated to the programme', '3': 'A clear reason linked to young people', '4': 'Concrete goals for a group over the year', '5': 'A clear plan and personal readiness to give time' }
  },
  { code: 'vulnerable_groups', nameRu: 'Понимание уязвимых групп', nameKk: 'Осал топтарды түсіну', nameEn: 'Understanding of vulnerable groups', weight: 0.2,
    levelsRu: { '1': 'Не знает, кто относится к уязвимым группам', '2': 'Знает понятие, но без примеров', '3': 'Приводит примеры, понимает основные риски', '4': 'Работал с уязвимой молодёжью, знает, куда направить', '5': 'Глубокий опыт, бережный подход и знание служб поддержки' },
    levelsKk: { '1': 'Осал топтарға кім жататынын білмейді', '2': 'Ұғымды біледі, бірақ мысалсыз', '3': 'Мысал келтіреді, негізгі тәуекелдерді түсінеді', '4': 'Осал жастармен жұмыс істеген, қайда жіберу керектігін біледі', '5': 'Терең тәжірибе, ұқыпты тәсіл және қолдау қызметтерін білу' },
    levelsEn: { '1': 'Does not know who belongs to vulnerable groups', '2': 'Knows the notion, but with no examples', '3': 'Gives examples, understands the main risks', '4': 'Has worked with vulnerable young people, knows where to refer them', '5': 'Deep experience, a careful approach and knowledge of support services' }
  },
  { code: 'availability', nameRu: 'Готовность к поездкам', nameKk: 'Іссапарларға дайындық', nameEn: 'Availability for trips', weight: 0.1,
    levelsRu: { '1': 'Поездки невозможны', '2': 'Только в исключительных случаях', '3': 'Иногда, по договорённости заранее', '4': 'Обычно готов к поездкам по области', '5': 'Готов к любым поездкам программы' },
    levelsKk: { '1': 'Іссапарлар мүмкін емес', '2': 'Тек ерекше жағдайларда', '3': 'Кейде, алдын ала келісім бойынша', '4': 'Әдетте облыс бойынша іссапарларға дайын', '5': 'Бағдарламаның кез келген іссапарына дайын' },
    levelsEn: { '1': 'Trips are not possible', '2': 'Only in exceptional cases', '3': 'Sometimes, if agreed in advance', '4': 'Usually ready for trips in the region', '5': 'Ready for any trip of the programme' }
  },
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
  /** Also write applications at every stage (with small PDFs in this document store): `npm start` does. */
  applicationsStore?: DocumentStore;
  /** The master key the demo documents are encrypted under (the portal's configuration): needed with applicationsStore. */
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

    if (options.applicationsStore) {
      const committee = ['chair.astana@zhas.local', 'member.astana@zhas.local', 'member2.astana@zhas.local'].map((email) => userIds.get(email)!);
      await createDemoApplications(tx, { cohortId: cohort.id, year: cohort.year, regionIds, committee, store: options.applicationsStore, documentKeys: options.documentKeys ?? missingDocumentKeys(), now });
    }
  }, { timeout: 60_000 });
  return { seeded: true };
}

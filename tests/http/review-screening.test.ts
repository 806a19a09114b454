import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import type { DocumentCheckStatus, DocumentKind } from '../../src/generated/prisma/enums.ts';
import { documentsStateOf } from '../../src/features/review/review.policy.ts';
import { loginAs, postForm, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

// Quick screening: the list's name search and sort, and a documents filter that agrees with the checks.

let database: Database;
let portal: TestPortal;
let chair: supertest.Agent;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  chair = await loginAs(portal.app, 'chair');
});
afterAll(async () => {
  await portal.close();
});

function csvNumbers(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  const separator = lines[0].includes(';') ? ';' : ',';
  return lines.slice(1).map((line) => line.split(separator)[0].replace(/^"|"$/g, ''));
}

/** The application numbers of the list page, in the order shown. */
function listedNumbers(html: string, numbers: string[]): string[] {
  return numbers.filter((number) => html.includes(number)).sort((a, b) => html.indexOf(a) - html.indexOf(b));
}

describe('names on the list', () => {
  it('finds "Surname Name" in any order and any case, Kazakh letters too; sorts by surname in the alphabet', async () => {
    // fullName is "Surname Name Patronymic", as the form asks.
    const bekova = await createApplication(database.prisma, { regionCode: 'ASTANA', fullName: 'Бекова Лаура Поисковна' });
    const abenov = await createApplication(database.prisma, { regionCode: 'ASTANA', fullName: 'Әбенов Арман Поискович' });
    const abenovA = await createApplication(database.prisma, { regionCode: 'ASTANA', fullName: 'Абенов Данияр Поискович' });
    const numbers = [bekova.number, abenov.number, abenovA.number];

    const reversed = await chair.get(`/committee/applications?q=${encodeURIComponent('арман ӘБЕНОВ')}`).expect(200);
    expect(listedNumbers(reversed.text, numbers)).toEqual([abenov.number]);
    const inOrder = await chair.get(`/committee/applications?q=${encodeURIComponent('Әбенов Арман')}`).expect(200);
    expect(listedNumbers(inOrder.text, numbers)).toEqual([abenov.number]);
    // Every word must match: a surname with another's first name finds no one.
    const mixed = await chair.get(`/committee/applications?q=${encodeURIComponent('Бекова Арман')}`).expect(200);
    expect(listedNumbers(mixed.text, numbers)).toEqual([]);

    // Sorted by surname in the Kazakh alphabet: А, Ә, Б (not by code point, which puts Ә after Я).
    const ascending = await chair.get(`/committee/applications?q=${encodeURIComponent('поиско')}&sort=name&direction=asc`).expect(200);
    expect(listedNumbers(ascending.text, numbers)).toEqual([abenovA.number, abenov.number, bekova.number]);
    const descending = await chair.get(`/committee/applications?q=${encodeURIComponent('поиско')}&sort=name&direction=desc`).expect(200);
    expect(listedNumbers(descending.text, numbers)).toEqual([bekova.number, abenov.number, abenovA.number]);

    // The exports follow the same search and order.
    const csv = await chair.get(`/committee/applications/export.csv?q=${encodeURIComponent('поиско')}&sort=name&direction=asc`).expect(200);
    expect(csvNumbers(csv.text)).toEqual([abenovA.number, abenov.number, bekova.number]);
    const found = await chair.get(`/committee/applications/export.csv?q=${encodeURIComponent('арман әбенов')}`).expect(200);
    expect(csvNumbers(found.text)).toEqual([abenov.number]);
  });

  it('sorts by the surname first: "Ли Анна" before "Лиза Айгуль"', async () => {
    const liza = await createApplication(database.prisma, { regionCode: 'ASTANA', fullName: 'Лиза Айгуль Сортировочна' });
    const li = await createApplication(database.prisma, { regionCode: 'ASTANA', fullName: 'ли Анна Сортировочна' });
    const page = await chair.get(`/committee/applications?q=${encodeURIComponent('Сортировочна')}&sort=name&direction=asc`).expect(200);
    expect(listedNumbers(page.text, [liza.number, li.number])).toEqual([li.number, liza.number]);
  });
});

const allKinds: DocumentKind[] = ['ID_CARD', 'EDUCATION_DIPLOMA', 'YOUTH_WORK_CERTIFICATE', 'RESIDENCE_PROOF', 'POLICE_CLEARANCE', 'NARCOLOGY_STATEMENT', 'PSYCHIATRY_STATEMENT', 'RECOMMENDATION_LETTER'];

/** An Astana application whose current files are exactly `files` (kind → check status), plus replaced ones. */
async function withDocuments(fullName: string, files: Partial<Record<DocumentKind, DocumentCheckStatus>>, replaced: Partial<Record<DocumentKind, DocumentCheckStatus>> = {}) {
  const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCREENING', fullName });
  await database.prisma.applicationDocument.deleteMany({ where: { applicationId: application.id } });
  const row = (kind: DocumentKind, checkStatus: DocumentCheckStatus, replacedAt: Date | null) => ({
    applicationId: application.id,
    kind,
    originalName: `${kind}.pdf`,
    storedName: `${application.id}-${kind}-${replacedAt ? 'old' : 'new'}-${Math.random().toString(36).slice(2)}`,
    mimeType: 'application/pdf',
    sizeBytes: 10,
    sha256: '0'.repeat(64),
    checkStatus,
    replacedAt,
  });
  await database.prisma.applicationDocument.createMany({
    data: [
      ...Object.entries(files).map(([kind, status]) => row(kind as DocumentKind, status, null)),
      ...Object.entries(replaced).map(([kind, status]) => row(kind as DocumentKind, status, new Date(Date.now() - 3_600_000))),
    ],
  });
  return application;
}

const every = (status: DocumentCheckStatus) => Object.fromEntries(allKinds.map((kind) => [kind, status])) as Record<DocumentKind, DocumentCheckStatus>;

describe('the documents filter', () => {
  it('puts every application under exactly one value, by the rule of the document checks', async () => {
    const marker = 'Документова';
    const complete = await withDocuments(`Полная ${marker}`, every('ACCEPTED'));
    const allPending = await withDocuments(`Непроверенная ${marker}`, every('PENDING'));
    const partlyChecked = await withDocuments(`Частичная ${marker}`, { ...every('ACCEPTED'), POLICE_CLEARANCE: 'PENDING' });
    const { PSYCHIATRY_STATEMENT: _left, ...sevenKinds } = every('ACCEPTED');
    const noFile = await withDocuments(`Безфайла ${marker}`, sevenKinds);
    const rejected = await withDocuments(`Отклонённая ${marker}`, { ...every('ACCEPTED'), POLICE_CLEARANCE: 'REJECTED' });
    const markedMissing = await withDocuments(`Отсутствует ${marker}`, { ...every('PENDING'), NARCOLOGY_STATEMENT: 'MISSING' });
    // The rejected file was replaced by a new upload: only the current file counts.
    const reuploaded = await withDocuments(`Перезагруженная ${marker}`, { ...every('ACCEPTED'), POLICE_CLEARANCE: 'PENDING' }, { POLICE_CLEARANCE: 'REJECTED' });
    const expected: Record<'complete' | 'toCheck' | 'missing', { id: number; number: string }[]> = {
      complete: [complete],
      toCheck: [allPending, partlyChecked, reuploaded],
      missing: [noFile, rejected, markedMissing],
    };
    const all = Object.values(expected).flat().map((application) => application.number).sort();

    for (const [value, applications] of Object.entries(expected)) {
      const page = await chair.get(`/committee/applications?q=${encodeURIComponent(marker)}&documents=${value}`).expect(200);
      expect(listedNumbers(page.text, all).sort(), value).toEqual(applications.map((application) => application.number).sort());
      const csv = await chair.get(`/committee/applications/export.csv?q=${encodeURIComponent(marker)}&documents=${value}`).expect(200);
      expect(csvNumbers(csv.text).sort(), `${value} (CSV)`).toEqual(applications.map((application) => application.number).sort());
      // The page's own rule (what the document checks show) says the same of each.
      const cohort = await database.prisma.cohort.findFirstOrThrow({ orderBy: { applicationOpensAt: 'desc' } });
      for (const application of applications) {
        const current = await database.prisma.applicationDocument.findMany({ where: { applicationId: application.id, replacedAt: null } });
        expect(documentsStateOf(cohort.requiredDocuments, current)).toBe(value);
      }
    }
    // The select offers all three values.
    const list = await chair.get('/committee/applications').expect(200);
    for (const value of Object.keys(expected)) expect(list.text).toContain(`<option value="${value}"`);
  });

  it('counts only the documents the cohort requires', async () => {
    const cohort = await database.prisma.cohort.findFirstOrThrow({ orderBy: { applicationOpensAt: 'desc' } });
    const { RECOMMENDATION_LETTER: _letter, ...withoutLetter } = every('ACCEPTED');
    const application = await withDocuments('Необязательная Рекомендация', withoutLetter);
    const listed = async (value: string) => (await chair.get(`/committee/applications?q=${encodeURIComponent('Необязательная')}&documents=${value}`).expect(200)).text.includes(application.number);
    expect(await listed('missing')).toBe(true);
    await database.prisma.cohort.update({ where: { id: cohort.id }, data: { requiredDocuments: cohort.requiredDocuments.filter((kind) => kind !== 'RECOMMENDATION_LETTER') } });
    try {
      expect(await listed('complete')).toBe(true);
      expect(await listed('missing')).toBe(false);
    } finally {
      await database.prisma.cohort.update({ where: { id: cohort.id }, data: { requiredDocuments: cohort.requiredDocuments } });
    }
  });
});

describe('the ranking', () => {
  function rowOf(html: string, number: string): string {
    const row = html.split('<tr').find((part) => part.includes(number));
    if (!row) throw new Error(`no row for ${number}`);
    return row.split('</tr>')[0];
  }
  const tie = 'равный балл на границе квоты';
  const incomplete = (count: number, expected: number) => `оценок ${count} из ${expected}`;

  it('marks the ties at the quota line and flags candidates with fewer scores than members without a conflict', async () => {
    const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
    const cohort = await database.prisma.cohort.findFirstOrThrow({ orderBy: { applicationOpensAt: 'desc' } });
    const member2 = await database.prisma.user.findUniqueOrThrow({ where: { email: 'member2.astana@zhas.local' } });
    const scored = async (fullName: string, resultScore: number, scoreCount: number, status: 'SCORED' | 'INTERVIEW' = 'SCORED') => {
      const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status, fullName });
      return database.prisma.application.update({ where: { id: application.id }, data: { resultScore, scoreCount, scoreSpread: 0 } });
    };
    // Astana has three members (the chair and two members).
    const first = await scored('Первый Рейтинг', 4.5, 3);
    const tiedFull = await scored('Равный Полный', 4, 3);
    const tiedConflict = await scored('Равный Конфликт', 4, 2);
    await database.prisma.conflictOfInterest.create({ data: { applicationId: tiedConflict.id, userId: member2.id, reason: 'сосед' } });
    const tiedShort = await scored('Равный Неполный', 4, 2);
    const last = await scored('Последний Рейтинг', 3, 3);
    // Still being scored, by the chair only: hidden from a member who has not scored, so nothing is shown of it.
    const open = await scored('Открытый Рейтинг', 4, 1, 'INTERVIEW');
    const quota = await database.prisma.cohortRegionQuota.findUniqueOrThrow({ where: { cohortId_regionId: { cohortId: cohort.id, regionId: region.id } } });
    await database.prisma.cohortRegionQuota.update({ where: { cohortId_regionId: { cohortId: cohort.id, regionId: region.id } }, data: { quota: 2 } });
    try {
      const page = (await chair.get(`/committee/regions/${region.id}/ranking`).expect(200)).text;
      for (const application of [tiedFull, tiedConflict, tiedShort]) expect(rowOf(page, application.number)).toContain(tie);
      for (const application of [first, last]) expect(rowOf(page, application.number)).not.toContain(tie);
      expect(rowOf(page, tiedShort.number)).toContain(incomplete(2, 3));
      // Member 2 declared a conflict: two scores are all that can come.
      expect(rowOf(page, tiedConflict.number)).not.toContain('оценок 2 из');
      expect(rowOf(page, tiedFull.number)).not.toContain('оценок 3 из');

      const member = await loginAs(portal.app, 'member');
      const memberPage = (await member.get(`/committee/regions/${region.id}/ranking`).expect(200)).text;
      const hiddenRow = rowOf(memberPage, open.number);
      expect(hiddenRow).not.toContain('оценок 1 из');
      expect(hiddenRow).not.toContain(tie);
      expect(rowOf(memberPage, tiedShort.number)).toContain(incomplete(2, 3));
    } finally {
      await database.prisma.cohortRegionQuota.update({ where: { cohortId_regionId: { cohortId: cohort.id, regionId: region.id } }, data: { quota: quota.quota } });
    }
  });
});

describe('the rubric levels', () => {
  const languages = ['Ru', 'Kk', 'En'] as const;

  it('the demo cohort describes what 1 to 5 means on every criterion, in every language', async () => {
    const criteria = await database.prisma.rubricCriterion.findMany();
    expect(criteria.length).toBeGreaterThan(0);
    for (const criterion of criteria) {
      for (const language of languages) {
        const levels = criterion[`levels${language}`] as Record<string, string> | null;
        expect(Object.keys(levels ?? {}).sort(), `${criterion.code} ${language}`).toEqual(['1', '2', '3', '4', '5']);
        for (const text of Object.values(levels!)) expect(text.trim().length).toBeGreaterThan(5);
      }
    }
  });

  it('the coordinator edits them on the criterion form; a refused form keeps what was typed', async () => {
    const coordinator = await loginAs(portal.app, 'coordinator');
    const criterion = await database.prisma.rubricCriterion.findFirstOrThrow({ where: { code: 'communication' } });
    const url = `/admin/cohorts/${criterion.cohortId}/criteria/${criterion.id}`;
    const form = await coordinator.get(url).expect(200);
    expect(form.text).toContain('name="levelsRu_1"');
    expect(form.text).toContain('name="levelsEn_5"');
    const base = { code: criterion.code, nameRu: criterion.nameRu, nameKk: criterion.nameKk, nameEn: criterion.nameEn, weight: String(criterion.weight), sortOrder: String(criterion.sortOrder) };
    const levels = {
      levelsRu_1: 'Не слышит собеседника', levelsRu_5: 'Ясно говорит и слушает <b>',
      levelsKk_1: 'Әңгімелесушіні тыңдамайды', levelsKk_5: 'Анық сөйлейді және тыңдайды',
      levelsEn_1: 'Does not listen', levelsEn_3: 'Clear enough', levelsEn_5: 'Speaks clearly and listens',
    };
    const tooLong = await postForm(coordinator, url, { ...base, ...levels, levelsRu_3: 'я'.repeat(301) }, { tokenFrom: url }).expect(422);
    expect(tooLong.text).toContain('id="levelsRu_3-error"');
    expect(tooLong.text).toContain('Ясно говорит и слушает &lt;b&gt;');
    await postForm(coordinator, url, { ...base, ...levels }, { tokenFrom: url }).expect(303);
    const saved = await database.prisma.rubricCriterion.findUniqueOrThrow({ where: { id: criterion.id } });
    expect(saved.levelsRu).toEqual({ '1': 'Не слышит собеседника', '5': 'Ясно говорит и слушает <b>' });
    expect(saved.levelsEn).toEqual({ '1': 'Does not listen', '3': 'Clear enough', '5': 'Speaks clearly and listens' });
    const again = await coordinator.get(url).expect(200);
    expect(again.text).toContain('value="Әңгімелесушіні тыңдамайды"');

    // The scoring form shows them next to the radio buttons, in the reader's language.
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', withInterview: true, fullName: 'Рубрика Уровни' });
    const member = await loginAs(portal.app, 'member');
    const russian = await member.get(`/committee/applications/${application.id}`).expect(200);
    const scale = russian.text.split(`name="criterion_${criterion.id}"`).slice(1).join('').split('</fieldset>')[0];
    expect(scale).toContain('Ясно говорит и слушает &lt;b&gt;');
    expect(scale).not.toContain('Speaks clearly and listens');
    const english = await member.get(`/committee/applications/${application.id}?lang=en`).expect(200);
    expect(english.text).toContain('Speaks clearly and listens');
    expect(english.text).not.toContain('Ясно говорит и слушает');
  });
});

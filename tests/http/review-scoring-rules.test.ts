import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { loginAs, postForm, startTestPortal, type DemoRole, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

// The committee's rules around scoring: it opens when the interview has taken place, closing it
// early asks first, revisions are audited and marked, conflicts of interest are visible and binding.

let database: Database;
let portal: TestPortal;
let uploadDir: string;
const agents = {} as Record<DemoRole, supertest.Agent>;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  uploadDir = portal.uploadDir;
  for (const role of ['coordinator', 'chair', 'member', 'secondMember'] as const) agents[role] = await loginAs(portal.app, role);
});
afterAll(async () => {
  await portal.close();
});

async function scoreFields(cohortId: number, values: number[], comment = '') {
  const criteria = await database.prisma.rubricCriterion.findMany({ where: { cohortId }, orderBy: { sortOrder: 'asc' } });
  return { ...Object.fromEntries(criteria.map((criterion, index) => [`criterion_${criterion.id}`, String(values[index])])), comment };
}

const userId = async (role: 'chair' | 'member' | 'secondMember') => {
  const emails = { chair: 'chair.astana@zhas.local', member: 'member.astana@zhas.local', secondMember: 'member2.astana@zhas.local' };
  return (await database.prisma.user.findUniqueOrThrow({ where: { email: emails[role] } })).id;
};

async function interviewed(fullName: string) {
  return createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir, withInterview: true, fullName });
}

describe('scoring opens when the interview has taken place', () => {
  it('refuses scores before the start, says when it opens, and opens when the chair marks the interview held', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir, fullName: 'Будущее Собеседование' });
    await database.prisma.interview.create({ data: { applicationId: application.id, scheduledAt: new Date(Date.now() + 2 * 24 * 3_600_000), place: 'Астана' } });
    const page = await agents.member.get(`/committee/applications/${application.id}`).expect(200);
    expect(page.text).toContain('Оценивание откроется, когда начнётся собеседование');
    expect(page.text).not.toContain(`/committee/applications/${application.id}/score"`);

    await postForm(agents.member, `/committee/applications/${application.id}/score`, await scoreFields(application.cohortId, [4, 4, 4, 4, 4]));
    expect(await database.prisma.score.count({ where: { applicationId: application.id } })).toBe(0);

    // Only the chair marks it held (a POST with CSRF, audited).
    expect((await postForm(agents.member, `/committee/applications/${application.id}/interview/held`)).status).toBe(403);
    await agents.chair.post(`/committee/applications/${application.id}/interview/held`).type('form').send({}).expect(403);
    const chairPage = await agents.chair.get(`/committee/applications/${application.id}`);
    expect(chairPage.text).toContain(`action="/committee/applications/${application.id}/interview/held"`);
    await postForm(agents.chair, `/committee/applications/${application.id}/interview/held`).expect(303);
    expect((await database.prisma.interview.findUniqueOrThrow({ where: { applicationId: application.id } })).heldAt).not.toBeNull();
    expect(await database.prisma.auditLogEntry.count({ where: { entityId: String(application.id), action: 'interview.held' } })).toBe(1);

    await postForm(agents.member, `/committee/applications/${application.id}/score`, await scoreFields(application.cohortId, [4, 4, 4, 4, 4])).expect(303);
    expect(await database.prisma.score.count({ where: { applicationId: application.id } })).toBe(1);
  });
});

describe('closing scoring early', () => {
  it('shows n of m scores first, requires a reason, and is audited', async () => {
    const application = await interviewed('Досрочное Закрытие');
    await postForm(agents.chair, `/committee/applications/${application.id}/score`, await scoreFields(application.cohortId, [4, 4, 4, 4, 4])).expect(303);
    await postForm(agents.member, `/committee/applications/${application.id}/score`, await scoreFields(application.cohortId, [3, 3, 3, 3, 3])).expect(303);
    const url = `/committee/applications/${application.id}/status`;

    const asked = await postForm(agents.chair, url, { to: 'SCORED' });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Оценили 2 из 3');
    expect(asked.text).toContain('Асель Жаксыбекова');
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('INTERVIEW');

    const noReason = await postForm(agents.chair, url, { to: 'SCORED', confirmEarlyClose: 'yes', comment: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Укажите причину досрочного закрытия оценивания.');
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('INTERVIEW');

    await postForm(agents.chair, url, { to: 'SCORED', confirmEarlyClose: 'yes', comment: 'Член комиссии в отпуске до конца отбора' }).expect(303);
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('SCORED');
    const entry = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { entityId: String(application.id), action: 'scoring.closed_early' } });
    expect(entry.details).toMatchObject({ scored: 2, expected: 3, reason: 'Член комиссии в отпуске до конца отбора' });
    // Closed: the third member can no longer score.
    await postForm(agents.secondMember, `/committee/applications/${application.id}/score`, await scoreFields(application.cohortId, [5, 5, 5, 5, 5]));
    expect(await database.prisma.score.count({ where: { applicationId: application.id } })).toBe(2);
  });
});

describe('revisions', () => {
  it('are allowed only while scoring is open, audited with old and new values, and marked when made after seeing the others', async () => {
    const application = await interviewed('Пересмотр Оценки');
    const url = `/committee/applications/${application.id}/score`;
    // The chair scores first and revises before anyone else has scored: no mark.
    await postForm(agents.chair, url, await scoreFields(application.cohortId, [3, 3, 3, 3, 3])).expect(303);
    await postForm(agents.chair, url, await scoreFields(application.cohortId, [4, 4, 4, 4, 4])).expect(303);
    const chairScore = await database.prisma.score.findUniqueOrThrow({ where: { applicationId_reviewerId: { applicationId: application.id, reviewerId: await userId('chair') } } });
    expect(chairScore.revisedAfterSeeingOthersAt).toBeNull();
    const change = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { entityId: String(application.id), action: 'score.changed' } });
    expect(JSON.stringify(change.details)).toContain('"previous"');
    expect((change.details as { values: { value: number }[] }).values.map((item) => item.value)).toEqual([4, 4, 4, 4, 4]);
    expect((change.details as { previous: { value: number }[] }).previous.map((item) => item.value)).toEqual([3, 3, 3, 3, 3]);

    // The member scores, sees the chair's score, and revises: marked, and the chair sees the mark.
    await postForm(agents.member, url, await scoreFields(application.cohortId, [2, 2, 2, 2, 2])).expect(303);
    await postForm(agents.member, url, await scoreFields(application.cohortId, [4, 4, 4, 4, 3])).expect(303);
    const memberScore = await database.prisma.score.findUniqueOrThrow({ where: { applicationId_reviewerId: { applicationId: application.id, reviewerId: await userId('member') } } });
    expect(memberScore.revisedAfterSeeingOthersAt).not.toBeNull();
    const revisions = await database.prisma.auditLogEntry.findMany({ where: { entityId: String(application.id), action: 'score.changed' }, orderBy: { id: 'asc' } });
    expect(revisions[1].details).toMatchObject({ afterSeeingOthers: true });
    const chairPage = await agents.chair.get(`/committee/applications/${application.id}`);
    expect(chairPage.text).toContain('изменена после просмотра чужих оценок');

    // Everyone has scored: scoring is closed and a revision is refused.
    await postForm(agents.secondMember, url, await scoreFields(application.cohortId, [5, 5, 5, 5, 5])).expect(303);
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('SCORED');
    await postForm(agents.member, url, await scoreFields(application.cohortId, [1, 1, 1, 1, 1]));
    const items = await database.prisma.scoreItem.findMany({ where: { scoreId: memberScore.id } });
    expect(items.map((item) => item.value).sort()).toEqual([3, 4, 4, 4, 4]);
  });
});

describe('conflicts of interest', () => {
  it('need a reason, are shown to the chair, close the documents to the member, and can be lifted by the chair', async () => {
    const application = await interviewed('Конфликт Интересов');
    const document = application.documents[0];
    await postForm(agents.chair, `/committee/applications/${application.id}/score`, await scoreFields(application.cohortId, [4, 4, 4, 4, 4])).expect(303);

    const noReason = await postForm(agents.member, `/committee/applications/${application.id}/conflict`, { reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Укажите причину конфликта интересов.');
    expect(await database.prisma.conflictOfInterest.count({ where: { applicationId: application.id } })).toBe(0);

    await postForm(agents.member, `/committee/applications/${application.id}/conflict`, { reason: 'Двоюродная сестра' }).expect(303);
    // The conflicted member opens no document and gets no check forms.
    expect((await agents.member.get(`/committee/applications/${application.id}/documents/${document.id}`)).status).toBe(403);
    const memberPage = await agents.member.get(`/committee/applications/${application.id}`).expect(200);
    expect(memberPage.text).not.toContain(`/documents/${document.id}/check`);
    expect(memberPage.text).not.toContain(`/documents/${document.id}"`);
    expect(memberPage.text).toContain('документы этой заявки вам недоступны');
    expect((await postForm(agents.member, `/committee/applications/${application.id}/documents/${document.id}/check`, { checkStatus: 'ACCEPTED' })).status).toBe(403);

    // The chair sees it on the application and in the ranking; another member does not see the ranking column.
    const chairPage = await agents.chair.get(`/committee/applications/${application.id}`);
    expect(chairPage.text).toContain('Динара Оспанова');
    expect(chairPage.text).toContain('Двоюродная сестра');
    const region = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
    expect((await agents.chair.get(`/committee/regions/${region.id}/ranking`)).text).toContain('Двоюродная сестра');
    expect((await agents.secondMember.get(`/committee/regions/${region.id}/ranking`)).text).not.toContain('Двоюродная сестра');

    // Only the chair lifts it, audited; the member opens the documents again.
    const lift = `/committee/applications/${application.id}/conflicts/${await userId('member')}/lift`;
    expect((await postForm(agents.secondMember, lift)).status).toBe(403);
    await postForm(agents.chair, lift).expect(303);
    expect(await database.prisma.conflictOfInterest.count({ where: { applicationId: application.id } })).toBe(0);
    const entry = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { entityId: String(application.id), action: 'conflict.lifted' } });
    expect(entry.details).toMatchObject({ reason: 'Двоюродная сестра' });
    await agents.member.get(`/committee/applications/${application.id}/documents/${document.id}`).expect(200);
  });

  it('declared after the decision no longer changes the result', async () => {
    const application = await interviewed('Решение Принято');
    for (const [role, values] of [['chair', [4, 4, 4, 4, 4]], ['member', [3, 3, 3, 3, 3]], ['secondMember', [3, 3, 3, 3, 4]]] as const) {
      await postForm(agents[role], `/committee/applications/${application.id}/score`, await scoreFields(application.cohortId, [...values])).expect(303);
    }
    await postForm(agents.chair, `/committee/applications/${application.id}/decision`, { outcome: 'REJECTED', confirmed: 'yes' }).expect(303);
    const before = await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(before.scoreCount).toBe(3);
    await postForm(agents.secondMember, `/committee/applications/${application.id}/conflict`, { reason: 'Вспомнила: соседка' });
    const after = await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(after.scoreCount).toBe(3);
    expect(Number(after.resultScore)).toBeCloseTo(Number(before.resultScore), 3);
    expect(await database.prisma.conflictOfInterest.count({ where: { applicationId: application.id } })).toBe(0);
  });
});

describe('moving to the interview stage', () => {
  it('requires every required document to be accepted, or the chair\'s override with a reason, audited', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCREENING', uploadDir, fullName: 'Неполный Комплект' });
    const url = `/committee/applications/${application.id}/status`;
    const page = await agents.chair.get(`/committee/applications/${application.id}`);
    expect(page.text).toContain('Не приняты документы');

    const refused = await postForm(agents.chair, url, { to: 'INTERVIEW', comment: 'Можно звать' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Не все обязательные документы приняты');
    expect(refused.text).toContain('Справка об отсутствии судимости');
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('SCREENING');

    const noReason = await postForm(agents.chair, url, { to: 'INTERVIEW', documentOverride: 'yes', documentOverrideReason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Укажите, почему заявка идёт к собеседованию без принятых документов.');
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('SCREENING');

    await postForm(agents.chair, url, { to: 'INTERVIEW', documentOverride: 'yes', documentOverrideReason: 'Справки принесёт на собеседование' }).expect(303);
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('INTERVIEW');
    const entry = await database.prisma.auditLogEntry.findFirstOrThrow({ where: { entityId: String(application.id), action: 'application.document_gate_overridden' } });
    expect(entry.details).toMatchObject({ reason: 'Справки принесёт на собеседование' });
    expect((entry.details as { notAccepted: string[] }).notAccepted).toContain('POLICE_CLEARANCE');
  });

  it('goes through without an override once every document is accepted', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCREENING', uploadDir, fullName: 'Полный Комплект' });
    const kinds = ['EDUCATION_DIPLOMA', 'YOUTH_WORK_CERTIFICATE', 'RESIDENCE_PROOF', 'POLICE_CLEARANCE', 'NARCOLOGY_STATEMENT', 'PSYCHIATRY_STATEMENT', 'RECOMMENDATION_LETTER'] as const;
    const template = application.documents[0];
    for (const kind of kinds) {
      await database.prisma.applicationDocument.create({ data: { applicationId: application.id, kind, originalName: `${kind}.pdf`, storedName: `${template.storedName}-${kind}`, mimeType: 'application/pdf', sizeBytes: template.sizeBytes, sha256: template.sha256, checkStatus: 'ACCEPTED' } });
    }
    // One still unchecked: refused.
    expect((await postForm(agents.chair, `/committee/applications/${application.id}/status`, { to: 'INTERVIEW' })).status).toBe(422);
    await database.prisma.applicationDocument.update({ where: { id: template.id }, data: { checkStatus: 'ACCEPTED' } });
    await postForm(agents.chair, `/committee/applications/${application.id}/status`, { to: 'INTERVIEW' }).expect(303);
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('INTERVIEW');
    expect(await database.prisma.auditLogEntry.count({ where: { entityId: String(application.id), action: 'application.document_gate_overridden' } })).toBe(0);
  });
});

import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { newStatusToken } from '../../src/features/applications/status-token.ts';
import { csrfTokenIn, loginAs, postForm, startTestPortal, type DemoRole, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

// Interviews: never in the past; an .ics a calendar accepts (RFC 5545/5546) for the applicant and the
// region's committee; a cancellation when the candidate is rejected or withdraws; the committee's
// calendar of the week; the contact for rescheduling in the e-mail.

let database: Database;
let portal: TestPortal;
let uploadDir: string;
const agents = {} as Record<DemoRole, supertest.Agent>;
const astanaContact = 'astana.office@zhas.kz';

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { BASE_URL: 'https://mentors.zhas.kz', MAIL_FROM: 'Zhas mentors <no-reply@zhas.kz>' } });
  database = portal.database;
  uploadDir = portal.uploadDir;
  for (const role of ['coordinator', 'chair', 'member', 'secondMember', 'otherRegionMember', 'mentor'] as const) agents[role] = await loginAs(portal.app, role);
  await database.prisma.region.update({ where: { code: 'ASTANA' }, data: { contactEmail: astanaContact, contactPhone: '+7 7172 55 00 00' } });
});
afterAll(async () => {
  await portal.close();
});

/** A day n days from today in Almaty, as a date input sends it. */
function dayFromToday(days: number): string {
  return DateTime.now().setZone('Asia/Almaty').plus({ days }).toISODate()!;
}

const longPlace = 'г. Астана, проспект Мангилик Ел, 55/20, Дворец молодёжи, кабинет 305';

function parseIcs(text: string) {
  for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
  const calendar = new ICAL.Component(ICAL.parse(text));
  const event = calendar.getFirstSubcomponent('vevent')!;
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: event.getFirstPropertyValue('sequence'),
    status: event.getFirstPropertyValue('status'),
    summary: String(event.getFirstPropertyValue('summary')),
    description: String(event.getFirstPropertyValue('description')),
    location: event.getFirstPropertyValue('location'),
    organizer: event.getFirstProperty('organizer')?.getFirstValue(),
    attendees: event.getAllProperties('attendee').map((property) => String(property.getFirstValue())),
  };
}

async function emailsOf(applicationId: number, template: string) {
  return database.prisma.outboxEmail.findMany({ where: { applicationId, template, channel: 'EMAIL' }, orderBy: { id: 'asc' } });
}
async function emailsTo(address: string, template: string) {
  return database.prisma.outboxEmail.findMany({ where: { toAddress: address, template, channel: 'EMAIL' }, orderBy: { id: 'asc' } });
}
const icsOf = (email: { attachments: unknown }) => (email.attachments as { content: string; contentType: string }[])[0];

async function scheduled(fullName: string, fields: Record<string, string> = {}) {
  const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir, fullName });
  await postForm(agents.chair, `/committee/applications/${application.id}/interview`, { date: dayFromToday(7), time: '10:00', durationMinutes: '45', place: longPlace, videoLink: '', ...fields }).expect(303);
  return application;
}

describe('scheduling an interview', () => {
  it('refuses a date in the past, next to the field, keeping what was typed', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir });
    const url = `/committee/applications/${application.id}/interview`;
    const refused = await postForm(agents.chair, url, { date: dayFromToday(-1), time: '10:00', durationMinutes: '40', place: 'Дом дружбы', videoLink: '' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Дата и время собеседования уже прошли');
    expect(refused.text).toMatch(/id="interview-date"[^>]*aria-invalid="true"/);
    expect(refused.text).toContain('value="Дом дружбы"');
    expect(refused.text).toContain('value="40"');
    expect(await database.prisma.interview.count({ where: { applicationId: application.id } })).toBe(0);
    // Rescheduling into the past is refused too, and the interview stays where it was.
    await postForm(agents.chair, url, { date: dayFromToday(3), time: '10:00', durationMinutes: '45', place: 'Дом дружбы', videoLink: '' }).expect(303);
    const before = await database.prisma.interview.findUniqueOrThrow({ where: { applicationId: application.id } });
    expect((await postForm(agents.chair, url, { date: dayFromToday(-2), time: '09:00', durationMinutes: '45', place: 'Дом дружбы', videoLink: '' })).status).toBe(422);
    const after = await database.prisma.interview.findUniqueOrThrow({ where: { applicationId: application.id } });
    expect(after.scheduledAt).toEqual(before.scheduledAt);
    expect(after.revision).toBe(before.revision);
  });

  it('sends the applicant a valid .ics: attendee, organizer with a reply address, localised summary, description, folded lines', async () => {
    const application = await scheduled('Айжан Нурланова');
    const [email] = await emailsOf(application.id, 'interview-scheduled');
    const attachment = icsOf(email);
    expect(attachment.contentType).toContain('method=REQUEST');
    const ics = parseIcs(attachment.content);
    expect(ics.method).toBe('REQUEST');
    expect(ics.uid).toBe(`interview-${application.id}@mentors.zhas.kz`);
    expect(ics.sequence).toBe(0);
    expect(ics.attendees).toEqual([`mailto:${application.email}`]);
    // The region's programme contact answers replies; never a no-reply address when there is a contact.
    expect(ics.organizer).toBe(`mailto:${astanaContact}`);
    expect(ics.summary).toContain('Собеседование');
    expect(ics.summary).toContain(application.number);
    expect(ics.location).toBe(longPlace);
    expect(ics.description).toContain(longPlace);
    expect(ics.description).toContain('45 мин');
    expect(ics.description).toContain(astanaContact);
    // The e-mail says whom to tell to move the interview.
    expect(email.textBody).toMatch(new RegExp(`другое время[^\\n]*${astanaContact.replace(/\./g, '\\.')}`));
    expect(email.htmlBody).toContain(astanaContact);
  });

  it('puts the video link and the duration in the description, and the summary in the applicant\'s language', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir });
    await database.prisma.application.update({ where: { id: application.id }, data: { locale: 'en' } });
    await postForm(agents.chair, `/committee/applications/${application.id}/interview`, { date: dayFromToday(5), time: '15:30', durationMinutes: '30', place: '', videoLink: 'https://meet.example.kz/zhas' }).expect(303);
    const ics = parseIcs(icsOf((await emailsOf(application.id, 'interview-scheduled'))[0]).content);
    expect(ics.summary).toMatch(/interview/i);
    expect(ics.description).toContain('https://meet.example.kz/zhas');
    expect(ics.description).toContain('30 min');
  });

  it('falls back to MAIL_FROM\'s address as organizer when the region and cohort have no contact', async () => {
    const almaty = await createApplication(database.prisma, { regionCode: 'ALMATY', status: 'INTERVIEW', uploadDir });
    await database.prisma.region.update({ where: { code: 'ALMATY' }, data: { contactEmail: null } });
    await database.prisma.cohort.updateMany({ data: { contactEmail: null } });
    await postForm(agents.coordinator, `/committee/applications/${almaty.id}/interview`, { date: dayFromToday(4), time: '11:00', durationMinutes: '45', place: 'Алматы', videoLink: '' }).expect(303);
    const ics = parseIcs(icsOf((await emailsOf(almaty.id, 'interview-scheduled'))[0]).content);
    expect(ics.organizer).toBe('mailto:no-reply@zhas.kz');
  });

  it('invites every committee member of the region, each in their own language, but not a member with a conflict', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir, fullName: 'Комиссия Приглашена' });
    await postForm(agents.secondMember, `/committee/applications/${application.id}/conflict`, { reason: 'Родственник' }).expect(303);
    await database.prisma.user.update({ where: { email: 'member.astana@zhas.local' }, data: { locale: 'kk' } });
    try {
      await postForm(agents.chair, `/committee/applications/${application.id}/interview`, { date: dayFromToday(6), time: '12:00', durationMinutes: '45', place: longPlace, videoLink: '' }).expect(303);
    } finally {
      await database.prisma.user.update({ where: { email: 'member.astana@zhas.local' }, data: { locale: 'ru' } });
    }
    const invitations = await database.prisma.outboxEmail.findMany({ where: { template: 'interview-committee', textBody: { contains: application.number } }, orderBy: { toAddress: 'asc' } });
    expect(invitations.map((email) => email.toAddress)).toEqual(['chair.astana@zhas.local', 'member.astana@zhas.local']);
    const member = invitations.find((email) => email.toAddress === 'member.astana@zhas.local')!;
    expect(member.locale).toBe('kk');
    const ics = parseIcs(icsOf(member).content);
    expect(ics.method).toBe('REQUEST');
    expect(ics.uid).toBe(`interview-${application.id}@mentors.zhas.kz`);
    expect(ics.attendees).toEqual(['mailto:member.astana@zhas.local']);
    expect(ics.summary).toContain('сұхбат');
    expect(member.textBody).toContain('Комиссия Приглашена');
    // Nobody of another region is invited.
    expect((await emailsTo('member.almaty@zhas.local', 'interview-committee')).filter((email) => email.textBody.includes(application.number))).toHaveLength(0);
  });
});

describe('calling an interview off', () => {
  it('sends METHOD:CANCEL with the same UID and SEQUENCE + 1 when the chair rejects a scheduled candidate', async () => {
    const application = await scheduled('Отказ После Назначения');
    await postForm(agents.chair, `/committee/applications/${application.id}/interview`, { date: dayFromToday(8), time: '11:00', durationMinutes: '45', place: longPlace, videoLink: '' }).expect(303);
    const [, update] = await emailsOf(application.id, 'interview-scheduled');
    const request = parseIcs(icsOf(update).content);
    expect(request.sequence).toBe(1);
    await postForm(agents.chair, `/committee/applications/${application.id}/status`, { to: 'REJECTED', comment: 'Не соответствует требованиям', confirmed: 'yes' }).expect(303);
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('REJECTED');
    const cancellations = await emailsOf(application.id, 'interview-cancelled');
    expect(cancellations).toHaveLength(1);
    expect(cancellations[0].toAddress).toBe(application.email);
    expect(icsOf(cancellations[0]).contentType).toContain('method=CANCEL');
    const cancel = parseIcs(icsOf(cancellations[0]).content);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.status).toBe('CANCELLED');
    expect(cancel.uid).toBe(request.uid);
    expect(cancel.sequence).toBe(2);
    expect(cancel.attendees).toEqual([`mailto:${application.email}`]);
    const interview = await database.prisma.interview.findUniqueOrThrow({ where: { applicationId: application.id } });
    expect(interview.cancelledAt).not.toBeNull();
    expect(interview.revision).toBe(2);
    // The committee's calendars are told too.
    const memberCancellations = await database.prisma.outboxEmail.findMany({ where: { template: 'interview-committee-cancelled', textBody: { contains: application.number } } });
    expect(memberCancellations.map((email) => email.toAddress).sort()).toEqual(['chair.astana@zhas.local', 'member.astana@zhas.local', 'member2.astana@zhas.local']);
    expect(parseIcs(icsOf(memberCancellations[0]).content)).toMatchObject({ method: 'CANCEL', uid: request.uid, sequence: 2 });
    expect(await database.prisma.auditLogEntry.count({ where: { entityId: String(application.id), action: 'interview.cancelled' } })).toBe(1);
    expect((await agents.chair.get(`/committee/applications/${application.id}`).expect(200)).text).toContain('Собеседование отменено');
  });

  it('sends the cancellation when a decision rejects a candidate whose interview is still ahead', async () => {
    const application = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCORED', uploadDir, fullName: 'Решение До Собеседования' });
    await database.prisma.interview.create({ data: { applicationId: application.id, scheduledAt: new Date(Date.now() + 3 * 24 * 3_600_000), place: 'Астана', revision: 1 } });
    await postForm(agents.chair, `/committee/applications/${application.id}/decision`, { outcome: 'REJECTED', confirmed: 'yes' }).expect(303);
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('REJECTED');
    const [cancellation] = await emailsOf(application.id, 'interview-cancelled');
    expect(parseIcs(icsOf(cancellation).content)).toMatchObject({ method: 'CANCEL', status: 'CANCELLED', uid: `interview-${application.id}@mentors.zhas.kz`, sequence: 2 });
  });

  it('sends the cancellation when the applicant withdraws', async () => {
    const application = await scheduled('Отзыв Заявки');
    const { token, hash } = newStatusToken();
    await database.prisma.applicationStatusLink.create({ data: { applicationId: application.id, tokenHash: hash, purpose: 'test' } });
    const agent = supertest.agent(portal.app);
    const confirm = await agent.get(`/status/${token}/withdraw`).expect(200);
    await agent.post(`/status/${token}/withdraw`).type('form').send({ _csrf: csrfTokenIn(confirm.text) }).expect(303);
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('WITHDRAWN');
    const [cancellation] = await emailsOf(application.id, 'interview-cancelled');
    const cancel = parseIcs(icsOf(cancellation).content);
    expect(cancel).toMatchObject({ method: 'CANCEL', status: 'CANCELLED', uid: `interview-${application.id}@mentors.zhas.kz`, sequence: 1 });
    expect((await database.prisma.interview.findUniqueOrThrow({ where: { applicationId: application.id } })).cancelledAt).not.toBeNull();
  });

  it('sends nothing for a rejection without an interview, or after the interview was held', async () => {
    const screening = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'SCREENING', uploadDir });
    await postForm(agents.chair, `/committee/applications/${screening.id}/status`, { to: 'REJECTED', comment: 'Нет документов', confirmed: 'yes' }).expect(303);
    expect(await emailsOf(screening.id, 'interview-cancelled')).toHaveLength(0);
    const held = await createApplication(database.prisma, { regionCode: 'ASTANA', status: 'INTERVIEW', uploadDir, withInterview: true });
    await postForm(agents.chair, `/committee/applications/${held.id}/status`, { to: 'REJECTED', comment: 'После собеседования', confirmed: 'yes' }).expect(303);
    expect((await database.prisma.application.findUniqueOrThrow({ where: { id: held.id } })).status).toBe('REJECTED');
    expect(await emailsOf(held.id, 'interview-cancelled')).toHaveLength(0);
  });
});

describe('the interview calendar', () => {
  it('lists the week of the committee\'s region by day, with a week switch, linked from the committee home', async () => {
    const soon = await scheduled('Календарь Первый', { date: dayFromToday(14), time: '09:30', place: 'Дом дружбы, зал 2' });
    const withVideo = await scheduled('Календарь Второй', { date: dayFromToday(14), time: '14:00', place: '', videoLink: 'https://meet.example.kz/room-7' });
    const later = await scheduled('Календарь Позже', { date: dayFromToday(21), time: '10:00' });
    const week = dayFromToday(14);
    const home = await agents.member.get('/committee').expect(200);
    expect(home.text).toContain('href="/committee/interviews"');

    const page = await agents.member.get(`/committee/interviews?week=${week}`).expect(200);
    expect(page.headers['cache-control']).toContain('no-store');
    for (const text of [soon.number, 'Календарь Первый', '09:30', 'Дом дружбы, зал 2', withVideo.number, '14:00', 'href="https://meet.example.kz/room-7"']) expect(page.text).toContain(text);
    expect(page.text.indexOf('09:30')).toBeLessThan(page.text.indexOf('14:00'));
    expect(page.text).not.toContain(later.number);
    const next = /href="([^"]+)" rel="next"/.exec(page.text)![1].replace(/&amp;/g, '&');
    const nextWeek = await agents.member.get(next).expect(200);
    expect(nextWeek.text).toContain(later.number);
    expect(nextWeek.text).not.toContain(soon.number);
    const previous = /href="([^"]+)" rel="prev"/.exec(nextWeek.text)![1].replace(/&amp;/g, '&');
    expect((await agents.member.get(previous).expect(200)).text).toContain(soon.number);
  });

  it('shows another region nothing, answers 404 for its region, 403 to a mentor, and leaves out called-off interviews', async () => {
    const application = await scheduled('Чужой Регион', { date: dayFromToday(28), time: '10:00' });
    const week = dayFromToday(28);
    const astana = await database.prisma.region.findUniqueOrThrow({ where: { code: 'ASTANA' } });
    const other = await agents.otherRegionMember.get(`/committee/interviews?week=${week}`).expect(200);
    expect(other.text).not.toContain(application.number);
    expect(other.text).not.toContain('Чужой Регион');
    expect((await agents.otherRegionMember.get(`/committee/interviews?week=${week}&regionId=${astana.id}`)).status).toBe(404);
    expect((await agents.mentor.get('/committee/interviews')).status).toBe(403);
    expect((await supertest(portal.app).get('/committee/interviews')).status).toBe(303);
    expect((await agents.chair.get(`/committee/interviews?week=${week}&regionId=${astana.id}`).expect(200)).text).toContain(application.number);
    expect((await agents.coordinator.get(`/committee/interviews?week=${week}`).expect(200)).text).toContain(application.number);
    await postForm(agents.chair, `/committee/applications/${application.id}/status`, { to: 'REJECTED', comment: 'Отказ', confirmed: 'yes' }).expect(303);
    expect((await agents.chair.get(`/committee/interviews?week=${week}`).expect(200)).text).not.toContain(application.number);
  });
});

import type supertest from 'supertest';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { makeIin } from '../../src/lib/iin.ts';
import { jpegBytes, pdfBytes, pngBytes } from './document-fixtures.ts';
import { csrfTokenIn } from './test-app.ts';

let serial = 0;

/** A fresh, valid IIN with its date of birth (different on every call). */
export function freshApplicant() {
  serial += 1;
  const birthDate = new Date(Date.UTC(1980 + (serial % 15), serial % 12, 1 + (serial % 27)));
  return { iin: makeIin(birthDate, serial % 2 === 0, 500 + serial * 7), birthDate: birthDate.toISOString().slice(0, 10) };
}

export async function regionIdOf(prisma: PrismaClient, code: string): Promise<number> {
  return (await prisma.region.findUniqueOrThrow({ where: { code } })).id;
}

/** Every field filled in correctly; override what a test is about. */
export function validFields(regionId: number, overrides: Record<string, string | string[] | undefined> = {}) {
  const applicant = freshApplicant();
  const fields: Record<string, string | string[] | undefined> = {
    fullName: 'Сауле Нурланова',
    birthDate: applicant.birthDate,
    iin: applicant.iin,
    phone: '8 (701) 123-45-67',
    email: 'saule@example.kz',
    regionId: String(regionId),
    residenceMonths: '48',
    occupation: 'Социальный педагог',
    organisation: 'Школа-лицей №12',
    education: 'ЕНУ им. Гумилёва, социальная педагогика, 2008',
    experienceYears: '12',
    experienceDescription: 'Веду клуб волонтёров для подростков.',
    vulnerableYouthWork: 'Работа с подростками из малообеспеченных семей.',
    availableForTrips: 'yes',
    languages: ['kk', 'ru'],
    motivation: 'Хочу помогать молодёжи реализовывать проекты.',
    declaresNotYouthGroupMember: 'yes',
    declaresNotHostOrgHeadOrAccountant: 'yes',
    consentsToDataProcessing: 'yes',
    ...overrides,
  };
  return fields;
}

export type Attachment = { field: string; content: Buffer; filename: string };

/** One file for each of the eight kinds (two certificates), in all three accepted types. */
export function allEightDocuments(): Attachment[] {
  return [
    { field: 'ID_CARD', content: jpegBytes, filename: 'udostoverenie.jpg' },
    { field: 'EDUCATION_DIPLOMA', content: pdfBytes, filename: 'diplom.pdf' },
    { field: 'YOUTH_WORK_CERTIFICATE', content: pdfBytes, filename: 'sertifikat-1.pdf' },
    { field: 'YOUTH_WORK_CERTIFICATE', content: pngBytes, filename: 'sertifikat-2.png' },
    { field: 'RESIDENCE_PROOF', content: pdfBytes, filename: 'adresnaya.pdf' },
    { field: 'POLICE_CLEARANCE', content: pdfBytes, filename: 'nesudimost.pdf' },
    { field: 'NARCOLOGY_STATEMENT', content: pngBytes, filename: 'narkolog.png' },
    { field: 'PSYCHIATRY_STATEMENT', content: pngBytes, filename: 'psihiatr.png' },
    { field: 'RECOMMENDATION_LETTER', content: pdfBytes, filename: 'rekomendaciya.pdf' },
  ];
}

/** Opens the form (for its CSRF token) and posts it as multipart, as the browser would. */
export async function postApplication(agent: supertest.Agent, fields: Record<string, string | string[] | undefined>, attachments: Attachment[] = allEightDocuments(), options: { withCsrf?: boolean } = {}) {
  const form = await agent.get('/apply');
  const token = options.withCsrf === false ? undefined : csrfTokenIn(form.text);
  let request = agent.post(token ? `/apply?_csrf=${encodeURIComponent(token)}` : '/apply');
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) request = request.field(name, item);
  }
  for (const attachment of attachments) request = request.attach(attachment.field, attachment.content, attachment.filename);
  return request;
}

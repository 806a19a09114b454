import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Prisma } from '../src/generated/prisma/client.ts';
import type { ApplicationStatus } from '../src/generated/prisma/enums.ts';
import { newStoredName, type DocumentStore } from '../src/features/documents/document-storage.ts';
import { documentMasterKey, encryptStreamTo, type DocumentKeySettings } from '../src/features/documents/document-encryption.ts';
import { refreshResult } from '../src/features/review/scoring.service.ts';
import { makeIin } from '../src/lib/iin.ts';

const demoPdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

const people = [
  'Айжан Касымова', 'Бауыржан Омаров', 'Гаухар Смагулова', 'Данияр Абенов', 'Жанар Есенова', 'Ильяс Нургалиев', 'Камила Ахметжанова',
  'Лаура Бекова', 'Мадина Тулегенова', 'Нурсултан Ибраев', 'Салтанат Мукашева', 'Тимур Каримов', 'Улжан Рахимова', 'Ерболат Сейткали',
];

// Astana: a few at every stage, six interviewed and scored by the three members (a meaningful ranking).
const astanaStatuses: ApplicationStatus[] = ['SUBMITTED', 'SUBMITTED', 'SUBMITTED', 'SCREENING', 'INCOMPLETE', 'INTERVIEW', 'INTERVIEW', 'SCORED', 'SCORED', 'SCORED', 'SCORED', 'SCORED', 'SCORED', 'SCORED'];

/** Demo applications with a small PDF per document kind, interviews and scores (only for `npm start`). */
export async function createDemoApplications(tx: Prisma.TransactionClient, options: { cohortId: number; year: number; regionIds: Map<string, number>; committee: number[]; store: DocumentStore; documentKeys: DocumentKeySettings; now: Date }) {
  // Each demo file is encrypted here first, then moved into the store.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-demo-documents-'));
  try {
    await writeDemoApplications(tx, options, scratch);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function writeDemoApplications(tx: Prisma.TransactionClient, options: Parameters<typeof createDemoApplications>[1], scratch: string) {
  const criteria = await tx.rubricCriterion.findMany({ where: { cohortId: options.cohortId }, orderBy: { sortOrder: 'asc' } });
  const dayMs = 24 * 3_600_000;
  let sequence = 0;
  const plan = [
    ...astanaStatuses.map((status) => ({ status, region: 'ASTANA' })),
    ...(['SUBMITTED', 'SUBMITTED', 'SCREENING'] as ApplicationStatus[]).map((status) => ({ status, region: 'ALMATY' })),
  ];
  for (const [index, entry] of plan.entries()) {
    sequence += 1;
    const birth = new Date(Date.UTC(1975 + (index % 20), index % 12, 3 + index));
    const kinds = ['ID_CARD', 'EDUCATION_DIPLOMA', 'YOUTH_WORK_CERTIFICATE', 'RESIDENCE_PROOF', 'POLICE_CLEARANCE', 'NARCOLOGY_STATEMENT', 'PSYCHIATRY_STATEMENT', 'RECOMMENDATION_LETTER'] as const;
    const writes: Promise<void>[] = [];
    const documents = kinds.map((kind) => {
      const storedName = newStoredName();
      // Encrypted like every document the portal stores.
      const encrypted = path.join(scratch, storedName);
      writes.push(encryptStreamTo(demoPdf, encrypted, documentMasterKey(options.documentKeys)).then(() => options.store.putFile(storedName, encrypted)));
      const accepted = ['INTERVIEW', 'SCORED'].includes(entry.status) || (entry.status === 'SCREENING' && kind === 'ID_CARD');
      return {
        kind,
        originalName: `${kind.toLowerCase()}.pdf`,
        storedName,
        mimeType: 'application/pdf',
        sizeBytes: demoPdf.length,
        sha256: '0'.repeat(64),
        checkStatus: entry.status === 'INCOMPLETE' && kind === 'POLICE_CLEARANCE' ? ('REJECTED' as const) : accepted ? ('ACCEPTED' as const) : ('PENDING' as const),
        rejectionReason: entry.status === 'INCOMPLETE' && kind === 'POLICE_CLEARANCE' ? 'Скан нечитаем' : null,
      };
    });
    await Promise.all(writes);
    const application = await tx.application.create({
      data: {
        number: `ZM-${options.year}-${String(sequence).padStart(5, '0')}`,
        cohortId: options.cohortId,
        regionId: options.regionIds.get(entry.region)!,
        status: entry.status,
        fullName: people[index % people.length],
        birthDate: birth,
        iin: makeIin(birth, index % 2 === 0, 700 + index * 13),
        phone: `+7701${String(2_000_000 + index).slice(1)}`,
        email: `applicant${sequence}@example.kz`,
        residenceMonths: 12 + index * 3,
        occupation: index % 2 === 0 ? 'Социальный педагог' : 'Руководитель молодёжного центра',
        organisation: 'Городской молодёжный ресурсный центр',
        education: 'Высшее, педагогика',
        experienceYears: 5 + (index % 9),
        experienceDescription: 'Веду проекты с подростками района, организую волонтёрские акции.',
        vulnerableYouthWork: 'Работаю с подростками из малообеспеченных семей.',
        availableForTrips: index % 5 !== 0,
        languages: index % 3 === 0 ? ['kk', 'ru', 'en'] : ['kk', 'ru'],
        motivation: 'Хочу помочь молодым людям довести их идеи до результата.',
        declaresNotYouthGroupMember: true,
        declaresNotHostOrgHeadOrAccountant: true,
        consentsToDataProcessing: true,
        consentedAt: new Date(options.now.getTime() - (20 - index) * dayMs),
        submittedAt: new Date(options.now.getTime() - (20 - index) * dayMs),
        statusTokenExpiresAt: new Date(options.now.getTime() + 365 * dayMs),
        completeAt: ['INTERVIEW', 'SCORED'].includes(entry.status) ? new Date(options.now.getTime() - 5 * dayMs) : null,
        documents: { create: documents },
        statusChanges: { create: { toStatus: 'SUBMITTED', changedAt: new Date(options.now.getTime() - (20 - index) * dayMs) } },
        ...(entry.status === 'INCOMPLETE' ? { requests: { create: { kind: 'POLICE_CLEARANCE' as const, message: 'Скан нечитаем, загрузите, пожалуйста, ещё раз' } } } : {}),
        ...(['INTERVIEW', 'SCORED'].includes(entry.status)
          ? { interview: { create: { scheduledAt: new Date(options.now.getTime() + (entry.status === 'SCORED' ? -3 : 2) * dayMs), place: 'Астана, Дворец молодёжи, ауд. 12' } } }
          : {}),
      },
    });
    if (entry.status === 'SCORED' || (entry.status === 'INTERVIEW' && index === 6)) {
      const scorers = entry.status === 'SCORED' ? options.committee : options.committee.slice(0, 1);
      for (const [memberIndex, reviewerId] of scorers.entries()) {
        // Spread the candidates from about 2.5 to 4.8, with one large disagreement.
        const base = 2 + ((index * 7) % 4) + (memberIndex === 2 && index === 9 ? -2 : 0);
        await tx.score.create({
          data: {
            applicationId: application.id,
            reviewerId,
            comment: memberIndex === 0 ? 'Хорошо понимает работу с уязвимой молодёжью.' : null,
            items: { create: criteria.map((criterion, criterionIndex) => ({ criterionId: criterion.id, value: Math.min(5, Math.max(1, base + ((criterionIndex + memberIndex) % 2))) })) },
          },
        });
      }
      await refreshResult(tx, application.id);
    }
  }
  await tx.applicationNumberSequence.update({ where: { cohortId: options.cohortId }, data: { lastNumber: sequence } });
}

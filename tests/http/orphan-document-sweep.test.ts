import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { documentsDir, newStoredName } from '../../src/features/documents/document-storage.ts';
import { sweepOnce } from '../../src/features/documents/orphan-document-sweep.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

let database: Database;
let uploadDir: string;

beforeAll(async () => {
  database = await createTestDatabase({ seed: 'demo' });
  uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-sweep-'));
  fs.mkdirSync(documentsDir(uploadDir), { recursive: true });
});
afterAll(async () => {
  await database.close();
  fs.rmSync(uploadDir, { recursive: true, force: true });
});

function writeFile(name: string, ageMs: number): void {
  const filePath = path.join(documentsDir(uploadDir), name);
  fs.writeFileSync(filePath, '%PDF-1.4');
  const time = new Date(Date.now() - ageMs);
  fs.utimesSync(filePath, time, time);
}

describe('orphan document sweep', () => {
  it('removes old files no row points to, and keeps recorded files and recent ones', async () => {
    const cohort = await database.prisma.cohort.findFirstOrThrow();
    const region = await database.prisma.region.findFirstOrThrow();
    const recorded = newStoredName();
    await database.prisma.application.create({
      data: {
        number: 'ZM-TEST-00001', cohortId: cohort.id, regionId: region.id, fullName: 'Тест', birthDate: new Date('1990-01-01'), iin: '900101300017',
        phone: '+77011234567', email: 't@example.kz', residenceMonths: 12, occupation: 'x', organisation: 'x', education: 'x', experienceYears: 6,
        experienceDescription: 'x', vulnerableYouthWork: 'x', availableForTrips: true, languages: ['ru'], motivation: 'x',
        declaresNotYouthGroupMember: true, declaresNotHostOrgHeadOrAccountant: true, consentsToDataProcessing: true, consentedAt: new Date(),
        statusTokenExpiresAt: new Date(Date.now() + 1e9),
        documents: { create: { kind: 'ID_CARD', originalName: 'id.pdf', storedName: recorded, mimeType: 'application/pdf', sizeBytes: 8, sha256: '0'.repeat(64) } },
      },
    });
    const orphan = newStoredName();
    const recentOrphan = newStoredName();
    writeFile(recorded, 48 * 3_600_000);
    writeFile(orphan, 48 * 3_600_000);
    writeFile(recentOrphan, 60_000);

    const removed = await sweepOnce({ prisma: database.prisma, uploadDir, logger: createLogger('silent') });

    expect(removed).toEqual([orphan]);
    expect(fs.readdirSync(documentsDir(uploadDir)).sort()).toEqual([recorded, recentOrphan].sort());
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { incomingDir, newStoredName, openDocumentStore } from '../../src/features/documents/document-storage.ts';
import { resumableStagingDir, sweepOnce } from '../../src/features/documents/orphan-document-sweep.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { ageStoredDocument, storedNames, writeRawStoredDocument } from '../helpers/stored-documents.ts';
import { startTestDocumentBackend, testDocumentStoreDriver, type TestDocumentBackend, type TestDocuments } from '../helpers/test-document-store.ts';

let database: Database;
let uploadDir: string;
let backend: TestDocumentBackend;
let documents: TestDocuments;

beforeAll(async () => {
  database = await createTestDatabase({ seed: 'demo' });
  uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-sweep-'));
  backend = await startTestDocumentBackend(testDocumentStoreDriver(), uploadDir);
  const store = openDocumentStore(loadConfig({ NODE_ENV: 'test', UPLOAD_DIR: uploadDir, ...backend.config }).documentStore);
  documents = { uploadDir, store, backingFileOf: backend.backingFileOf };
});
afterAll(async () => {
  documents.store.close();
  await database.close();
  await backend.close();
  fs.rmSync(uploadDir, { recursive: true, force: true });
});

async function writeFile(name: string, ageMs: number): Promise<void> {
  await writeRawStoredDocument(documents, name, Buffer.from('%PDF-1.4'));
  ageStoredDocument(documents, name, ageMs);
}

/** A file left in a local staging folder (an upload cut off, or never finished), `ageMs` old. */
function writeStaged(directory: string, name: string, ageMs: number): void {
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, name), '%PDF-1.4');
  const time = new Date(Date.now() - ageMs);
  fs.utimesSync(path.join(directory, name), time, time);
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
    await writeFile(recorded, 48 * 3_600_000);
    await writeFile(orphan, 48 * 3_600_000);
    await writeFile(recentOrphan, 60_000);

    const removed = await sweepOnce({ prisma: database.prisma, uploadDir, store: documents.store, logger: createLogger('silent') });

    expect(removed).toEqual([orphan]);
    expect(await storedNames(documents)).toEqual([recorded, recentOrphan].sort());
  });

  it('removes the uploads left unfinished in the local staging folders once older than the grace', async () => {
    const oldIncoming = `${newStoredName()}.incoming`;
    const recentIncoming = `${newStoredName()}.incoming`;
    writeStaged(incomingDir(uploadDir), oldIncoming, 48 * 3_600_000);
    writeStaged(incomingDir(uploadDir), recentIncoming, 60_000);
    writeStaged(resumableStagingDir(uploadDir), 'abandoned-upload', 48 * 3_600_000);
    writeStaged(resumableStagingDir(uploadDir), 'abandoned-upload.json', 48 * 3_600_000);

    await sweepOnce({ prisma: database.prisma, uploadDir, store: documents.store, logger: createLogger('silent') });

    expect(fs.readdirSync(incomingDir(uploadDir))).toEqual([recentIncoming]);
    expect(fs.readdirSync(resumableStagingDir(uploadDir))).toEqual([]);
  });
});

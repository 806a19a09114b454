import fs from 'node:fs';
import path from 'node:path';
import { DocumentKeyError, encryptFileTo, isEncryptedDocumentFile, rewrapDocumentFile, type MasterKey } from './document-encryption.ts';
import { documentsDir } from './document-storage.ts';

/** The stored documents (application and draft files alike): every <uuid>.bin of the documents folder. */
async function storedDocumentFiles(uploadDir: string): Promise<string[]> {
  const names = await fs.promises.readdir(documentsDir(uploadDir)).catch(() => [] as string[]);
  return names.filter((name) => /^[0-9a-f-]{36}\.bin$/.test(name)).sort().map((name) => path.join(documentsDir(uploadDir), name));
}

export interface EncryptExistingReport {
  encrypted: number;
  /** Already with the encryption header: left as they are. */
  skipped: number;
}

/**
 * One-off: encrypts the documents written before encryption, in place (each into a temporary file
 * renamed over the plain one). Idempotent: files that already start with the header are skipped.
 */
export async function encryptExistingDocuments(uploadDir: string, master: MasterKey): Promise<EncryptExistingReport> {
  const report: EncryptExistingReport = { encrypted: 0, skipped: 0 };
  for (const filePath of await storedDocumentFiles(uploadDir)) {
    if (await isEncryptedDocumentFile(filePath)) {
      report.skipped += 1;
      continue;
    }
    await encryptFileTo(filePath, filePath, master);
    report.encrypted += 1;
  }
  return report;
}

export interface RotateKeyReport {
  rewrapped: number;
  /** Already under the new master key (a rotation run again after an interruption). */
  already: number;
  /** Not encrypted yet: run documents:encrypt-existing. */
  plain: number;
  /** Under a master key that is neither the current nor the new one: left as they are. */
  otherKey: number;
}

/** Re-wraps each document's own key under `next`; the content is not re-encrypted. */
export async function rotateDocumentKey(uploadDir: string, previous: MasterKey[], next: MasterKey): Promise<RotateKeyReport> {
  const report: RotateKeyReport = { rewrapped: 0, already: 0, plain: 0, otherKey: 0 };
  for (const filePath of await storedDocumentFiles(uploadDir)) {
    try {
      report[await rewrapDocumentFile(filePath, previous, next)] += 1;
    } catch (error) {
      if (!(error instanceof DocumentKeyError)) throw error;
      report.otherKey += 1;
    }
  }
  return report;
}

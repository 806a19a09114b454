import { DocumentKeyError, encryptedHeaderBytes, encryptFileTo, hasEncryptionHeader, rewrapDocumentFile, rewrapNeeded, type MasterKey } from './document-encryption.ts';
import type { DocumentStore } from './document-storage.ts';

/** The stored documents (application and draft files alike, protocol attachments): every <uuid>.bin of the store, in name order. */
async function storedDocumentNames(store: DocumentStore): Promise<string[]> {
  const names: string[] = [];
  for await (const page of store.list()) names.push(...page.map((entry) => entry.storedName));
  return names.sort();
}

export interface EncryptExistingReport {
  encrypted: number;
  /** Already with the encryption header: left as they are. */
  skipped: number;
}

/**
 * One-off: encrypts the documents written before encryption, in place (each into a temporary file
 * renamed over the plain one; on S3 a local copy that replaces the object). Idempotent: files that
 * already start with the header are skipped (only their first bytes are read).
 */
export async function encryptExistingDocuments(store: DocumentStore, master: MasterKey): Promise<EncryptExistingReport> {
  const report: EncryptExistingReport = { encrypted: 0, skipped: 0 };
  for (const storedName of await storedDocumentNames(store)) {
    const head = await store.readHead(storedName, encryptedHeaderBytes);
    if (!head) continue; // deleted meanwhile
    if (hasEncryptionHeader(head)) {
      report.skipped += 1;
      continue;
    }
    await store.editLocally(storedName, async (filePath) => {
      await encryptFileTo(filePath, filePath, master);
      return { changed: true, result: undefined };
    });
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

/**
 * Re-wraps each document's own key under `next`; the content is not re-encrypted. On disk only the
 * header's wrap bytes are rewritten; on S3 (no partial writes) each object that needs it is rewritten whole.
 */
export async function rotateDocumentKey(store: DocumentStore, previous: MasterKey[], next: MasterKey): Promise<RotateKeyReport> {
  const report: RotateKeyReport = { rewrapped: 0, already: 0, plain: 0, otherKey: 0 };
  for (const storedName of await storedDocumentNames(store)) {
    try {
      const head = await store.readHead(storedName, encryptedHeaderBytes);
      if (!head) continue; // deleted meanwhile
      const needed = rewrapNeeded(head, previous, next);
      if (needed !== 'rewrap') {
        report[needed] += 1;
        continue;
      }
      const outcome = await store.editLocally(storedName, async (filePath) => {
        const rewrapped = await rewrapDocumentFile(filePath, previous, next);
        return { changed: rewrapped === 'rewrapped', result: rewrapped };
      });
      report[outcome] += 1;
    } catch (error) {
      if (!(error instanceof DocumentKeyError)) throw error;
      report.otherKey += 1;
    }
  }
  return report;
}

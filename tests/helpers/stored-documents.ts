import fs from 'node:fs';
import path from 'node:path';
import { documentMasterKey, encryptStreamTo, readDocumentFile } from '../../src/features/documents/document-encryption.ts';
import { documentsDir } from '../../src/features/documents/document-storage.ts';
import { testConfig } from './test-app.ts';

/** The master key a test portal over `uploadDir` uses (generated there on first use). */
export function testMasterKey(uploadDir: string) {
  return documentMasterKey(testConfig({ UPLOAD_DIR: uploadDir }));
}

/** The plain bytes of a stored document, decrypted as the portal does. */
export function readStoredDocument(uploadDir: string, storedName: string): Promise<Buffer> {
  return readDocumentFile(path.join(documentsDir(uploadDir), storedName), testMasterKey(uploadDir));
}

/** Writes a document file as the portal would (encrypted under the test portal's key). */
export async function writeStoredDocument(uploadDir: string, storedName: string, bytes: Buffer): Promise<void> {
  fs.mkdirSync(documentsDir(uploadDir), { recursive: true });
  await encryptStreamTo(bytes, path.join(documentsDir(uploadDir), storedName), testMasterKey(uploadDir));
}

const plainSignatures = [Buffer.from('%PDF'), Buffer.from([0xff, 0xd8, 0xff]), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];

/** True when the bytes on disk start like a PDF, a JPEG or a PNG. */
export function startsLikeAPlainDocument(bytes: Buffer): boolean {
  return plainSignatures.some((signature) => bytes.subarray(0, signature.length).equals(signature));
}

import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { documentMasterKey, encryptStreamTo, readDocument } from '../../src/features/documents/document-encryption.ts';
import { documentsDir, incomingDir, LocalDiskStore } from '../../src/features/documents/document-storage.ts';
import { testConfig } from './test-app.ts';
import type { TestDocuments } from './test-document-store.ts';

/** An upload folder given alone means the disk store over it (the tests that only run on disk). */
function documentsOf(target: string | TestDocuments): TestDocuments {
  if (typeof target !== 'string') return target;
  return { uploadDir: target, store: new LocalDiskStore(target), backingFileOf: (storedName) => path.join(documentsDir(target), storedName) };
}

/** The master key a test portal over `uploadDir` uses (generated there on first use). */
export function testMasterKey(uploadDir: string) {
  return documentMasterKey(testConfig({ UPLOAD_DIR: uploadDir }));
}

/** The plain bytes of a stored document, decrypted as the portal does. */
export async function readStoredDocument(target: string | TestDocuments, storedName: string): Promise<Buffer> {
  const documents = documentsOf(target);
  const stored = await documents.store.open(storedName);
  if (!stored) throw new Error(`no stored document ${storedName}`);
  return readDocument(stored, testMasterKey(documents.uploadDir));
}

/** The bytes in the store (encrypted, as the portal wrote them). */
export async function storedBytes(target: string | TestDocuments, storedName: string): Promise<Buffer> {
  const stored = await documentsOf(target).store.open(storedName);
  if (!stored) throw new Error(`no stored document ${storedName}`);
  const chunks: Buffer[] = [];
  for await (const chunk of stored.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The names of every stored document. */
export async function storedNames(target: string | TestDocuments): Promise<string[]> {
  const names: string[] = [];
  for await (const page of documentsOf(target).store.list()) names.push(...page.map((entry) => entry.storedName));
  return names.sort();
}

async function putBytes(documents: TestDocuments, storedName: string, write: (localPath: string) => Promise<void>): Promise<void> {
  const scratch = incomingDir(documents.uploadDir);
  fs.mkdirSync(scratch, { recursive: true });
  const local = path.join(scratch, `${randomUUID()}.test`);
  try {
    await write(local);
    await documents.store.putFile(storedName, local);
  } finally {
    fs.rmSync(local, { force: true });
  }
}

/** Writes a document as the portal would (encrypted under the test portal's key). */
export async function writeStoredDocument(target: string | TestDocuments, storedName: string, bytes: Buffer): Promise<void> {
  const documents = documentsOf(target);
  await putBytes(documents, storedName, (local) => encryptStreamTo(bytes, local, testMasterKey(documents.uploadDir)));
}

/** Writes these bytes into the store as they are (a file from before encryption, or a stray one). */
export async function writeRawStoredDocument(target: string | TestDocuments, storedName: string, bytes: Buffer): Promise<void> {
  await putBytes(documentsOf(target), storedName, (local) => fs.promises.writeFile(local, bytes));
}

/** Makes a stored document look `ageMs` old to the store's listing (the orphan sweep's grace). */
export function ageStoredDocument(target: string | TestDocuments, storedName: string, ageMs: number): void {
  const time = new Date(Date.now() - ageMs);
  fs.utimesSync(documentsOf(target).backingFileOf(storedName), time, time);
}

/** Changes the stored bytes behind the store's back (a disk fault, or an attacker with access to the store). */
export function alterStoredDocument(target: string | TestDocuments, storedName: string, change: (bytes: Buffer) => void): void {
  const file = documentsOf(target).backingFileOf(storedName);
  const bytes = fs.readFileSync(file);
  change(bytes);
  fs.writeFileSync(file, bytes);
}

const plainSignatures = [Buffer.from('%PDF'), Buffer.from([0xff, 0xd8, 0xff]), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];

/** True when the bytes on disk start like a PDF, a JPEG or a PNG. */
export function startsLikeAPlainDocument(bytes: Buffer): boolean {
  return plainSignatures.some((signature) => bytes.subarray(0, signature.length).equals(signature));
}

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { encryptedHeaderBytes, encryptStreamTo, masterKeyOf, readDocument } from '../../src/features/documents/document-encryption.ts';
import { incomingDir, newStoredName, openDocumentStore } from '../../src/features/documents/document-storage.ts';
import { jpegBytes, pdfBytes, pngBytes } from '../helpers/document-fixtures.ts';
import { startsLikeAPlainDocument, storedBytes, storedNames, writeRawStoredDocument } from '../helpers/stored-documents.ts';
import { startTestDocumentBackend, testDocumentStoreDriver, type TestDocuments } from '../helpers/test-document-store.ts';

const run = promisify(execFile);
const projectRoot = path.join(import.meta.dirname, '../..');
const keyA = Buffer.alloc(32, 7);
const keyB = Buffer.alloc(32, 9);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface StoreFolder extends TestDocuments {
  /** The configuration of the store for the commands (DOCUMENT_STORE and the rest). */
  env: Record<string, string>;
}

/** An upload folder and the document store over it (TEST_DOCUMENT_STORE's: the folder, or a bucket of a local S3 server). */
async function storeFolder(): Promise<StoreFolder> {
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-key-commands-'));
  const backend = await startTestDocumentBackend(testDocumentStoreDriver(), uploadDir);
  const store = openDocumentStore(loadConfig({ NODE_ENV: 'test', UPLOAD_DIR: uploadDir, ...backend.config }).documentStore);
  cleanups.push(async () => {
    store.close();
    await backend.close();
    fs.rmSync(uploadDir, { recursive: true, force: true });
  });
  return { uploadDir, store, backingFileOf: backend.backingFileOf, env: backend.config };
}

/** One of the npm commands, as an operator runs it (a child process with its own environment). */
async function npmCommand(script: string, folder: StoreFolder, environment: Record<string, string> = {}) {
  const { stdout } = await run('npm', ['run', '--silent', script], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', UPLOAD_DIR: folder.uploadDir, LOG_LEVEL: 'silent', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...folder.env, ...environment },
    timeout: 60_000,
  });
  return stdout;
}

/** Stores `bytes` encrypted under `key`, as the portal configured with that key would. */
async function writeEncrypted(folder: StoreFolder, storedName: string, bytes: Buffer, key: Buffer): Promise<void> {
  fs.mkdirSync(incomingDir(folder.uploadDir), { recursive: true });
  const local = path.join(incomingDir(folder.uploadDir), `${storedName}.test`);
  await encryptStreamTo(bytes, local, masterKeyOf(key));
  await folder.store.putFile(storedName, local);
}

async function readWith(folder: StoreFolder, storedName: string, key: Buffer): Promise<Buffer> {
  return readDocument((await folder.store.open(storedName))!, masterKeyOf(key));
}

describe('npm run documents:encrypt-existing', () => {
  it('encrypts the plain files under the configured key and skips those already encrypted, run after run', async () => {
    const folder = await storeFolder();
    const plain = new Map([[newStoredName(), pdfBytes], [newStoredName(), jpegBytes], [newStoredName(), pngBytes]]);
    for (const [name, bytes] of plain) await writeRawStoredDocument(folder, name, bytes);
    const already = newStoredName();
    await writeEncrypted(folder, already, pdfBytes, keyA);
    const alreadyBytes = await storedBytes(folder, already);

    const output = await npmCommand('documents:encrypt-existing', folder, { DOCUMENT_ENCRYPTION_KEY: keyA.toString('base64') });
    expect(output).toMatch(/encrypted: 3; already encrypted \(skipped\): 1/);
    for (const [name, bytes] of plain) {
      expect(startsLikeAPlainDocument(await storedBytes(folder, name))).toBe(false);
      expect((await readWith(folder, name, keyA)).equals(bytes)).toBe(true);
    }
    expect((await storedBytes(folder, already)).equals(alreadyBytes)).toBe(true);
    expect(await storedNames(folder)).toEqual([...plain.keys(), already].sort());

    const snapshot = new Map<string, Buffer>();
    for (const name of [...plain.keys(), already]) snapshot.set(name, await storedBytes(folder, name));
    expect(await npmCommand('documents:encrypt-existing', folder, { DOCUMENT_ENCRYPTION_KEY: keyA.toString('base64') })).toMatch(/encrypted: 0; already encrypted \(skipped\): 4/);
    for (const [name, bytes] of snapshot) expect((await storedBytes(folder, name)).equals(bytes)).toBe(true);
  }, 120_000);
});

describe('npm run documents:rotate-key', () => {
  it('re-wraps each file key under the new master key without re-encrypting the content', async () => {
    const folder = await storeFolder();
    const files = new Map([[newStoredName(), pdfBytes], [newStoredName(), pngBytes]]);
    const before = new Map<string, Buffer>();
    for (const [name, bytes] of files) {
      await writeEncrypted(folder, name, bytes, keyA);
      before.set(name, await storedBytes(folder, name));
    }

    const output = await npmCommand('documents:rotate-key', folder, { DOCUMENT_ENCRYPTION_KEY: keyA.toString('base64'), NEW_DOCUMENT_ENCRYPTION_KEY: keyB.toString('base64') });
    expect(output).toMatch(/re-wrapped: 2; already under the new key: 0/);
    for (const [name, bytes] of files) {
      const after = await storedBytes(folder, name);
      const old = before.get(name)!;
      // Only the wrapped key changed: the content (IV, ciphertext, tag) is byte for byte the same.
      expect(after.subarray(0, 12).equals(old.subarray(0, 12))).toBe(false);
      expect(after.subarray(encryptedHeaderBytes - 12).equals(old.subarray(encryptedHeaderBytes - 12))).toBe(true);
      expect((await readWith(folder, name, keyB)).equals(bytes)).toBe(true);
      await expect(readWith(folder, name, keyA)).rejects.toThrow(/another master key/);
    }
    // Run again (say after an interruption): nothing left to do.
    expect(await npmCommand('documents:rotate-key', folder, { DOCUMENT_ENCRYPTION_KEY: keyB.toString('base64'), NEW_DOCUMENT_ENCRYPTION_KEY: keyB.toString('base64') })).toMatch(/re-wrapped: 0; already under the new key: 2/);
  }, 120_000);

  it('outside production replaces the generated key file, and refuses a new key that is not 32 bytes', async () => {
    const folder = await storeFolder();
    const name = newStoredName();
    await writeRawStoredDocument(folder, name, pdfBytes);
    await npmCommand('documents:encrypt-existing', folder);
    const keyFile = path.join(folder.uploadDir, 'document-encryption.key');
    expect(fs.existsSync(keyFile)).toBe(true);
    await npmCommand('documents:rotate-key', folder, { NEW_DOCUMENT_ENCRYPTION_KEY: keyB.toString('base64') });
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(keyB.toString('base64'));
    expect((await readWith(folder, name, keyB)).equals(pdfBytes)).toBe(true);
    await expect(npmCommand('documents:rotate-key', folder, { NEW_DOCUMENT_ENCRYPTION_KEY: 'c2hvcnQ=' })).rejects.toThrow();
  }, 120_000);
});

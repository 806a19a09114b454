import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { encryptedHeaderBytes, encryptStreamTo, masterKeyOf, readDocumentFile } from '../../src/features/documents/document-encryption.ts';
import { documentsDir, newStoredName } from '../../src/features/documents/document-storage.ts';
import { jpegBytes, pdfBytes, pngBytes } from '../helpers/document-fixtures.ts';
import { startsLikeAPlainDocument } from '../helpers/stored-documents.ts';

const run = promisify(execFile);
const projectRoot = path.join(import.meta.dirname, '../..');
const keyA = Buffer.alloc(32, 7);
const keyB = Buffer.alloc(32, 9);

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function uploadFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-key-commands-'));
  folders.push(folder);
  fs.mkdirSync(documentsDir(folder), { recursive: true });
  return folder;
}

/** One of the npm commands, as an operator runs it (a child process with its own environment). */
async function npmCommand(script: string, uploadDir: string, environment: Record<string, string> = {}) {
  const { stdout } = await run('npm', ['run', '--silent', script], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', UPLOAD_DIR: uploadDir, LOG_LEVEL: 'silent', ...environment },
    timeout: 60_000,
  });
  return stdout;
}

const filePathIn = (uploadDir: string, name: string) => path.join(documentsDir(uploadDir), name);

describe('npm run documents:encrypt-existing', () => {
  it('encrypts the plain files under the configured key and skips those already encrypted, run after run', async () => {
    const uploadDir = uploadFolder();
    const plain = new Map([[newStoredName(), pdfBytes], [newStoredName(), jpegBytes], [newStoredName(), pngBytes]]);
    for (const [name, bytes] of plain) fs.writeFileSync(filePathIn(uploadDir, name), bytes);
    const already = newStoredName();
    await encryptStreamTo(pdfBytes, filePathIn(uploadDir, already), masterKeyOf(keyA));
    const alreadyBytes = fs.readFileSync(filePathIn(uploadDir, already));

    const output = await npmCommand('documents:encrypt-existing', uploadDir, { DOCUMENT_ENCRYPTION_KEY: keyA.toString('base64') });
    expect(output).toMatch(/encrypted: 3; already encrypted \(skipped\): 1/);
    for (const [name, bytes] of plain) {
      const stored = fs.readFileSync(filePathIn(uploadDir, name));
      expect(startsLikeAPlainDocument(stored)).toBe(false);
      expect((await readDocumentFile(filePathIn(uploadDir, name), masterKeyOf(keyA))).equals(bytes)).toBe(true);
    }
    expect(fs.readFileSync(filePathIn(uploadDir, already)).equals(alreadyBytes)).toBe(true);
    expect(fs.readdirSync(documentsDir(uploadDir)).sort()).toEqual([...plain.keys(), already].sort());

    const snapshot = new Map([...plain.keys(), already].map((name) => [name, fs.readFileSync(filePathIn(uploadDir, name))]));
    expect(await npmCommand('documents:encrypt-existing', uploadDir, { DOCUMENT_ENCRYPTION_KEY: keyA.toString('base64') })).toMatch(/encrypted: 0; already encrypted \(skipped\): 4/);
    for (const [name, bytes] of snapshot) expect(fs.readFileSync(filePathIn(uploadDir, name)).equals(bytes)).toBe(true);
  }, 120_000);
});

describe('npm run documents:rotate-key', () => {
  it('re-wraps each file key under the new master key without re-encrypting the content', async () => {
    const uploadDir = uploadFolder();
    const files = new Map([[newStoredName(), pdfBytes], [newStoredName(), pngBytes]]);
    for (const [name, bytes] of files) await encryptStreamTo(bytes, filePathIn(uploadDir, name), masterKeyOf(keyA));
    const before = new Map([...files.keys()].map((name) => [name, fs.readFileSync(filePathIn(uploadDir, name))]));

    const output = await npmCommand('documents:rotate-key', uploadDir, { DOCUMENT_ENCRYPTION_KEY: keyA.toString('base64'), NEW_DOCUMENT_ENCRYPTION_KEY: keyB.toString('base64') });
    expect(output).toMatch(/re-wrapped: 2; already under the new key: 0/);
    for (const [name, bytes] of files) {
      const after = fs.readFileSync(filePathIn(uploadDir, name));
      const old = before.get(name)!;
      // Only the wrapped key changed: the content (IV, ciphertext, tag) is byte for byte the same.
      expect(after.subarray(0, 12).equals(old.subarray(0, 12))).toBe(false);
      expect(after.subarray(encryptedHeaderBytes - 12).equals(old.subarray(encryptedHeaderBytes - 12))).toBe(true);
      expect((await readDocumentFile(filePathIn(uploadDir, name), masterKeyOf(keyB))).equals(bytes)).toBe(true);
      await expect(readDocumentFile(filePathIn(uploadDir, name), masterKeyOf(keyA))).rejects.toThrow(/another master key/);
    }
    // Run again (say after an interruption): nothing left to do.
    expect(await npmCommand('documents:rotate-key', uploadDir, { DOCUMENT_ENCRYPTION_KEY: keyB.toString('base64'), NEW_DOCUMENT_ENCRYPTION_KEY: keyB.toString('base64') })).toMatch(/re-wrapped: 0; already under the new key: 2/);
  }, 120_000);

  it('outside production replaces the generated key file, and refuses a new key that is not 32 bytes', async () => {
    const uploadDir = uploadFolder();
    const name = newStoredName();
    fs.writeFileSync(filePathIn(uploadDir, name), pdfBytes);
    await npmCommand('documents:encrypt-existing', uploadDir);
    const keyFile = path.join(uploadDir, 'document-encryption.key');
    expect(fs.existsSync(keyFile)).toBe(true);
    await npmCommand('documents:rotate-key', uploadDir, { NEW_DOCUMENT_ENCRYPTION_KEY: keyB.toString('base64') });
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(keyB.toString('base64'));
    expect((await readDocumentFile(filePathIn(uploadDir, name), masterKeyOf(keyB))).equals(pdfBytes)).toBe(true);
    await expect(npmCommand('documents:rotate-key', uploadDir, { NEW_DOCUMENT_ENCRYPTION_KEY: 'c2hvcnQ=' })).rejects.toThrow();
  }, 120_000);
});

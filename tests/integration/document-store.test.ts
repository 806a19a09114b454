/**
 * The contract every document store keeps, run on the disk driver and on the S3 driver against a local
 * S3-compatible server (s3rver, in this process): the portal's features rely on nothing else.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { masterKeyOf, readDocument } from '../../src/features/documents/document-encryption.ts';
import { incomingDir, newStoredName, openDocumentStore, storeEncryptedFile, sweepOrphanDocuments, type DocumentStore } from '../../src/features/documents/document-storage.ts';
import { S3DocumentStore } from '../../src/features/documents/s3-document-store.ts';
import { ageStoredDocument, alterStoredDocument, storedNames } from '../helpers/stored-documents.ts';
import { startTestDocumentBackend, type TestDocumentBackend, type TestDocuments } from '../helpers/test-document-store.ts';

const hourMs = 3_600_000;

describe.each(['disk', 's3'] as const)('the %s document store', (driver) => {
  let uploadDir: string;
  let backend: TestDocumentBackend;
  let store: DocumentStore;
  let documents: TestDocuments;
  const settings = () => loadConfig({ NODE_ENV: 'test', UPLOAD_DIR: uploadDir, ...backend.config }).documentStore;

  beforeAll(async () => {
    uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), `zhas-store-${driver}-`));
    // On S3 under a prefix, as a bucket shared with other things would be.
    backend = await startTestDocumentBackend(driver, uploadDir, { prefix: 'zhas/documents/' });
    store = openDocumentStore(settings());
    documents = { uploadDir, store, backingFileOf: backend.backingFileOf };
  });
  afterAll(async () => {
    store?.close();
    await backend?.close();
    fs.rmSync(uploadDir, { recursive: true, force: true });
  });

  /** A local file with these bytes, as the portal hands finished files to the store. */
  function localFile(bytes: Buffer): string {
    fs.mkdirSync(incomingDir(uploadDir), { recursive: true });
    const file = path.join(incomingDir(uploadDir), `${newStoredName()}.finished`);
    fs.writeFileSync(file, bytes);
    return file;
  }

  async function put(bytes: Buffer, storedName = newStoredName()): Promise<string> {
    await store.putFile(storedName, localFile(bytes));
    return storedName;
  }

  async function readBack(storedName: string) {
    const stored = await store.open(storedName);
    if (!stored) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of stored.stream) chunks.push(chunk as Buffer);
    return { sizeBytes: stored.sizeBytes, bytes: Buffer.concat(chunks) };
  }

  it('says which store it is', () => {
    expect(store.description).toMatch(driver === 'disk' ? /^disk \(.*documents\)$/ : /^s3 \(http:\/\/127\.0\.0\.1:\d+, bucket zhas-test-[0-9a-f]+, prefix zhas\/documents\/\)$/);
  });

  it('keeps the bytes of a file exactly (a large one, a tiny one, an empty one), and takes the local file away', async () => {
    for (const bytes of [randomBytes(700_000), Buffer.from('%PDF'), Buffer.alloc(0)]) {
      const file = localFile(bytes);
      const storedName = newStoredName();
      await store.putFile(storedName, file);
      expect(fs.existsSync(file)).toBe(false);
      const back = await readBack(storedName);
      expect(back?.sizeBytes).toBe(bytes.length);
      expect(back?.bytes.equals(bytes)).toBe(true);
      expect(await store.exists(storedName)).toBe(true);
    }
  });

  it('reads the first bytes alone, or all of a shorter file', async () => {
    const bytes = randomBytes(5_000);
    const storedName = await put(bytes);
    expect((await store.readHead(storedName, 88))?.equals(bytes.subarray(0, 88))).toBe(true);
    expect((await store.readHead(await put(bytes.subarray(0, 10)), 88))?.equals(bytes.subarray(0, 10))).toBe(true);
    // s3rver cuts the connection on a range of an empty object (S3 answers 416, which readHead handles);
    // the portal never stores an empty file (an encrypted one has 104 bytes at least).
    if (driver === 'disk') expect((await store.readHead(await put(Buffer.alloc(0)), 4))?.length).toBe(0);
  });

  it('replaces a document written again under the same name', async () => {
    const storedName = await put(Buffer.from('first version'));
    await put(Buffer.from('second'), storedName);
    expect((await readBack(storedName))?.bytes.toString()).toBe('second');
  });

  it('answers for a name it does not hold: nothing to open, no head, not there', async () => {
    const absent = newStoredName();
    expect(await store.open(absent)).toBeNull();
    expect(await store.readHead(absent, 4)).toBeNull();
    expect(await store.exists(absent)).toBe(false);
  });

  it('removes the names given, leaves the others, and ignores names it does not hold', async () => {
    const [gone, alsoGone, kept] = [await put(Buffer.from('a')), await put(Buffer.from('b')), await put(Buffer.from('c'))];
    await store.remove([gone, alsoGone, newStoredName()]);
    await store.remove([]);
    expect(await store.exists(gone)).toBe(false);
    expect(await store.exists(alsoGone)).toBe(false);
    expect(await store.open(gone)).toBeNull();
    expect(await store.exists(kept)).toBe(true);
  });

  it('refuses names that would step outside it, before touching anything', async () => {
    const outside = path.join(uploadDir, 'outside.bin');
    fs.writeFileSync(outside, 'not a document');
    const escapes = ['../outside.bin', '../../etc/passwd', `${'0'.repeat(8)}/../outside.bin`, 'zhas/documents/x.bin', '', `${newStoredName()}.partial`, newStoredName().toUpperCase()];
    for (const name of escapes) {
      await expect(store.putFile(name, localFile(Buffer.from('x'))), name).rejects.toThrow(/invalid stored document name/);
      await expect(store.open(name), name).rejects.toThrow(/invalid stored document name/);
      await expect(store.readHead(name, 4), name).rejects.toThrow(/invalid stored document name/);
      await expect(store.exists(name), name).rejects.toThrow(/invalid stored document name/);
      await expect(store.remove([newStoredName(), name]), name).rejects.toThrow(/invalid stored document name/);
      await expect(store.editLocally(name, async () => ({ changed: false, result: null })), name).rejects.toThrow(/invalid stored document name/);
    }
    expect(fs.readFileSync(outside, 'utf8')).toBe('not a document');
  });

  it('lists its documents with the time each was written, and nothing else of the folder or bucket', async () => {
    const before = Date.now();
    const fresh = await put(Buffer.from('fresh'));
    const old = await put(Buffer.from('old'));
    ageStoredDocument(documents, old, 48 * hourMs);
    // Not the portal's: a stray file beside the documents, and (S3) an object outside the prefix.
    fs.writeFileSync(path.join(path.dirname(backend.backingFileOf(fresh)), driver === 'disk' ? 'notes.txt' : 'notes.txt._S3rver_object'), 'x');
    if (driver === 's3') {
      const other = path.join(path.dirname(path.dirname(backend.backingFileOf(fresh))), `${newStoredName()}._S3rver_object`);
      fs.writeFileSync(other, 'outside the prefix');
    }
    const pages: { storedName: string; writtenAt: Date }[][] = [];
    for await (const page of store.list()) pages.push(page);
    const entries = new Map(pages.flat().map((entry) => [entry.storedName, entry.writtenAt]));
    expect([...entries.keys()].every((name) => /^[0-9a-f-]{36}\.bin$/.test(name))).toBe(true);
    // Last-Modified has whole seconds.
    expect(entries.get(fresh)!.getTime()).toBeGreaterThanOrEqual(before - 2_000);
    expect(entries.get(fresh)!.getTime()).toBeLessThanOrEqual(Date.now() + 2_000);
    expect(Math.abs(entries.get(old)!.getTime() - (Date.now() - 48 * hourMs))).toBeLessThan(5_000);
    expect(entries.size).toBe((await storedNames(documents)).length);
  });

  it('goes through every page of a long listing', async () => {
    const names = [await put(Buffer.from('1')), await put(Buffer.from('2')), await put(Buffer.from('3')), await put(Buffer.from('4')), await put(Buffer.from('5'))];
    const s3 = settings();
    // S3 answers at most 1000 keys a request; a page size of 2 walks the continuation tokens here.
    const paged = s3.driver === 's3' ? new S3DocumentStore({ ...s3, scratchDir: incomingDir(uploadDir), listPageSize: 2 }) : store;
    try {
      const pages: string[][] = [];
      for await (const page of paged.list()) pages.push(page.map((entry) => entry.storedName));
      for (const name of names) expect(pages.flat()).toContain(name);
      expect(new Set(pages.flat()).size).toBe(pages.flat().length);
      if (driver === 's3') expect(pages.length).toBeGreaterThanOrEqual(3);
    } finally {
      if (paged !== store) paged.close();
    }
  });

  it('edits a document through a local file, and keeps the change only when asked to', async () => {
    const storedName = await put(Buffer.from('before'));
    const result = await store.editLocally(storedName, async (localPath) => {
      expect(fs.readFileSync(localPath, 'utf8')).toBe('before');
      fs.writeFileSync(localPath, 'after');
      return { changed: true, result: 42 };
    });
    expect(result).toBe(42);
    expect((await readBack(storedName))?.bytes.toString()).toBe('after');
    if (driver === 's3') {
      // A local copy: written to without saying so, the object stays as it was.
      await store.editLocally(storedName, async (localPath) => {
        fs.writeFileSync(localPath, 'not kept');
        return { changed: false, result: null };
      });
      expect((await readBack(storedName))?.bytes.toString()).toBe('after');
    }
    await expect(store.editLocally(newStoredName(), async () => ({ changed: false, result: null }))).rejects.toThrow();
    // No copy is left behind in the scratch folder.
    expect(fs.readdirSync(incomingDir(uploadDir)).filter((name) => name.endsWith('.edit'))).toEqual([]);
  });

  it('gets only encrypted bytes from storeEncryptedFile, which read back exactly and are refused once altered', async () => {
    const master = masterKeyOf(Buffer.alloc(32, 4));
    const plain = randomBytes(300_000);
    const plainFile = localFile(plain);
    const storedName = newStoredName();
    await storeEncryptedFile(store, storedName, plainFile, master);
    expect(fs.existsSync(plainFile)).toBe(false);
    expect(fs.readdirSync(incomingDir(uploadDir)).filter((name) => name.includes(path.basename(plainFile)))).toEqual([]);
    const stored = await readBack(storedName);
    expect(stored!.bytes.subarray(0, 4).toString('latin1')).toBe('ZHE1');
    expect(stored!.bytes.includes(plain.subarray(1000, 1032))).toBe(false);
    expect((await readDocument((await store.open(storedName))!, master)).equals(plain)).toBe(true);
    // Small files come in one read with their header and tag.
    for (const small of [Buffer.from('%PDF-1.4 tiny'), Buffer.alloc(0)]) {
      const smallName = newStoredName();
      await storeEncryptedFile(store, smallName, localFile(small), master);
      expect((await readDocument((await store.open(smallName))!, master)).equals(small)).toBe(true);
    }
    await expect(readDocument((await store.open(storedName))!, masterKeyOf(Buffer.alloc(32, 5)))).rejects.toThrow(/another master key/);

    alterStoredDocument(documents, storedName, (bytes) => {
      bytes[bytes.length - 100] ^= 0x01;
    });
    await expect(readDocument((await store.open(storedName))!, master)).rejects.toThrow();
  });

  it('lets the orphan sweep remove the documents no row points to once older than the grace', async () => {
    const recorded = await put(Buffer.from('recorded'));
    const orphan = await put(Buffer.from('orphan'));
    const recentOrphan = await put(Buffer.from('recent'));
    for (const name of [recorded, orphan]) ageStoredDocument(documents, name, 48 * hourMs);
    const asked: string[] = [];
    const removed = await sweepOrphanDocuments(
      store,
      async (names) => {
        asked.push(...names);
        return new Set(names.filter((name) => name === recorded));
      },
      hourMs,
    );
    expect(removed).toContain(orphan);
    expect(removed).not.toContain(recorded);
    expect(asked).not.toContain(recentOrphan);
    expect(await store.exists(orphan)).toBe(false);
    expect(await store.exists(recorded)).toBe(true);
    expect(await store.exists(recentOrphan)).toBe(true);
  });
});

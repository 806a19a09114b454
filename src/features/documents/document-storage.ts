import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import type { DocumentStoreSettings } from '../../config.ts';
import { acceptedMimeTypes } from './document-kinds.ts';
import { encryptFileTo, type MasterKey } from './document-encryption.ts';
import { S3DocumentStore } from './s3-document-store.ts';
import { assertStoredName, isStoredName } from './stored-names.ts';

export { assertStoredName, isStoredName, newStoredName } from './stored-names.ts';

/**
 * Finished documents live in a DocumentStore under random names: the folder <UPLOAD_DIR>/documents
 * (DOCUMENT_STORE=disk) or an S3-compatible bucket shared by every instance (DOCUMENT_STORE=s3).
 * What they hold is always encrypted before it reaches the store (document-encryption.ts). Files being
 * received or checked stay on the local disk (<UPLOAD_DIR>/incoming, <UPLOAD_DIR>/tus) until they pass.
 * Files are stored before the database row that points to them; a failed submission deletes its files
 * and the orphan sweep removes whatever a crash left behind.
 */
export interface DocumentStore {
  /** "disk (<folder>)" or "s3 (<bucket>)", for the start-up line. */
  readonly description: string;
  /** Moves a finished (encrypted) local file into the store under `storedName`; the local file is gone afterwards. */
  putFile(storedName: string, localPath: string): Promise<void>;
  /** The stored bytes as a stream with their number, or null when there is no such document. */
  open(storedName: string): Promise<StoredObject | null>;
  /** The first `length` bytes (all of a shorter file), or null when there is no such document. */
  readHead(storedName: string, length: number): Promise<Buffer | null>;
  exists(storedName: string): Promise<boolean>;
  /** Deletes these documents; names that are not stored are ignored. */
  remove(storedNames: string[]): Promise<void>;
  /** Every stored document with the time it was written, a page (up to 1000) at a time. */
  list(): AsyncIterable<StoredEntry[]>;
  /**
   * Runs `edit` on the file as a local path and keeps what it wrote when it returns true (the key
   * commands): in place on disk; on S3 a local copy, uploaded back only when changed.
   */
  editLocally<T>(storedName: string, edit: (localPath: string) => Promise<{ changed: boolean; result: T }>): Promise<T>;
  /** Frees connections (S3); the stored documents stay. */
  close(): void;
}

export interface StoredObject {
  stream: Readable;
  sizeBytes: number;
}

export interface StoredEntry {
  storedName: string;
  writtenAt: Date;
}

export function documentsDir(uploadDir: string): string {
  return path.join(uploadDir, 'documents');
}

/** Where multer writes the files of a form while they are received and checked (always local). */
export function incomingDir(uploadDir: string): string {
  return path.join(uploadDir, 'incoming');
}

/** DOCUMENT_STORE=disk: the documents folder of UPLOAD_DIR, as the portal has always kept it. */
export class LocalDiskStore implements DocumentStore {
  readonly directory: string;
  readonly description: string;

  constructor(uploadDir: string) {
    this.directory = documentsDir(uploadDir);
    this.description = `disk (${this.directory})`;
    fs.mkdirSync(this.directory, { recursive: true });
  }

  private pathOf(storedName: string): string {
    return path.join(this.directory, assertStoredName(storedName));
  }

  async putFile(storedName: string, localPath: string): Promise<void> {
    const target = this.pathOf(storedName);
    try {
      await fs.promises.rename(localPath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // UPLOAD_DIR's folders on different file systems: copied beside, then renamed, so the target is whole or absent.
      const partial = `${target}.${randomBytes(4).toString('hex')}.partial`;
      try {
        await fs.promises.copyFile(localPath, partial);
        await fs.promises.rename(partial, target);
      } finally {
        await fs.promises.rm(partial, { force: true });
      }
      await fs.promises.rm(localPath, { force: true });
    }
  }

  async open(storedName: string): Promise<StoredObject | null> {
    const filePath = this.pathOf(storedName);
    const handle = await fs.promises.open(filePath, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (!handle) return null;
    const { size } = await handle.stat();
    // The stream owns the handle from here: a rename or delete meanwhile does not cut the reading short.
    return { stream: handle.createReadStream(), sizeBytes: size };
  }

  async readHead(storedName: string, length: number): Promise<Buffer | null> {
    const handle = await fs.promises.open(this.pathOf(storedName), 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (!handle) return null;
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async exists(storedName: string): Promise<boolean> {
    return fs.promises.access(this.pathOf(storedName)).then(
      () => true,
      () => false,
    );
  }

  async remove(storedNames: string[]): Promise<void> {
    await Promise.all(storedNames.map((storedName) => fs.promises.rm(this.pathOf(storedName), { force: true })));
  }

  async *list(): AsyncIterable<StoredEntry[]> {
    const names = (await fs.promises.readdir(this.directory).catch(() => [] as string[])).filter(isStoredName).sort();
    for (let start = 0; start < names.length; start += 1000) {
      const page: StoredEntry[] = [];
      for (const storedName of names.slice(start, start + 1000)) {
        const stat = await fs.promises.stat(path.join(this.directory, storedName)).catch(() => null);
        if (stat?.isFile()) page.push({ storedName, writtenAt: stat.mtime });
      }
      if (page.length > 0) yield page;
    }
  }

  async editLocally<T>(storedName: string, edit: (localPath: string) => Promise<{ changed: boolean; result: T }>): Promise<T> {
    const filePath = this.pathOf(storedName);
    await fs.promises.access(filePath);
    return (await edit(filePath)).result;
  }

  close(): void {}
}

/** A new store for these settings (the key commands, tests); the portal uses documentStoreOf. */
export function openDocumentStore(settings: DocumentStoreSettings): DocumentStore {
  return settings.driver === 's3' ? new S3DocumentStore({ ...settings, scratchDir: incomingDir(settings.uploadDir) }) : new LocalDiskStore(settings.uploadDir);
}

const storesOfSettings = new WeakMap<DocumentStoreSettings, DocumentStore>();

/**
 * The portal's one store for its configuration: every router, job and command of one process that
 * is given the same configuration gets the same store (and so shares one S3 connection pool).
 */
export function documentStoreOf(config: { documentStore: DocumentStoreSettings }): DocumentStore {
  let store = storesOfSettings.get(config.documentStore);
  if (!store) {
    store = openDocumentStore(config.documentStore);
    storesOfSettings.set(config.documentStore, store);
  }
  return store;
}

/**
 * Encrypts the checked plain file `plainPath` beside it and moves the result into the store under
 * `storedName`; the plain file is removed. Only encrypted bytes ever reach the store.
 */
export async function storeEncryptedFile(store: DocumentStore, storedName: string, plainPath: string, master: MasterKey): Promise<void> {
  assertStoredName(storedName);
  const encrypted = `${plainPath}.${randomBytes(4).toString('hex')}.encrypted`;
  try {
    await encryptFileTo(plainPath, encrypted, master);
    await store.putFile(storedName, encrypted);
  } finally {
    await fs.promises.rm(encrypted, { force: true });
  }
  await fs.promises.rm(plainPath, { force: true });
}

export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(filePath), hash);
  return hash.digest('hex');
}

/** The real type of a file (or of its first bytes): PDF, JPEG or PNG, or null for anything else. */
export async function acceptedTypeOf(file: string | Buffer): Promise<(typeof acceptedMimeTypes)[number] | null> {
  const detected = typeof file === 'string' ? await fileTypeFromFile(file) : await fileTypeFromBuffer(file);
  if (!detected) return null;
  return (acceptedMimeTypes as readonly string[]).includes(detected.mime) ? (detected.mime as (typeof acceptedMimeTypes)[number]) : null;
}

/** Deletes local files (uploads being received or checked); a stored document goes with DocumentStore.remove. */
export async function removeFiles(paths: string[]): Promise<void> {
  await Promise.all(paths.map((filePath) => fs.promises.rm(filePath, { force: true })));
}

/**
 * Deletes stored documents that no database row points to and that were written more than `graceMs`
 * ago (younger ones may belong to a submission still in progress). Asks the database a page at a time.
 */
export async function sweepOrphanDocuments(store: DocumentStore, knownStoredNames: (names: string[]) => Promise<Set<string>>, graceMs: number, now = Date.now()): Promise<string[]> {
  const orphans: string[] = [];
  for await (const page of store.list()) {
    const candidates = page.filter((entry) => now - entry.writtenAt.getTime() > graceMs).map((entry) => entry.storedName);
    if (candidates.length === 0) continue;
    const known = await knownStoredNames(candidates);
    orphans.push(...candidates.filter((name) => !known.has(name)));
  }
  await store.remove(orphans);
  return orphans;
}

/** Files in a local staging folder (unfinished uploads) untouched for longer than `graceMs`; removes them. */
export async function sweepStagingFolder(directory: string, graceMs: number, now = Date.now()): Promise<string[]> {
  const entries = await fs.promises.readdir(directory).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of entries) {
    const stat = await fs.promises.stat(path.join(directory, name)).catch(() => null);
    if (stat?.isFile() && now - stat.mtimeMs > graceMs) removed.push(name);
  }
  await removeFiles(removed.map((name) => path.join(directory, name)));
  return removed;
}

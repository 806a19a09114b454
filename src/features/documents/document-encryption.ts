import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Documents at rest: each file is encrypted with AES-256-GCM under its own random key, and that key is
 * wrapped (AES-256-GCM) by the master key of the configuration. The file on disk is
 *
 *   "ZHE1" | master key id (8) | wrap IV (12) | wrapped file key (32) | wrap tag (16) | content IV (12)
 *   | ciphertext | content tag (16)
 *
 * so rotating the master key rewrites only the 68 bytes after the magic, never the content.
 */
const magic = Buffer.from('ZHE1', 'ascii');
const keyIdBytes = 8;
const ivBytes = 12;
const tagBytes = 16;
const fileKeyBytes = 32;
const wrapStart = magic.length;
const wrapBytes = keyIdBytes + ivBytes + fileKeyBytes + tagBytes;
export const encryptedHeaderBytes = magic.length + wrapBytes + ivBytes;
/** The bytes an encrypted file has on top of its content. */
export const encryptionOverheadBytes = encryptedHeaderBytes + tagBytes;

export interface MasterKey {
  /** First bytes of a hash of the key: says which master key wrapped a file, reveals nothing of it. */
  id: Buffer;
  key: Buffer;
}

/** Where the master key comes from: the configuration (DOCUMENT_ENCRYPTION_KEY), or outside production a generated key file. */
export interface DocumentKeySettings {
  documentEncryptionKey?: Buffer;
  documentKeyFile: string;
}

export function masterKeyOf(key: Buffer): MasterKey {
  if (key.length !== 32) throw new Error('a document master key has 32 bytes');
  return { id: createHash('sha256').update('zhas-document-master-key').update(key).digest().subarray(0, keyIdBytes), key };
}

/** A master key given as base64 (32 bytes), or null when it is not one. */
export function parseMasterKey(base64: string): Buffer | null {
  const trimmed = base64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : null;
}

const keyFileCache = new Map<string, MasterKey>();

/**
 * The master key: the configured one, or (development and tests) the key in `documentKeyFile`,
 * generated there on first use and reused afterwards.
 */
export function documentMasterKey(settings: DocumentKeySettings): MasterKey {
  if (settings.documentEncryptionKey) return masterKeyOf(settings.documentEncryptionKey);
  const cached = keyFileCache.get(settings.documentKeyFile);
  if (cached) return cached;
  const master = masterKeyOf(readOrCreateKeyFile(settings.documentKeyFile));
  keyFileCache.set(settings.documentKeyFile, master);
  return master;
}

function readOrCreateKeyFile(file: string): Buffer {
  try {
    const key = parseMasterKey(fs.readFileSync(file, 'utf8'));
    if (!key) throw new Error(`${file} does not hold a base64 32-byte document key`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readOrCreateKeyFile(file);
}

/** Replaces the generated key file's key (after a rotation in development); forgets the cached one. */
export function writeKeyFile(file: string, key: Buffer): void {
  const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
  fs.writeFileSync(partial, `${key.toString('base64')}\n`, { mode: 0o600 });
  fs.renameSync(partial, file);
  keyFileCache.delete(file);
}

function wrapFileKey(master: MasterKey, fileKey: Buffer): Buffer {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', master.key, iv);
  cipher.setAAD(Buffer.concat([magic, master.id]));
  const wrapped = Buffer.concat([cipher.update(fileKey), cipher.final()]);
  return Buffer.concat([master.id, iv, wrapped, cipher.getAuthTag()]);
}

export class DocumentKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentKeyError';
  }
}

/** The file key from the wrap bytes of a header, with whichever of `masters` wrapped it. */
function unwrapFileKey(wrap: Buffer, masters: MasterKey[]): Buffer {
  const id = wrap.subarray(0, keyIdBytes);
  const master = masters.find((candidate) => candidate.id.equals(id));
  if (!master) throw new DocumentKeyError('document encrypted under another master key');
  const iv = wrap.subarray(keyIdBytes, keyIdBytes + ivBytes);
  const wrapped = wrap.subarray(keyIdBytes + ivBytes, keyIdBytes + ivBytes + fileKeyBytes);
  const tag = wrap.subarray(keyIdBytes + ivBytes + fileKeyBytes);
  const decipher = createDecipheriv('aes-256-gcm', master.key, iv);
  decipher.setAAD(Buffer.concat([magic, master.id]));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    throw new DocumentKeyError('document key does not unwrap');
  }
}

export function hasEncryptionHeader(head: Buffer): boolean {
  return head.length >= magic.length && head.subarray(0, magic.length).equals(magic);
}

/**
 * Streams the plain file `plainPath` into `encryptedPath`, encrypted (never the whole file in memory).
 * Written beside under a temporary name and renamed into place, so the target is complete or absent.
 */
export async function encryptFileTo(plainPath: string, encryptedPath: string, master: MasterKey): Promise<void> {
  await encryptStreamTo(fs.createReadStream(plainPath), encryptedPath, master);
}

/** Writes `plain` (bytes or a stream) encrypted into `encryptedPath`, renamed into place when complete. */
export async function encryptStreamTo(plain: Readable | Buffer, encryptedPath: string, master: MasterKey): Promise<void> {
  const source = Buffer.isBuffer(plain) ? Readable.from([plain]) : plain;
  const fileKey = randomBytes(fileKeyBytes);
  const iv = randomBytes(ivBytes);
  const header = Buffer.concat([magic, wrapFileKey(master, fileKey), iv]);
  const cipher = createCipheriv('aes-256-gcm', fileKey, iv);
  cipher.setAAD(magic);
  const partial = `${encryptedPath}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await pipeline(
      source,
      async function* (source: AsyncIterable<Buffer>) {
        yield header;
        for await (const chunk of source) yield cipher.update(chunk);
        yield cipher.final();
        yield cipher.getAuthTag();
      },
      fs.createWriteStream(partial, { mode: 0o600 }),
    );
    await fs.promises.rename(partial, encryptedPath);
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
}

export interface OpenedDocument {
  /** The plain bytes, decrypted as they are read; errors at the end if the file was altered. */
  stream: Readable;
  /** The number of plain bytes. */
  sizeBytes: number;
  /** False for a file written before encryption (served as it is until `documents:encrypt-existing` runs). */
  encrypted: boolean;
}

/**
 * Opens a stored document (its bytes as one stream, from the start, and their number) for reading
 * its plain bytes: one sequential read, as a file or an S3 object gives it. The content tag is the
 * last 16 bytes and is checked at the end; the last chunk is held back until it is, so an altered
 * file never reaches a reader whole. Throws DocumentKeyError before any byte is given out when the
 * file is under another master key or truncated.
 */
export async function openDocument(stored: { stream: Readable; sizeBytes: number }, masters: MasterKey | MasterKey[]): Promise<OpenedDocument> {
  const { stream, sizeBytes: size } = stored;
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head: Buffer = Buffer.alloc(0);
  try {
    while (head.length < encryptedHeaderBytes) {
      const next = await chunks.next();
      if (next.done) break;
      head = Buffer.concat([head, next.value]);
    }
  } catch (error) {
    stream.destroy();
    throw error;
  }
  async function* rest(): AsyncGenerator<Buffer> {
    try {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    } finally {
      stream.destroy();
    }
  }
  if (!hasEncryptionHeader(head)) {
    async function* plain() {
      if (head.length > 0) yield head;
      yield* rest();
    }
    return { stream: Readable.from(plain(), { objectMode: false }), sizeBytes: size, encrypted: false };
  }
  let fileKey: Buffer;
  try {
    if (size < encryptionOverheadBytes || head.length < encryptedHeaderBytes) throw new DocumentKeyError('encrypted document is truncated');
    fileKey = unwrapFileKey(head.subarray(wrapStart, wrapStart + wrapBytes), Array.isArray(masters) ? masters : [masters]);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  const decipher = createDecipheriv('aes-256-gcm', fileKey, head.subarray(wrapStart + wrapBytes, encryptedHeaderBytes));
  decipher.setAAD(magic);
  async function* decrypted() {
    // The last 16 bytes seen so far may be the tag: they are deciphered only once more bytes follow.
    let tail: Buffer = Buffer.alloc(0);
    let held: Buffer | null = null;
    const take = (bytes: Buffer) => {
      const data = tail.length > 0 ? Buffer.concat([tail, bytes]) : bytes;
      if (data.length <= tagBytes) {
        tail = data;
        return null;
      }
      tail = data.subarray(data.length - tagBytes);
      return decipher.update(data.subarray(0, data.length - tagBytes));
    };
    async function* ciphertext() {
      // The first read may have brought content beyond the header.
      if (head.length > encryptedHeaderBytes) yield head.subarray(encryptedHeaderBytes);
      yield* rest();
    }
    for await (const chunk of ciphertext()) {
      const plain = take(chunk);
      if (!plain) continue;
      if (held) yield held;
      held = plain;
    }
    if (tail.length < tagBytes) throw new DocumentKeyError('encrypted document is truncated');
    decipher.setAuthTag(tail);
    // Throws when the tag does not match: the held chunk is then never given out.
    const last = decipher.final();
    if (held) yield last.length > 0 ? Buffer.concat([held, last]) : held;
    else if (last.length > 0) yield last;
  }
  return { stream: Readable.from(decrypted(), { objectMode: false }), sizeBytes: size - encryptionOverheadBytes, encrypted: true };
}

/** The whole plain content of a stored document (for small files and tests; downloads stream). */
export async function readDocument(stored: { stream: Readable; sizeBytes: number }, masters: MasterKey | MasterKey[]): Promise<Buffer> {
  const { stream } = await openDocument(stored, masters);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export type RewrapOutcome = 'rewrapped' | 'already' | 'plain';

/**
 * What rewrapDocumentFile would do to a file that starts with `head` (its first encryptedHeaderBytes),
 * found without reading the rest: a store then fetches only the files that need it. Throws
 * DocumentKeyError for a file under a master key that is none of `previous` and not `next`.
 */
export function rewrapNeeded(head: Buffer, previous: MasterKey[], next: MasterKey): 'rewrap' | 'already' | 'plain' {
  if (head.length < encryptedHeaderBytes || !hasEncryptionHeader(head)) return 'plain';
  const wrap = head.subarray(wrapStart, wrapStart + wrapBytes);
  if (wrap.subarray(0, keyIdBytes).equals(next.id)) return 'already';
  unwrapFileKey(wrap, previous);
  return 'rewrap';
}

/**
 * Re-wraps the file key of one encrypted document under `next` (unwrapped with one of `previous`),
 * rewriting only the wrap bytes of the header in place; the content stays as it is.
 */
export async function rewrapDocumentFile(filePath: string, previous: MasterKey[], next: MasterKey): Promise<RewrapOutcome> {
  const handle = await fs.promises.open(filePath, 'r+');
  try {
    const head = Buffer.alloc(encryptedHeaderBytes);
    const { bytesRead } = await handle.read(head, 0, encryptedHeaderBytes, 0);
    if (bytesRead < encryptedHeaderBytes || !hasEncryptionHeader(head)) return 'plain';
    const wrap = head.subarray(wrapStart, wrapStart + wrapBytes);
    if (wrap.subarray(0, keyIdBytes).equals(next.id)) return 'already';
    const fileKey = unwrapFileKey(wrap, previous);
    const rewrapped = wrapFileKey(next, fileKey);
    await handle.write(rewrapped, 0, rewrapped.length, wrapStart);
    await handle.sync();
    return 'rewrapped';
  } finally {
    await handle.close();
  }
}

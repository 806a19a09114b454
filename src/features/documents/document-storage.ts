import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import { acceptedMimeTypes } from './document-kinds.ts';

/**
 * Documents live in <UPLOAD_DIR>/documents under random names, outside the public folder. Files are
 * written before the database row that points to them; a failed submission deletes its files and
 * the orphan sweep removes whatever a crash left behind.
 */
export function documentsDir(uploadDir: string): string {
  return path.join(uploadDir, 'documents');
}

export function newStoredName(): string {
  return `${randomUUID()}.bin`;
}

/** Resolves a stored name inside the documents folder; refuses anything that would step outside it. */
export function storedDocumentPath(uploadDir: string, storedName: string): string {
  if (!/^[0-9a-f-]{36}\.bin$/.test(storedName)) throw new Error('invalid stored document name');
  return path.join(documentsDir(uploadDir), storedName);
}

export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(filePath), hash);
  return hash.digest('hex');
}

/** The real type of a file from its first bytes: PDF, JPEG or PNG, or null for anything else. */
export async function acceptedTypeOf(filePath: string): Promise<(typeof acceptedMimeTypes)[number] | null> {
  const detected = await fileTypeFromFile(filePath);
  if (!detected) return null;
  return (acceptedMimeTypes as readonly string[]).includes(detected.mime) ? (detected.mime as (typeof acceptedMimeTypes)[number]) : null;
}

export async function removeFiles(paths: string[]): Promise<void> {
  await Promise.all(paths.map((filePath) => fs.promises.rm(filePath, { force: true })));
}

/**
 * Deletes document files that no database row points to and that are older than `graceMs`
 * (younger ones may belong to a submission still in progress).
 */
export async function sweepOrphanDocuments(uploadDir: string, knownStoredNames: (names: string[]) => Promise<Set<string>>, graceMs: number, now = Date.now()): Promise<string[]> {
  const directory = documentsDir(uploadDir);
  let entries: string[];
  try {
    entries = await fs.promises.readdir(directory);
  } catch {
    return [];
  }
  const candidates: string[] = [];
  for (const name of entries) {
    const stat = await fs.promises.stat(path.join(directory, name)).catch(() => null);
    if (stat?.isFile() && now - stat.mtimeMs > graceMs) candidates.push(name);
  }
  if (candidates.length === 0) return [];
  const known = await knownStoredNames(candidates);
  const orphans = candidates.filter((name) => !known.has(name));
  await removeFiles(orphans.map((name) => path.join(directory, name)));
  return orphans;
}

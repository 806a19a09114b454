import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Request } from 'express';
import { documentsDir, removeFiles } from '../documents/document-storage.ts';
import type { UploadedDocument } from '../documents/document-upload.ts';

declare module 'express-session' {
  interface SessionData {
    /** Files that passed their checks in a submission that failed on another field: not asked for again. */
    heldDocuments?: Omit<UploadedDocument, 'path'>[];
  }
}

/**
 * The documents of this submission: the files just uploaded, plus files held from an earlier
 * attempt in the same session for kinds not uploaded again (those are replaced and deleted).
 */
export async function combineWithHeldDocuments(request: Request, uploadDir: string, uploaded: UploadedDocument[]): Promise<UploadedDocument[]> {
  const held = await heldDocumentsOnDisk(request, uploadDir);
  const newKinds = new Set(uploaded.map((document) => document.kind));
  const replaced = held.filter((document) => newKinds.has(document.kind));
  await removeFiles(replaced.map((document) => path.join(documentsDir(uploadDir), document.storedName)));
  const kept = held
    .filter((document) => !newKinds.has(document.kind))
    .map((document) => ({ ...document, path: path.join(documentsDir(uploadDir), document.storedName) }));
  return [...kept, ...uploaded];
}

/**
 * The held documents whose files are still there: an attempt abandoned long enough ago had its files
 * swept (see orphan-document-sweep.ts), and those kinds are then asked for again.
 */
export async function heldDocumentsOnDisk(request: Request, uploadDir: string): Promise<Omit<UploadedDocument, 'path'>[]> {
  const held = request.session?.heldDocuments ?? [];
  const present = await Promise.all(held.map((document) => access(path.join(documentsDir(uploadDir), document.storedName)).then(() => true, () => false)));
  const onDisk = held.filter((_document, index) => present[index]);
  if (onDisk.length !== held.length) request.session.heldDocuments = onDisk;
  return onDisk;
}

/**
 * Keeps the checked files of a failed attempt for the next one, at most one application's worth of
 * bytes (in the form's order of kinds); the rest are deleted at once, so one visitor cannot pile up
 * files on the server. Returns the files it did not keep.
 */
export async function holdDocuments(request: Request, documents: UploadedDocument[], maxBytes: number): Promise<UploadedDocument[]> {
  let budget = maxBytes;
  const kept: UploadedDocument[] = [];
  const dropped: UploadedDocument[] = [];
  for (const document of documents) {
    if (document.sizeBytes <= budget) {
      kept.push(document);
      budget -= document.sizeBytes;
    } else dropped.push(document);
  }
  await removeFiles(dropped.map((document) => document.path));
  request.session.heldDocuments = kept.map(({ path: _path, ...document }) => document);
  return dropped;
}

export function releaseHeldDocuments(request: Request): void {
  delete request.session.heldDocuments;
}

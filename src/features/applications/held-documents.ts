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
  const held = request.session.heldDocuments ?? [];
  const newKinds = new Set(uploaded.map((document) => document.kind));
  const replaced = held.filter((document) => newKinds.has(document.kind));
  await removeFiles(replaced.map((document) => path.join(documentsDir(uploadDir), document.storedName)));
  const kept = held
    .filter((document) => !newKinds.has(document.kind))
    .map((document) => ({ ...document, path: path.join(documentsDir(uploadDir), document.storedName) }));
  return [...kept, ...uploaded];
}

export function holdDocuments(request: Request, documents: UploadedDocument[]): void {
  request.session.heldDocuments = documents.map(({ path: _path, ...document }) => document);
}

export function releaseHeldDocuments(request: Request): void {
  delete request.session.heldDocuments;
}

import type { Request } from 'express';
import type { DocumentStore } from '../documents/document-storage.ts';
import type { UploadedDocument } from '../documents/document-upload.ts';
import { maxFilesOf } from '../documents/document-kinds.ts';

declare module 'express-session' {
  interface SessionData {
    /** Files that passed their checks in a submission that failed on another field: not asked for again. */
    heldDocuments?: UploadedDocument[];
  }
}

/**
 * The documents of this submission: the files just uploaded, plus files held from an earlier
 * attempt in the same session for kinds not uploaded again (those are replaced and deleted).
 */
export async function combineWithHeldDocuments(request: Request, store: DocumentStore, uploaded: UploadedDocument[]): Promise<UploadedDocument[]> {
  const held = await heldDocumentsStillStored(request, store);
  const newKinds = new Set(uploaded.map((document) => document.kind));
  await store.remove(held.filter((document) => newKinds.has(document.kind)).map((document) => document.storedName));
  const kept = held.filter((document) => !newKinds.has(document.kind));
  return [...kept, ...uploaded];
}

/**
 * The held documents whose files are still there: an attempt abandoned long enough ago had its files
 * swept (see orphan-document-sweep.ts), and those kinds are then asked for again.
 */
export async function heldDocumentsStillStored(request: Request, store: DocumentStore): Promise<UploadedDocument[]> {
  const held = request.session?.heldDocuments ?? [];
  const present = await Promise.all(held.map((document) => store.exists(document.storedName)));
  const stored = held.filter((_document, index) => present[index]);
  if (stored.length !== held.length) request.session.heldDocuments = stored;
  return stored;
}

/**
 * Keeps the checked files of a failed attempt for the next one, at most one application's worth of
 * bytes (in the form's order of kinds); the rest are deleted at once, so one visitor cannot pile up
 * files on the server. Returns the files it did not keep.
 */
export async function holdDocuments(request: Request, store: DocumentStore, documents: UploadedDocument[], maxBytes: number): Promise<UploadedDocument[]> {
  let budget = maxBytes;
  const kept: UploadedDocument[] = [];
  const dropped: UploadedDocument[] = [];
  for (const document of documents) {
    if (document.sizeBytes <= budget) {
      kept.push(document);
      budget -= document.sizeBytes;
    } else dropped.push(document);
  }
  await store.remove(dropped.map((document) => document.storedName));
  request.session.heldDocuments = kept;
  return dropped;
}

export function releaseHeldDocuments(request: Request): void {
  delete request.session.heldDocuments;
}

/** One application's worth: the most files and bytes one visitor's session may hold at once. */
export interface HoldingLimits {
  maxApplicationBytes: number;
}

/**
 * Why one more file of `kind` and `sizeBytes` cannot be held next to `held` (a message key), or null:
 * at most the kind's number of files, and all files together within one application's bytes.
 */
export function holdingProblem(held: Pick<UploadedDocument, 'kind' | 'sizeBytes'>[], kind: UploadedDocument['kind'], sizeBytes: number, limits: HoldingLimits, bytesOnTheWay = 0): string | null {
  if (held.filter((document) => document.kind === kind).length >= maxFilesOf(kind)) return 'apply:errors.tooManyFilesRemoveOne';
  const heldBytes = held.reduce((sum, document) => sum + document.sizeBytes, 0) + bytesOnTheWay;
  if (heldBytes + sizeBytes > limits.maxApplicationBytes) return 'apply:errors.applicationTooLarge';
  return null;
}

const sessionQueues = new Map<string, Promise<unknown>>();

/**
 * Changes the session's held documents one request at a time: uploads of one visitor finish in
 * parallel, and each request would otherwise save the list it loaded and drop the others' files.
 * The session is re-read from the store first and written back before the next change runs.
 */
export function changeHeldDocuments<T>(request: Request, change: (held: UploadedDocument[]) => Promise<{ held: UploadedDocument[]; result: T }>): Promise<T> {
  const key = request.sessionID;
  const previous = sessionQueues.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(async () => {
    await new Promise<void>((resolve, reject) => request.session.reload((error: unknown) => (error ? reject(error) : resolve())));
    const { held, result } = await change(request.session.heldDocuments ?? []);
    request.session.heldDocuments = held;
    await new Promise<void>((resolve, reject) => request.session.save((error: unknown) => (error ? reject(error) : resolve())));
    return result;
  });
  sessionQueues.set(key, run);
  void run.finally(() => {
    if (sessionQueues.get(key) === run) sessionQueues.delete(key);
  }).catch(() => undefined);
  return run;
}

/** Removes one held document of this session (and its file); false when the session holds no such file. */
export async function removeHeldDocument(request: Request, store: DocumentStore, storedName: string): Promise<UploadedDocument | null> {
  // A visitor who holds nothing may have no session at all (nothing to reload, nothing to start).
  if (!request.session.heldDocuments) return null;
  return changeHeldDocuments(request, async (held) => {
    const removed = held.find((document) => document.storedName === storedName) ?? null;
    if (!removed) return { held, result: null };
    await store.remove([removed.storedName]);
    return { held: held.filter((document) => document !== removed), result: removed };
  });
}

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import type { DocumentKind } from '../../generated/prisma/enums.ts';
import { acceptedTypeOf, incomingDir, newStoredName, removeFiles, sha256OfFile, type DocumentStore } from './document-storage.ts';
import { documentKinds, isDocumentKind } from './document-kinds.ts';
import { documentMasterKey, encryptStreamTo, type DocumentKeySettings, type MasterKey } from './document-encryption.ts';
import { withoutNullCharacters } from '../../http/strip-null-characters.ts';

/** A file received, checked and put in the document store, waiting for the transaction that records it. */
export interface UploadedDocument {
  kind: DocumentKind;
  originalName: string;
  storedName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
}

/** The columns of an ApplicationDocument row for a checked upload. */
export function documentRecord(document: UploadedDocument) {
  const { kind, originalName, storedName, mimeType, sizeBytes, sha256 } = document;
  return { kind, originalName, storedName, mimeType, sizeBytes, sha256 };
}

export interface UploadLimits {
  /** Files are received and checked in its incoming folder (local disk), then go to `store`. */
  uploadDir: string;
  store: DocumentStore;
  maxFileBytes: number;
  maxApplicationBytes: number;
  /** The master key that wraps each file's key (see document-encryption.ts). */
  keys: DocumentKeySettings;
}

/** Problems with files, as field (document kind or "_documents") → message key. */
export type UploadProblems = Record<string, string>;

declare module 'express-serve-static-core' {
  interface Request {
    uploadedDocuments?: UploadedDocument[];
    uploadProblems?: UploadProblems;
  }
}

/**
 * multer streaming each file of the eight document fields to the local incoming folder under a random
 * name (never the whole file in memory), then a check of every file's real type and of the total size;
 * the files that pass are encrypted into the document store. Problems do not throw: they land in
 * request.uploadProblems for the form to show, and the files are removed.
 */
export function documentUpload(limits: UploadLimits): RequestHandler {
  fs.mkdirSync(incomingDir(limits.uploadDir), { recursive: true });
  const parser = multer({
    storage: encryptingDiskStorage(incomingDir(limits.uploadDir), limits.maxFileBytes, documentMasterKey(limits.keys)),
    limits: {
      // A file over the per-file limit is refused alone (see encryptingDiskStorage); this only stops a request
      // that could never be one application.
      fileSize: Math.max(limits.maxFileBytes, limits.maxApplicationBytes) + 1,
      files: documentKinds.reduce((sum, entry) => sum + entry.maxFiles, 0),
      fields: 60,
      fieldSize: 64 * 1024,
      parts: 120,
    },
  }).fields(documentKinds.map((entry) => ({ name: entry.kind, maxCount: entry.maxFiles })));

  return (request, response, next) => {
    parser(request, response, async (error: unknown) => {
      request.body = withoutNullCharacters(request.body ?? {});
      if (error) {
        // multer has already removed the files of the aborted request.
        request.uploadedDocuments = [];
        request.uploadProblems = { [fieldOfMulterError(error)]: messageOfMulterError(error) };
        return next();
      }
      // Filled as files reach the store, so that a failure half-way removes those too.
      const documents: UploadedDocument[] = [];
      try {
        request.uploadProblems = await checkUploadedFiles(request, limits, documents);
        request.uploadedDocuments = documents;
        next();
      } catch (checkError) {
        request.uploadedDocuments = documents;
        await discardUploadedFiles(request, limits.store);
        next(checkError);
      }
    });
  };
}

function fieldOfMulterError(error: unknown): string {
  const field = (error as { field?: string }).field;
  return isDocumentKind(field) ? field : '_documents';
}

function messageOfMulterError(error: unknown): string {
  if (error instanceof multer.MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') return 'apply:errors.fileTooLarge';
    if (error.code === 'LIMIT_UNEXPECTED_FILE' || error.code === 'LIMIT_FILE_COUNT') return 'apply:errors.tooManyFiles';
  }
  return 'apply:errors.uploadFailed';
}

/** A file multer wrote to disk, or only counted when it was over the per-file limit. */
/** A file as the storage received it: encrypted in the incoming folder, with its hash and its first bytes (plain). */
type ReceivedFile = Express.Multer.File & { oversized?: boolean; sha256?: string; head?: Buffer };

/** A file as multer receives it, plain, until its checks pass and it is encrypted into the store under its stored name. */
function incomingPathOf(directory: string, storedName: string): string {
  return path.join(directory, `${storedName}.incoming`);
}

/** How much of a file's start is kept for the check of its real type (file-type needs 4100 bytes). */
const headBytes = 64 * 1024;

/**
 * multer's disk storage, except that each file is hashed and encrypted as its bytes stream in (so it is
 * never written in plain, nor read again), its start is kept for the type check, and a file over
 * `maxFileBytes` is not kept at all: its bytes are counted and dropped, and the file is marked
 * oversized, so that the other files of the same request are still checked and held (multer's own
 * fileSize limit aborts the whole request).
 */
function encryptingDiskStorage(directory: string, maxFileBytes: number, master: MasterKey): multer.StorageEngine {
  return {
    _handleFile(_request, file, callback) {
      const storedName = newStoredName();
      const filePath = incomingPathOf(directory, storedName);
      const plain = new PassThrough();
      const hash = createHash('sha256');
      const head: Buffer[] = [];
      let headLength = 0;
      let size = 0;
      let oversized = false;
      let settled = false;
      const finish = (error: Error | null, info?: Partial<ReceivedFile>) => {
        if (settled) return;
        settled = true;
        callback(error, info);
      };
      encryptStreamTo(plain, filePath, master).then(
        () => finish(null, { destination: directory, filename: storedName, path: filePath, size, sha256: hash.digest('hex'), head: Buffer.concat(head) }),
        (error: Error) => {
          if (!oversized) finish(error);
        },
      );
      file.stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (oversized) return;
        if (size > maxFileBytes) {
          oversized = true;
          // encryptStreamTo removes what it wrote; the rest of the file is read and dropped.
          plain.destroy(new Error('over the size limit'));
          file.stream.resume();
          return;
        }
        hash.update(chunk);
        if (headLength < headBytes) {
          // A copy: a slice would keep the whole chunk (and the socket buffer under it) alive until the request ends.
          head.push(Buffer.from(chunk.subarray(0, headBytes - headLength)));
          headLength += Math.min(chunk.length, headBytes - headLength);
        }
        if (!plain.write(chunk)) {
          file.stream.pause();
          plain.once('drain', () => file.stream.resume());
        }
      });
      file.stream.on('error', (error) => {
        plain.destroy(error);
        finish(error);
      });
      file.stream.on('end', () => {
        if (oversized) finish(null, { size, oversized: true, path: '', filename: '' });
        else plain.end();
      });
    },
    _removeFile(_request, file, callback) {
      if (!file.path) return callback(null);
      fs.rm(file.path, { force: true }, (error) => callback(error));
    },
  };
}

export interface StoredFileToCheck {
  kind: DocumentKind;
  /** The name the applicant's device gave the file (cleaned for display). */
  originalName: string;
  /** Where the file is now (local disk: the incoming or tus folder). */
  path: string;
  storedName: string;
  sizeBytes: number;
  /** Its SHA-256 when it was hashed on the way in; otherwise the file is read for it. */
  sha256?: string;
  /** Its first bytes when they were kept on the way in (the file itself is then encrypted); otherwise the file is read. */
  head?: Buffer;
}

/**
 * The checks every document passes, whichever way it arrived (one multipart post, or a resumable tus
 * upload): not empty, not over the per-file limit, and really a PDF, JPEG or PNG by its content.
 * Returns the checked document or the message key of its problem; never deletes the file.
 */
export async function checkDocumentFile(file: StoredFileToCheck, maxFileBytes: number): Promise<{ document: UploadedDocument } | { problem: string }> {
  if (file.sizeBytes === 0) return { problem: 'apply:errors.fileEmpty' };
  if (file.sizeBytes > maxFileBytes) return { problem: 'apply:errors.fileTooLarge' };
  const mimeType = await acceptedTypeOf(file.head ?? file.path);
  if (!mimeType) return { problem: 'apply:errors.fileType' };
  return {
    document: {
      kind: file.kind,
      originalName: file.originalName,
      storedName: file.storedName,
      mimeType,
      sizeBytes: file.sizeBytes,
      sha256: file.sha256 ?? (await sha256OfFile(file.path)),
    },
  };
}

/** Checks the received files; those that pass go into the store and onto `documents`. Returns the problems. */
async function checkUploadedFiles(request: Request, limits: UploadLimits, documents: UploadedDocument[]): Promise<UploadProblems> {
  const files = (request.files ?? {}) as Record<string, Express.Multer.File[]>;
  const problems: UploadProblems = {};
  const rejected: string[] = [];
  let totalBytes = 0;
  for (const [field, fieldFiles] of Object.entries(files)) {
    if (!isDocumentKind(field)) {
      rejected.push(...fieldFiles.map((file) => file.path));
      continue;
    }
    for (const file of fieldFiles as ReceivedFile[]) {
      if (file.oversized) {
        problems[field] = 'apply:errors.fileTooLarge';
        continue;
      }
      const checked = await checkDocumentFile(
        { kind: field, originalName: cleanOriginalName(file.originalname), path: file.path, storedName: file.filename, sizeBytes: file.size, sha256: file.sha256, head: file.head },
        limits.maxFileBytes,
      );
      if ('problem' in checked) {
        problems[field] = checked.problem;
        rejected.push(file.path);
        continue;
      }
      // The content was checked on the plain bytes as they came in; the file on disk is already encrypted.
      await limits.store.putFile(checked.document.storedName, file.path);
      await removeFiles([file.path]);
      file.path = '';
      totalBytes += file.size;
      documents.push(checked.document);
    }
  }
  if (totalBytes > limits.maxApplicationBytes) problems._documents = 'apply:errors.applicationTooLarge';
  await removeFiles(rejected);
  return problems;
}

/** The name the applicant's device gave the file, for display only (never used on disk). */
function cleanOriginalName(name: string): string {
  // busboy hands over the raw bytes as latin1; browsers send UTF-8 names.
  return cleanDisplayName(Buffer.from(name, 'latin1').toString('utf8'));
}

/** A file name for display only: no control characters or path separators, at most 200 characters. */
export function cleanDisplayName(decoded: string): string {
  return decoded.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(-200) || 'document';
}

/** Removes the files of this request: those still being checked, and those already put in the store. */
export async function discardUploadedFiles(request: Request, store: DocumentStore): Promise<void> {
  const files = Object.values((request.files ?? {}) as Record<string, Express.Multer.File[]>).flat();
  await removeFiles(files.map((file) => file.path).filter(Boolean));
  await store.remove((request.uploadedDocuments ?? []).map((document) => document.storedName));
  request.uploadedDocuments = [];
}

import fs from 'node:fs';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import type { DocumentKind } from '../../generated/prisma/enums.ts';
import { acceptedTypeOf, documentsDir, newStoredName, removeFiles, sha256OfFile } from './document-storage.ts';
import { documentKinds, isDocumentKind } from './document-kinds.ts';
import { withoutNullCharacters } from '../../http/strip-null-characters.ts';

/** A file streamed to disk and checked, waiting for the transaction that records it. */
export interface UploadedDocument {
  kind: DocumentKind;
  originalName: string;
  storedName: string;
  path: string;
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
  uploadDir: string;
  maxFileBytes: number;
  maxApplicationBytes: number;
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
 * multer streaming each file of the eight document fields to disk under a random name (never the
 * whole file in memory), then a check of every file's real type and of the total size. Problems do
 * not throw: they land in request.uploadProblems for the form to show, and the files are removed.
 */
export function documentUpload(limits: UploadLimits): RequestHandler {
  fs.mkdirSync(documentsDir(limits.uploadDir), { recursive: true });
  const parser = multer({
    storage: multer.diskStorage({
      destination: documentsDir(limits.uploadDir),
      filename: (_request, _file, callback) => callback(null, newStoredName()),
    }),
    limits: {
      fileSize: limits.maxFileBytes,
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
      try {
        const { documents, problems } = await checkUploadedFiles(request, limits);
        request.uploadedDocuments = documents;
        request.uploadProblems = problems;
        next();
      } catch (checkError) {
        await discardUploadedFiles(request);
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

async function checkUploadedFiles(request: Request, limits: UploadLimits) {
  const files = (request.files ?? {}) as Record<string, Express.Multer.File[]>;
  const documents: UploadedDocument[] = [];
  const problems: UploadProblems = {};
  const rejected: string[] = [];
  let totalBytes = 0;
  for (const [field, fieldFiles] of Object.entries(files)) {
    if (!isDocumentKind(field)) {
      rejected.push(...fieldFiles.map((file) => file.path));
      continue;
    }
    for (const file of fieldFiles) {
      totalBytes += file.size;
      const mimeType = file.size > 0 ? await acceptedTypeOf(file.path) : null;
      if (!mimeType) {
        problems[field] = file.size === 0 ? 'apply:errors.fileEmpty' : 'apply:errors.fileType';
        rejected.push(file.path);
        continue;
      }
      documents.push({
        kind: field,
        originalName: cleanOriginalName(file.originalname),
        storedName: file.filename,
        path: file.path,
        mimeType,
        sizeBytes: file.size,
        sha256: await sha256OfFile(file.path),
      });
    }
  }
  if (totalBytes > limits.maxApplicationBytes) problems._documents = 'apply:errors.applicationTooLarge';
  await removeFiles(rejected);
  return { documents, problems };
}

/** The name the applicant's device gave the file, for display only (never used on disk). */
function cleanOriginalName(name: string): string {
  // busboy hands over the raw bytes as latin1; browsers send UTF-8 names.
  const decoded = Buffer.from(name, 'latin1').toString('utf8');
  return decoded.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(-200) || 'document';
}

export async function discardUploadedFiles(request: Request): Promise<void> {
  const files = Object.values((request.files ?? {}) as Record<string, Express.Multer.File[]>).flat();
  await removeFiles(files.map((file) => file.path));
  request.uploadedDocuments = [];
}

import fs from 'node:fs';
import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { currentUser } from '../../http/guards.ts';
import { withoutNullCharacters } from '../../http/strip-null-characters.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { sendStoredDocument } from '../documents/document-download.ts';
import { cleanDisplayName } from '../documents/document-upload.ts';
import { incomingDir, newStoredName, removeFiles } from '../documents/document-storage.ts';
import { openProtocolAttachment, type AttachmentSettings, type IncomingAttachment } from './protocol-attachments.service.ts';

/**
 * The protocol form sent as multipart by its "Attach" button (the CSRF token is in the URL and was
 * checked before this runs): its text fields in request.body, the one file streamed to the local
 * incoming folder as it comes (never whole in memory), under a temporary name until its checks pass.
 */
export function receiveProtocolAttachment(request: Request, response: Response, settings: AttachmentSettings): Promise<{ file: IncomingAttachment | null; problem: string | null }> {
  const directory = incomingDir(settings.uploadDir);
  fs.mkdirSync(directory, { recursive: true });
  const parser = multer({
    storage: multer.diskStorage({ destination: directory, filename: (_request, _file, callback) => callback(null, `${newStoredName()}.incoming`) }),
    limits: { fileSize: settings.maxFileBytes, files: 1, fields: 60, fieldSize: 256 * 1024, parts: 80 },
  }).single('attachment');
  return new Promise((resolve) => {
    parser(request, response, (error: unknown) => {
      request.body = withoutNullCharacters(request.body ?? {});
      if (error) {
        // multer has removed the partial file; the fields before the file are in request.body.
        const code = error instanceof multer.MulterError ? error.code : '';
        return resolve({ file: null, problem: code === 'LIMIT_FILE_SIZE' ? 'mentoring:attachments.errors.tooLarge' : code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE' ? 'mentoring:attachments.errors.oneAtATime' : 'apply:errors.uploadFailed' });
      }
      const file = request.file;
      if (!file) return resolve({ file: null, problem: 'mentoring:attachments.errors.noFile' });
      resolve({
        file: {
          path: file.path,
          storedName: path.basename(file.filename, '.incoming'),
          // busboy hands over the raw bytes as latin1; browsers send UTF-8 names.
          originalName: cleanDisplayName(Buffer.from(file.originalname, 'latin1').toString('utf8')),
          sizeBytes: file.size,
        },
        problem: null,
      });
    });
  });
}

export async function discardIncoming(file: IncomingAttachment | null): Promise<void> {
  if (file) await removeFiles([file.path]);
}

/** GET /protocol-attachments/:attachmentId: the file, decrypted as it streams, to those allowed only. */
export function protocolAttachmentHandlers(prisma: PrismaClient, settings: AttachmentSettings) {
  const download: RequestHandler = async (request, response) => {
    const attachment = await openProtocolAttachment(prisma, currentUser(request)!, String(request.params.attachmentId));
    const sent = await sendStoredDocument(response, settings.store, settings, attachment, 'inline');
    if (!sent) throw new NotFoundError(`The file of protocol attachment ${attachment.id} is missing`);
  };
  return { download };
}

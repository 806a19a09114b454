import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, RequestHandler } from 'express';
import { Server, type Upload } from '@tus/server';
import { FileStore } from '@tus/file-store';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { isDocumentKind } from '../documents/document-kinds.ts';
import { newStoredName, removeFiles, storeEncryptedFile, type DocumentStore } from '../documents/document-storage.ts';
import { checkDocumentFile, cleanDisplayName } from '../documents/document-upload.ts';
import { documentMasterKey, type DocumentKeySettings } from '../documents/document-encryption.ts';
import { resumableStagingDir } from '../documents/orphan-document-sweep.ts';
import { findOpenCohort } from './cohorts.service.ts';
import { changeHeldDocuments, holdingProblem } from './held-documents.ts';

/** Where the form's resumable uploads are received (the browser's tus-js-client talks to it). */
export const tusUploadsPath = '/apply/uploads';


export interface TusUploadLimits {
  /** Unfinished uploads wait in its tus folder (local disk). */
  uploadDir: string;
  /** Where a finished, checked upload goes (encrypted). */
  store: DocumentStore;
  maxFileBytes: number;
  maxApplicationBytes: number;
  /** The master key that wraps each file's key (see document-encryption.ts). */
  keys: DocumentKeySettings;
}

/** What the browser gets when a file is checked and held: enough to list it with a remove button. */
export interface HeldDocumentAnswer {
  storedName: string;
  kind: string;
  originalName: string;
  sizeBytes: number;
}

type TusRequest = Parameters<NonNullable<ConstructorParameters<typeof Server>[0]['onUploadCreate']>>[0];

/** The Express request behind the web Request tus hands to its hooks (it keeps the Node one). */
function expressRequestOf(request: TusRequest): Request {
  const node = (request as { runtime?: { node?: { req?: unknown } } }).runtime?.node?.req;
  if (!node) throw new Error('tus upload without its Node request');
  return node as Request;
}

/** An upload belongs to the session that created it: only a hash of the session id is written beside the file. */
function ownerOf(request: Request): string {
  return createHash('sha256').update(`tus-owner:${request.sessionID}`).digest('hex');
}

/** A refusal tus sends as the response; the body is the message in the page's language, shown next to the field. */
function refusal(request: Request, status: number, messageKey: string, parameters: Record<string, unknown> = {}) {
  return { status_code: status, body: request.t(messageKey, parameters) };
}

/**
 * The tus endpoint of the public form. Each document is sent as soon as it is picked, resumably; when
 * the last byte arrives it gets the same checks as a file of the one-post form, is encrypted into the
 * document store under a random name and becomes a held document of the session (shown on the form
 * again and sent with the application). CSRF (X-CSRF-Token header) is checked by the app before this.
 */
export function tusUploads(prisma: PrismaClient, limits: TusUploadLimits): RequestHandler {
  // Unfinished uploads wait there (file + .json info) until they finish or the orphan sweep removes them.
  const stagingDir = resumableStagingDir(limits.uploadDir);
  fs.mkdirSync(stagingDir, { recursive: true });
  const datastore = new FileStore({ directory: stagingDir });

  const server = new Server({
    path: tusUploadsPath,
    datastore,
    relativeLocation: true,
    maxSize: limits.maxFileBytes,
    // Same origin only: the portal's own pages are the only clients.
    allowedOrigins: [],
    async onIncomingRequest(request, uploadId) {
      const express = expressRequestOf(request);
      if (!express.session) throw refusal(express, 403, 'apply:errors.uploadNotAllowed');
      if (request.method === 'POST' || request.method === 'OPTIONS' || !uploadId) return;
      // Somebody else's upload answers as if it did not exist.
      const upload = await datastore.getUpload(uploadId).catch(() => null);
      if (!upload || upload.metadata?.owner !== ownerOf(express)) throw { status_code: 404, body: 'Not found\n' };
    },
    async onUploadCreate(request, upload) {
      const express = expressRequestOf(request);
      const kind = upload.metadata?.kind;
      const fileName = upload.metadata?.filename;
      if (!isDocumentKind(kind) || !fileName) throw refusal(express, 400, 'apply:errors.uploadFailed');
      if (upload.size === undefined) throw refusal(express, 400, 'apply:errors.uploadFailed');
      if (!(await findOpenCohort(prisma))) throw refusal(express, 403, 'apply:errors.uploadNotAllowed');
      if (upload.size === 0) throw refusal(express, 422, 'apply:errors.fileEmpty');
      // Unfinished uploads of this visitor count too (by their bytes), so nobody piles them up.
      const problem = holdingProblem(express.session.heldDocuments ?? [], kind, upload.size, limits, await bytesOnTheWay(ownerOf(express)));
      if (problem) throw refusal(express, 422, problem);
      // The first upload starts the visitor's session (until then the visitor has none, see
      // src/http/csrf-token-state.ts), so the upload's owner stays the same across its requests.
      express.session.heldDocuments ??= [];
      return { metadata: { kind, filename: cleanDisplayName(fileName), owner: ownerOf(express) } };
    },
    async onUploadFinish(request, upload) {
      const express = expressRequestOf(request);
      const answer = await holdFinishedUpload(express, upload);
      return { status_code: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: JSON.stringify(answer) };
    },
    onResponseError(request, error) {
      const express = (request as { runtime?: { node?: { req?: Request } } }).runtime?.node?.req;
      if (express && 'status_code' in error && error.status_code === 413) {
        return { status_code: 413, body: express.t('apply:errors.fileTooLargeNamed', { max: Math.round(limits.maxFileBytes / 1048576) }) };
      }
      return undefined;
    },
  });

  /** The declared sizes of the unfinished uploads of one owner (their .json info files in the staging folder). */
  async function bytesOnTheWay(owner: string): Promise<number> {
    const names = (await fs.promises.readdir(stagingDir).catch(() => [] as string[])).filter((name) => name.endsWith('.json'));
    let total = 0;
    for (const name of names) {
      const info = await fs.promises.readFile(path.join(stagingDir, name), 'utf8').then((text) => JSON.parse(text) as { size?: number; metadata?: Record<string, string> }, () => null);
      if (info?.metadata?.owner === owner) total += info.size ?? 0;
    }
    return total;
  }

  /** Checks the finished file and moves it among the session's held documents; refuses and deletes it otherwise. */
  async function holdFinishedUpload(request: Request, upload: Upload): Promise<HeldDocumentAnswer> {
    const stagedPath = path.join(stagingDir, upload.id);
    const kind = upload.metadata?.kind;
    const forget = () => removeFiles([stagedPath, `${stagedPath}.json`]);
    if (!isDocumentKind(kind)) {
      await forget();
      throw refusal(request, 400, 'apply:errors.uploadFailed');
    }
    const checked = await checkDocumentFile(
      { kind, originalName: upload.metadata?.filename ?? 'document', path: stagedPath, storedName: newStoredName(), sizeBytes: upload.offset },
      limits.maxFileBytes,
    );
    if ('problem' in checked) {
      await forget();
      throw refusal(request, 422, checked.problem);
    }
    const { document } = checked;
    return changeHeldDocuments(request, async (held) => {
      // Checked again under the session's lock: uploads started together may not pass the limits together.
      const problem = holdingProblem(held, kind, document.sizeBytes, limits);
      if (problem) {
        await forget();
        throw refusal(request, 422, problem);
      }
      // Checked on the plain bytes above; the store only ever gets the encrypted file.
      await storeEncryptedFile(limits.store, document.storedName, stagedPath, documentMasterKey(limits.keys));
      await removeFiles([`${stagedPath}.json`]);
      const answer: HeldDocumentAnswer = { storedName: document.storedName, kind, originalName: document.originalName, sizeBytes: document.sizeBytes };
      return { held: [...held, document], result: answer };
    });
  }

  return (request, response) => {
    void server.handle(request, response);
  };
}

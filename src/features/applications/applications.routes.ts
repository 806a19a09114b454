import path from 'node:path';
import { Router } from 'express';
import { projectRoot } from '../../project-root.ts';
import { rateLimit } from 'express-rate-limit';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { documentStoreOf } from '../documents/document-storage.ts';
import { documentUpload } from '../documents/document-upload.ts';
import { applicationHandlers } from './applications.handlers.ts';
import { statusPageHandlers } from './status-page.handlers.ts';
import { tusUploads, tusUploadsPath } from './tus-uploads.ts';

function hourlyLimit(limit: number) {
  return rateLimit({
    windowMs: 60 * 60 * 1000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_request, response) => {
      response.status(429).render('errors/error', { titleKey: 'errors.generic.title', messageKey: 'apply:errors.rateLimited', status: 429 });
    },
  });
}

/** Public: the application form, the confirmation, and the applicant's status page (secret link). */
export function applicationsRouter(prisma: PrismaClient, config: Config): Router {
  const apply = applicationHandlers(prisma, config);
  const status = statusPageHandlers(prisma, config);
  const documentStore = documentStoreOf(config);
  const upload = documentUpload({ uploadDir: config.uploadDir, store: documentStore, maxFileBytes: config.maxFileBytes, maxApplicationBytes: config.maxApplicationBytes, keys: config });

  const router = Router();
  // The browser's tus client, from node_modules (no CDN).
  router.get('/static/vendor/tus.min.js', (_request, response) => response.sendFile(path.join(projectRoot, 'node_modules/tus-js-client/dist/tus.min.js'), { maxAge: config.isProduction ? '1d' : 0 }));
  router.get('/apply', apply.showForm);
  // CSRF is checked (token in the URL) by the app-wide middleware before multer writes any file.
  router.post('/apply', hourlyLimit(config.submissionsPerIpPerHour), upload, apply.submit);
  router.get('/apply/submitted', apply.confirmation);
  // Each document as soon as it is picked (tus, resumable); the CSRF token comes in the X-CSRF-Token header.
  const resumableUploads = tusUploads(prisma, { uploadDir: config.uploadDir, store: documentStore, maxFileBytes: config.maxFileBytes, maxApplicationBytes: config.maxApplicationBytes, keys: config });
  router.post('/apply/session', apply.startVisitorSession);
  router.post(tusUploadsPath, hourlyLimit(config.uploadsPerIpPerHour), resumableUploads);
  router.all([tusUploadsPath, `${tusUploadsPath}/:uploadId`], resumableUploads);
  // A held document taken off the form (multipart without JS: the other fields and files come along and are kept).
  router.post('/apply/documents/:storedName/remove', upload, apply.removeDocument);
  router.post('/apply/draft', hourlyLimit(config.submissionsPerIpPerHour), upload, apply.saveDraft);
  router.get('/apply/draft/saved', apply.draftSaved);
  router.get('/apply/continue/:token', apply.continueDraft);
  router.get('/status/lost-link', status.lostLinkForm);
  router.get('/status/lost-link/sent', status.lostLinkSent);
  router.get('/status/withdrawn', status.withdrawn);
  router.post('/status/lost-link', hourlyLimit(config.lostLinkRequestsPerIpPerHour), status.lostLinkSend);
  router.get('/status/:token', status.show);
  router.get('/status/:token/confirmation', status.confirmation);
  router.post('/status/:token/documents', hourlyLimit(config.uploadsPerIpPerHour), upload, status.upload);
  router.post('/status/:token/documents/:documentId/remove', status.remove);
  router.get('/status/:token/withdraw', status.confirmWithdraw);
  router.post('/status/:token/withdraw', status.withdraw);
  return router;
}

import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { documentUpload } from '../documents/document-upload.ts';
import { applicationHandlers } from './applications.handlers.ts';
import { statusPageHandlers } from './status-page.handlers.ts';

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
  const upload = documentUpload({ uploadDir: config.uploadDir, maxFileBytes: config.maxFileBytes, maxApplicationBytes: config.maxApplicationBytes });

  const router = Router();
  router.get('/apply', apply.showForm);
  // CSRF is checked (token in the URL) by the app-wide middleware before multer writes any file.
  router.post('/apply', hourlyLimit(config.submissionsPerIpPerHour), upload, apply.submit);
  router.get('/apply/submitted', apply.confirmation);
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

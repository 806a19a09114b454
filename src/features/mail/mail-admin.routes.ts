import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { addFlash } from '../../http/flash.ts';
import { currentUser } from '../../http/guards.ts';
import { idParam, positiveInteger } from '../../http/request-params.ts';
import { formatDateTime } from '../../lib/dates.ts';
import { outboxStatuses } from '../../lib/enum-lists.ts';
import { pageHrefs } from '../../lib/pagination.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { maskSecretLinks } from './secret-links.ts';
import { findOutboxEmail, isOutboxChannel, isOutboxStatus, listOutboxEmails, maskPhoneNumber, outboxChannels, resendableStatuses, resendOutboxEmail } from './outbox.service.ts';

/** The coordinator's "Mail outbox": every e-mail and SMS the portal sends, its status and retries (app.ts guards /admin). */
export function mailAdminRouter(prisma: PrismaClient): Router {
  const router = Router();

  router.get('/admin/outbox', async (request, response) => {
    const status = isOutboxStatus(request.query.status) ? request.query.status : undefined;
    const channel = isOutboxChannel(request.query.channel) ? request.query.channel : undefined;
    const list = await listOutboxEmails(prisma, { status, channel, page: positiveInteger(request.query.page) ?? 1 });
    // Addresses and phone numbers: never kept by a browser or a proxy.
    response.set('Cache-Control', 'no-store');
    response.render('mail/outbox-list', { titleKey: 'mail:outbox.title', ...list, statuses: outboxStatuses, channels: outboxChannels, pageHref: pageHrefs('/admin/outbox', { status, channel }), formatDateTime, maskPhoneNumber });
  });

  router.get('/admin/outbox/:id', async (request, response) => {
    const email = await findOutboxEmail(prisma, idParam(request));
    if (!email) throw new NotFoundError('No such outbox message');
    response.set('Cache-Control', 'no-store');
    response.render('mail/outbox-message', {
      titleKey: email.channel === 'SMS' ? 'mail:message.smsTitle' : 'mail:message.title',
      // Pending and failed messages still hold their secret links: never shown working.
      email: { ...email, textBody: maskSecretLinks(email.textBody), htmlBody: email.htmlBody && maskSecretLinks(email.htmlBody) },
      canResend: resendableStatuses.includes(email.status),
      formatDateTime,
      maskPhoneNumber,
    });
  });

  router.post('/admin/outbox/:id/resend', async (request, response) => {
    const id = idParam(request);
    const email = await findOutboxEmail(prisma, id);
    if (!email) throw new NotFoundError('No such outbox message');
    const resent = await resendOutboxEmail(prisma, id, currentUser(request)?.id ?? null);
    if (resent) addFlash(request, 'success', 'mail:message.resendDone');
    else addFlash(request, 'error', 'mail:message.resendRefused');
    response.redirect(303, `/admin/outbox/${id}`);
  });

  return router;
}

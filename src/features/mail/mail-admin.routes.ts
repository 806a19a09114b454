import { Router, type Request } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { addFlash } from '../../http/flash.ts';
import { currentUser, requireRole } from '../../http/guards.ts';
import { formatDateTime } from '../../lib/dates.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { findOutboxEmail, isOutboxStatus, listOutboxEmails, outboxStatuses, resendableStatuses, resendOutboxEmail } from './outbox.service.ts';

function positiveInteger(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,8}$/.test(value)) return undefined;
  return Number(value);
}

function messageId(request: Request): number {
  const id = positiveInteger(request.params.id);
  if (id === undefined) throw new NotFoundError('No such outbox message');
  return id;
}

/** The coordinator's "Mail outbox": every e-mail the portal sends, its status and retries. */
export function mailAdminRouter(prisma: PrismaClient): Router {
  const router = Router();
  router.use('/admin/outbox', requireRole('COORDINATOR'));

  router.get('/admin/outbox', async (request, response) => {
    const status = isOutboxStatus(request.query.status) ? request.query.status : undefined;
    const list = await listOutboxEmails(prisma, { status, page: positiveInteger(request.query.page) ?? 1 });
    const pageHref = (page: number) => {
      const query = new URLSearchParams();
      if (status) query.set('status', status);
      if (page > 1) query.set('page', String(page));
      const search = query.toString();
      return `/admin/outbox${search ? `?${search}` : ''}`;
    };
    response.render('mail/outbox-list', { titleKey: 'mail:outbox.title', ...list, statuses: outboxStatuses, pageHref, formatDateTime });
  });

  router.get('/admin/outbox/:id', async (request, response) => {
    const email = await findOutboxEmail(prisma, messageId(request));
    if (!email) throw new NotFoundError('No such outbox message');
    response.render('mail/outbox-message', {
      titleKey: 'mail:message.title',
      email,
      canResend: resendableStatuses.includes(email.status),
      formatDateTime,
    });
  });

  router.post('/admin/outbox/:id/resend', async (request, response) => {
    const id = messageId(request);
    const email = await findOutboxEmail(prisma, id);
    if (!email) throw new NotFoundError('No such outbox message');
    const resent = await resendOutboxEmail(prisma, id, currentUser(request)?.id ?? null);
    if (resent) addFlash(request, 'success', 'mail:message.resendDone');
    else addFlash(request, 'error', 'mail:message.resendRefused');
    response.redirect(303, `/admin/outbox/${id}`);
  });

  return router;
}

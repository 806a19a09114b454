import type { RequestHandler } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { endOfProgrammeDate, formatDateTime, parseProgrammeDate } from '../../lib/dates.ts';
import { firstPageOnly, pageHrefs } from '../../lib/pagination.ts';
import { positiveInteger } from '../../http/request-params.ts';
import { actorChoices, knownActions, searchAuditLog, type AuditQuery } from './audit-page.service.ts';

function text(value: unknown, max = 100): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/** The coordinator's audit log: who did what and when, filtered, newest first, 50 a page. */
export function auditPageHandlers(prisma: PrismaClient) {
  const show: RequestHandler = async (request, response) => {
    const filter = {
      actor: text(request.query.actor),
      application: text(request.query.application, 40),
      action: text(request.query.action),
      from: text(request.query.from, 10),
      to: text(request.query.to, 10),
    };
    const errors: Record<string, string> = {};
    const query: AuditQuery = { page: positiveInteger(request.query.page) ?? 1 };
    if (filter.actor === 'none') query.actor = 'none';
    else if (filter.actor) query.actor = positiveInteger(filter.actor) ?? -1;
    if (filter.application) query.application = filter.application;
    if (filter.action) query.action = filter.action;
    if (filter.from) {
      const from = parseProgrammeDate(filter.from);
      if (from) query.from = from;
      else errors.from = 'admin:errors.dateInvalid';
    }
    if (filter.to) {
      const until = endOfProgrammeDate(filter.to);
      if (until) query.until = until;
      else errors.to = 'admin:errors.dateInvalid';
    }
    if (query.from && query.until && query.until <= query.from) errors.to = 'admin:audit.errors.rangeReversed';

    const [result, actions, actors] = await Promise.all([
      Object.keys(errors).length > 0 ? Promise.resolve({ entries: [], pager: firstPageOnly, applicationNotFound: false }) : searchAuditLog(prisma, query),
      knownActions(prisma),
      actorChoices(prisma),
    ]);
    const pageHref = pageHrefs('/admin/audit', filter);
    const language = response.locals.lang as string;
    response.status(Object.keys(errors).length > 0 ? 422 : 200).render('admin/audit-log', {
      titleKey: 'admin:audit.title',
      ...result,
      entries: result.entries.map((entry) => ({ ...entry, when: formatDateTime(entry.createdAt, language) })),
      actions,
      actors,
      filter,
      errors,
      pageHref,
    });
  };
  return { show };
}

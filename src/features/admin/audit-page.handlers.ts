import type { Request, RequestHandler } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { endOfProgrammeDate, formatDateTime, parseProgrammeDate, toProgrammeTime } from '../../lib/dates.ts';
import { attachmentDisposition, tableWorkbook, xlsxContentType, type SpreadsheetCell } from '../../lib/spreadsheet.ts';
import { currentUser } from '../../http/guards.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { auditActionLabel, describeDetails, entityLabel, noNames, type AuditReader, type Translate } from '../audit/audit-labels.ts';
import { firstPageOnly, pageHrefs } from '../../lib/pagination.ts';
import { positiveInteger } from '../../http/request-params.ts';
import { actorChoices, auditLogForExport, knownActions, searchAuditLog, type AuditQuery } from './audit-page.service.ts';

function text(value: unknown, max = 100): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/** The filters of the page (kept as typed, for the form) and the query they make, or the errors in them. */
function auditFilterOf(request: Request) {
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
  return { filter, query, errors };
}

type ShownEntry = Awaited<ReturnType<typeof searchAuditLog>>['entries'][number];

/** An entry in the reader's words: the action translated, the record and the details by name. */
function readable(entry: ShownEntry, reader: AuditReader) {
  return {
    ...entry,
    when: formatDateTime(entry.createdAt, reader.language),
    actionLabel: auditActionLabel(reader.t, entry.action),
    entityName: entityLabel(entry, reader),
    details: describeDetails(entry.rawDetails, reader),
  };
}

/** The coordinator's audit log: who did what and when, filtered, newest first, 50 a page. */
export function auditPageHandlers(prisma: PrismaClient) {
  const show: RequestHandler = async (request, response) => {
    const { filter, query, errors } = auditFilterOf(request);
    const [result, actions, actors] = await Promise.all([
      Object.keys(errors).length > 0 ? Promise.resolve({ entries: [], names: noNames(), pager: firstPageOnly, applicationNotFound: false }) : searchAuditLog(prisma, query),
      knownActions(prisma),
      actorChoices(prisma, response.locals.lang as string),
    ]);
    const pageHref = pageHrefs('/admin/audit', filter);
    const language = response.locals.lang as string;
    const t = response.locals.t as Translate;
    const reader: AuditReader = { t, language, names: result.names };
    const exportParameters = new URLSearchParams(Object.entries(filter).filter(([, value]) => value !== ''));
    response.status(Object.keys(errors).length > 0 ? 422 : 200).render('admin/audit-log', {
      titleKey: 'admin:audit.title',
      ...result,
      entries: result.entries.map((entry) => readable(entry, reader)),
      actions: actions.map((action) => ({ value: action, label: auditActionLabel(t, action) })),
      actors,
      filter,
      errors,
      pageHref,
      exportHref: `/admin/audit/export.xlsx${exportParameters.size ? `?${exportParameters.toString()}` : ''}`,
    });
  };

  /** The filtered log as an .xlsx file, in the reader's words; the export itself is audited. */
  const exportXlsx: RequestHandler = async (request, response) => {
    const { filter, query, errors } = auditFilterOf(request);
    if (Object.keys(errors).length > 0) return show(request, response, () => undefined);
    const language = response.locals.lang as string;
    const t = response.locals.t as Translate;
    const user = currentUser(request)!;
    const cells: SpreadsheetCell[][] = [];
    for await (const batch of auditLogForExport(prisma, query)) {
      const reader: AuditReader = { t, language, names: batch.names };
      for (const entry of batch.entries) {
        const shown = readable(entry, reader);
        const who = entry.actor ? entry.actor.fullName : t(entry.actorKind === 'applicant' ? 'admin:audit.applicant' : 'admin:audit.system');
        cells.push([{ date: entry.createdAt, withTime: true }, who, shown.actionLabel, shown.entityName, shown.details, entry.action]);
      }
    }
    const headers = [...['when', 'who', 'action', 'entity', 'details'].map((key) => t(`admin:audit.columns.${key}`)), t('admin:audit.actionKey')];
    const body = await tableWorkbook({ sheetName: t('admin:audit.sheet'), headers, formats: ['dateTime'], rows: cells });
    const filters = Object.fromEntries(Object.entries(filter).filter(([key, value]) => value !== '' && key !== 'application'));
    await recordAudit(prisma, { actorId: user.id, action: 'audit.exported', entityType: 'AuditLog', entityId: 0, details: { format: 'xlsx', rows: cells.length, filters: { ...filters, ...(filter.application ? { application: true } : {}) } } });
    response
      .type(xlsxContentType)
      .set('Content-Disposition', attachmentDisposition(`audit-${toProgrammeTime(new Date()).toISODate()}.xlsx`))
      .set('Cache-Control', 'no-store')
      .send(body);
  };
  return { show, exportXlsx };
}

import type { RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { addFlash } from '../../http/flash.ts';
import { currentUser } from '../../http/guards.ts';
import { idParam } from '../../http/request-params.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { monthStartOf } from '../../lib/dates.ts';
import { localisedName } from '../../lib/localised-name.ts';
import { attachmentDisposition, xlsxContentType } from '../../lib/spreadsheet.ts';
import { complianceGrid, exportComplianceGrid } from './compliance.service.ts';
import { groupFormOptions } from './groups.service.ts';
import { complianceWorkbook, protocolsWorkbook } from './mentoring-excel.ts';
import { coordinatorFilter, filterQuery, isReversedPeriod } from './mentoring-http.ts';
import { complianceStates, complianceStateOf, monthParam } from './month-rules.ts';
import { returnProtocolSchema } from './protocol.schemas.ts';
import { reminderPreview, sendReminderNow } from './protocol-reminders.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { loadProtocolForCoordinator, exportRegionProtocols, returnProtocol } from './protocols.service.ts';
import { protocolHistory } from './protocol-history.service.ts';

export function complianceHandlers(prisma: PrismaClient, baseUrl: string, reminderDaysBeforeMonthEnd: number) {
  const grid: RequestHandler = async (request, response) => {
    const typed = coordinatorFilter(request);
    // A reversed period is refused next to its field; the grid below shows the default period meanwhile.
    const reversed = isReversedPeriod(typed);
    const filter = reversed ? { ...typed, from: undefined, to: undefined } : typed;
    const language = response.locals.lang as string;
    const [result, options] = await Promise.all([
      complianceGrid(prisma, { regionId: filter.region, mentor: filter.mentor, from: filter.from, to: filter.to, state: filter.state }, language),
      groupFormOptions(prisma, language),
    ]);
    response.status(reversed ? 422 : 200).render('mentoring/compliance', {
      titleKey: 'mentoring:compliance.title',
      grid: result,
      filter,
      errors: reversed ? { 'filter-to': 'mentoring:compliance.errors.reversedPeriod' } : {},
      typedPeriod: reversed ? { from: monthParam(typed.from!), to: monthParam(typed.to!) } : null,
      exportHref: `/admin/compliance/export.xlsx${filterQuery(filter)}`,
      states: complianceStates,
      ...options,
      defaultExportMonth: monthParam(monthStartOf(new Date())),
      reminderDays: reminderDaysBeforeMonthEnd,
    });
  };

  // ------------------------------------------------------------------ a reminder sent now

  /** The mentor to remind (404 for anyone else), and what the e-mail would list. */
  async function reminderTarget(userId: number) {
    const mentor = await prisma.user.findFirst({ where: { id: userId, role: 'MENTOR', isActive: true }, select: { id: true, fullName: true, email: true } });
    if (!mentor) throw new NotFoundError(`No active mentor ${userId}`);
    return { mentor, preview: await reminderPreview(prisma, mentor.id) };
  }

  const confirmReminder: RequestHandler = async (request, response) => {
    const { mentor, preview } = await reminderTarget(idParam(request, 'userId'));
    response.render('mentoring/remind-confirm', { titleKey: 'mentoring:notices.remind.title', mentor, preview, currentMonth: monthStartOf(new Date()) });
  };

  const sendReminder: RequestHandler = async (request, response) => {
    const { mentor } = await reminderTarget(idParam(request, 'userId'));
    const result = await sendReminderNow(prisma, { mentorId: mentor.id, actorId: currentUser(request)!.id, baseUrl });
    addFlash(request, result === 'sent' ? 'success' : 'error', `mentoring:notices.remind.flash.${result}`);
    response.redirect(303, '/admin/compliance');
  };

  const exportGrid: RequestHandler = async (request, response) => {
    const filter = coordinatorFilter(request);
    // The grid page says what is wrong with the period.
    if (isReversedPeriod(filter)) return response.redirect(303, `/admin/compliance${filterQuery(filter)}`);
    const result = await exportComplianceGrid(prisma, currentUser(request)!.id, { regionId: filter.region, mentor: filter.mentor, from: filter.from, to: filter.to, state: filter.state }, response.locals.lang as string);
    const buffer = await complianceWorkbook(result, request.t, response.locals.lang);
    response
      .type(xlsxContentType)
      .set('Content-Disposition', attachmentDisposition(`zhas-compliance-${monthParam(result.from)}-${monthParam(result.to)}.xlsx`))
      .send(buffer);
  };

  const exportProtocols: RequestHandler = async (request, response) => {
    const filter = coordinatorFilter(request);
    if (!filter.region || !filter.month) {
      addFlash(request, 'error', 'mentoring:protocolExport.chooseRegionAndMonth');
      return response.redirect(303, '/admin/compliance#export-protocols');
    }
    const exported = await exportRegionProtocols(prisma, currentUser(request)!.id, filter.region, filter.month, response.locals.lang as string);
    if (!exported) {
      addFlash(request, 'error', 'mentoring:protocolExport.chooseRegionAndMonth');
      return response.redirect(303, '/admin/compliance#export-protocols');
    }
    const { region, protocols } = exported;
    const buffer = await protocolsWorkbook(protocols, filter.month, request.t, response.locals.lang);
    response
      .type(xlsxContentType)
      .set('Content-Disposition', attachmentDisposition(`zhas-protocols-${region.code.toLowerCase()}-${monthParam(filter.month)}.xlsx`))
      .send(buffer);
  };

  async function renderProtocol(response: Response, protocolId: number, status: number, values: Record<string, string>, errors: Record<string, string>) {
    const protocol = await loadProtocolForCoordinator(prisma, protocolId, response.locals.lang as string);
    response.status(status).render('mentoring/admin-protocol', {
      titleKey: 'mentoring:protocol.title',
      protocol,
      history: await protocolHistory(prisma, protocol.id),
      state: complianceStateOf(protocol.month, monthStartOf(new Date()), protocol),
      regionName: localisedName(protocol.group.region, response.locals.lang),
      values,
      errors,
    });
  }

  const showProtocol: RequestHandler = (request, response) => renderProtocol(response, idParam(request, 'protocolId'), 200, {}, {});

  const returnProtocolHandler: RequestHandler = async (request, response) => {
    const protocolId = idParam(request, 'protocolId');
    const comment = typeof request.body?.comment === 'string' ? request.body.comment : '';
    const parsed = returnProtocolSchema.safeParse({ comment });
    if (!parsed.success) return renderProtocol(response, protocolId, 422, { comment }, fieldErrorsOf(parsed.error));
    await returnProtocol(prisma, { protocolId, coordinatorId: currentUser(request)!.id, comment: parsed.data.comment, baseUrl });
    addFlash(request, 'success', 'mentoring:protocol.flash.returned');
    response.redirect(303, `/admin/protocols/${protocolId}`);
  };

  const printProtocol: RequestHandler = async (request, response) => {
    const protocol = await loadProtocolForCoordinator(prisma, idParam(request, 'protocolId'), response.locals.lang as string);
    response.render('mentoring/protocol-print', {
      layout: false,
      titleKey: 'mentoring:protocol.title',
      group: protocol.group,
      month: protocol.month,
      protocol,
      mentorName: protocol.mentor.fullName,
      backUrl: `/admin/protocols/${protocol.id}`,
    });
  };

  return { grid, confirmReminder, sendReminder, exportGrid, exportProtocols, showProtocol, returnProtocol: returnProtocolHandler, printProtocol };
}

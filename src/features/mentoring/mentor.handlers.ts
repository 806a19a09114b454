import type { Request, RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { addFlash } from '../../http/flash.ts';
import { currentUser } from '../../http/guards.ts';
import { idParam } from '../../http/request-params.ts';
import { mentorHome } from './mentor-home.service.ts';
import { monthRouteParam } from './mentoring-http.ts';
import { monthBounds } from './month-rules.ts';
import { protocolFormValues, requiredForSubmit, type ProtocolFormValues } from './protocol.schemas.ts';
import { formValuesOf, loadMentorProtocol, saveMentorProtocol, type MentorProtocolPage } from './protocols.service.ts';

export interface ProtocolPageNotice {
  kind: 'error' | 'warning' | 'info';
  key: string;
}

function protocolUrl(groupId: number, monthParam: string): string {
  return `/mentor/groups/${groupId}/protocols/${monthParam}`;
}

export function mentorHandlers(prisma: PrismaClient) {
  const home: RequestHandler = async (request, response) => {
    response.render('mentoring/mentor-home', { titleKey: 'mentoring:home.title', ...(await mentorHome(prisma, currentUser(request)!.id)) });
  };

  function renderProtocol(
    response: Response,
    page: MentorProtocolPage,
    status: number,
    values: ProtocolFormValues,
    errors: Record<string, string>,
    notice: ProtocolPageNotice | null,
    unsavedValues: ProtocolFormValues | null = null,
  ) {
    response.status(status).render('mentoring/protocol-form', {
      titleKey: 'mentoring:protocol.title',
      page,
      bounds: monthBounds(page.month),
      values,
      errors,
      errorCount: Object.keys(errors).length,
      notice,
      unsavedValues,
      requiredForSubmit,
    });
  }

  const showProtocol: RequestHandler = async (request, response) => {
    const page = await loadMentorProtocol(prisma, currentUser(request)!.id, idParam(request, 'groupId'), monthRouteParam(request));
    renderProtocol(response, page, 200, formValuesOf(page.protocol), {}, null);
  };

  const saveProtocol: RequestHandler = async (request: Request, response) => {
    const mentorId = currentUser(request)!.id;
    const groupId = idParam(request, 'groupId');
    const month = monthRouteParam(request);
    const submit = request.body?.action === 'submit';
    const values = protocolFormValues(request.body);
    const outcome = await saveMentorProtocol(prisma, { mentorId, groupId, month, values, submit });
    const page = await loadMentorProtocol(prisma, mentorId, groupId, month);
    const url = protocolUrl(groupId, request.params.month as string);

    switch (outcome.kind) {
      case 'saved':
        if (outcome.status === 'SUBMITTED') {
          addFlash(request, 'success', 'mentoring:protocol.flash.submitted');
          return response.redirect(303, '/mentor');
        }
        addFlash(request, 'success', 'mentoring:protocol.flash.draftSaved');
        return response.redirect(303, url);
      case 'savedWithErrors':
        return renderProtocol(response, page, 422, { ...values, version: outcome.version }, outcome.errors, { kind: 'warning', key: 'mentoring:protocol.notice.draftSavedWithErrors' });
      case 'notSubmitted':
        return renderProtocol(response, page, 422, { ...values, version: outcome.version }, outcome.errors, { kind: 'error', key: 'mentoring:protocol.notice.notSubmitted' });
      case 'conflict':
        if (outcome.reason === 'locked') {
          return renderProtocol(response, page, 409, formValuesOf(page.protocol), {}, { kind: 'error', key: 'mentoring:protocol.notice.alreadySubmitted' }, values);
        }
        // The typed text stays in the form; saving again replaces the other version, knowingly.
        return renderProtocol(response, page, 409, { ...values, version: outcome.version }, {}, {
          kind: 'error',
          key: outcome.reason === 'alreadyExists' ? 'mentoring:protocol.notice.alreadyExists' : 'mentoring:protocol.notice.changedElsewhere',
        });
    }
  };

  const printProtocol: RequestHandler = async (request, response) => {
    const page = await loadMentorProtocol(prisma, currentUser(request)!.id, idParam(request, 'groupId'), monthRouteParam(request));
    response.render('mentoring/protocol-print', {
      layout: false,
      titleKey: 'mentoring:protocol.title',
      group: page.group,
      month: page.month,
      protocol: page.protocol,
      mentorName: currentUser(request)!.fullName,
      backUrl: protocolUrl(page.group.id, request.params.month as string),
    });
  };

  return { home, showProtocol, saveProtocol, printProtocol };
}

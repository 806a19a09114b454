import type { Request, RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { addFlash } from '../../http/flash.ts';
import { currentUser } from '../../http/guards.ts';
import { idParam } from '../../http/request-params.ts';
import { forgetKeptForm, keepWhenSignedOutField, keptFormFor } from '../../http/stale-form.ts';
import { mentorGroupPage } from './mentor-group.service.ts';
import { textValues } from '../../http/form-values.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { participantFormFields, participantFormSchema } from './group.schemas.ts';
import { protocolHistory } from './protocol-history.service.ts';
import { pendingProposalsOf, proposeParticipant, type ProposalResult } from './participant-proposals.service.ts';
import { mentorHome } from './mentor-home.service.ts';
import { formatTimeOfDay, monthRouteParam, requestPathname } from './mentoring-http.ts';
import { monthBounds, programmeLastMonth } from './month-rules.ts';
import { protocolErrorParams, protocolFieldLimits, protocolFormValues, requiredForSubmit, type ProtocolFormValues } from './protocol.schemas.ts';
import { formValuesOf, loadMentorProtocol, MonthOutsideProgrammeError, saveMentorProtocol, type MentorProtocolPage } from './protocols.service.ts';
import { discardIncoming, receiveProtocolAttachment } from './protocol-attachments.handlers.ts';
import { attachmentLimits, checkAttachment, storeAttachment, type AttachmentSettings } from './protocol-attachments.service.ts';

export interface ProtocolPageNotice {
  kind: 'error' | 'warning' | 'info';
  key: string;
}

function protocolUrl(groupId: number, monthParam: string): string {
  return `/mentor/groups/${groupId}/protocols/${monthParam}`;
}

export function mentorHandlers(prisma: PrismaClient, attachmentSettings: AttachmentSettings) {
  const home: RequestHandler = async (request, response) => {
    response.render('mentoring/mentor-home', { titleKey: 'mentoring:home.title', ...(await mentorHome(prisma, currentUser(request)!.id, response.locals.lang as string)) });
  };

  async function renderGroupPage(request: Request, response: Response, status: number, values: Record<string, string>, errors: Record<string, string>) {
    const page = await mentorGroupPage(prisma, currentUser(request)!.id, idParam(request, 'groupId'), response.locals.lang as string);
    const proposals = await pendingProposalsOf(prisma, page.group.id);
    response.status(status).render('mentoring/mentor-group', { titleKey: 'mentoring:mentorGroup.title', ...page, proposals, values, errors });
  }

  const groupPage: RequestHandler = (request, response) => renderGroupPage(request, response, 200, {}, {});

  /** She proposes a participant; the coordinator confirms it before it is in the group's lists. */
  const proposeParticipantHandler: RequestHandler = async (request, response) => {
    const groupId = idParam(request, 'groupId');
    const values = textValues(request.body, participantFormFields);
    const parsed = participantFormSchema.safeParse(request.body ?? {});
    const result: ProposalResult = parsed.success ? await proposeParticipant(prisma, currentUser(request)!.id, groupId, parsed.data) : { ok: false, errors: fieldErrorsOf(parsed.error) };
    if (!result.ok) return renderGroupPage(request, response, 422, values, result.errors);
    addFlash(request, 'success', 'mentoring:proposals.flash.proposed');
    response.redirect(303, `/mentor/groups/${groupId}#proposals`);
  };

  async function renderProtocol(
    response: Response,
    page: MentorProtocolPage,
    status: number,
    values: ProtocolFormValues,
    errors: Record<string, string>,
    notice: ProtocolPageNotice | null,
    unsavedValues: ProtocolFormValues | null = null,
    restoredAfterSignIn = false,
  ) {
    const history = await protocolHistory(prisma, page.protocol?.id);
    response.status(status).render('mentoring/protocol-form', {
      titleKey: 'mentoring:protocol.title',
      page,
      history,
      bounds: monthBounds(page.month),
      values,
      errors,
      errorCount: Object.keys(errors).length,
      notice,
      unsavedValues,
      requiredForSubmit,
      limits: protocolFieldLimits,
      protocolErrorParams,
      keepWhenSignedOutField,
      restoredAfterSignIn,
      attachmentLimits: attachmentLimits(attachmentSettings),
    });
  }

  const showProtocol: RequestHandler = async (request, response) => {
    let page: MentorProtocolPage;
    try {
      page = await loadMentorProtocol(prisma, currentUser(request)!.id, idParam(request, 'groupId'), monthRouteParam(request), response.locals.lang as string);
    } catch (error) {
      // Her own group, a month outside its programme: say which months it runs (still a 404).
      if (!(error instanceof MonthOutsideProgrammeError)) throw error;
      return response.status(404).render('mentoring/month-outside', {
        titleKey: 'mentoring:monthOutside.title',
        group: error.group,
        month: error.month,
        firstMonth: error.group.programmeStartMonth,
        lastMonth: programmeLastMonth(error.group),
      });
    }
    // Sent while she was signed out: what she typed comes back until it is saved.
    const kept = keptFormFor(request, requestPathname(request));
    if (kept) {
      const notice: ProtocolPageNotice = { kind: 'info', key: 'mentoring:protocol.notice.restoredAfterSignIn' };
      const keptValues = protocolFormValues(kept);
      if (!page.editable) return renderProtocol(response, page, 200, formValuesOf(page.protocol), {}, notice, keptValues);
      return renderProtocol(response, page, 200, keptValues, {}, notice, null, true);
    }
    await renderProtocol(response, page, 200, formValuesOf(page.protocol), {}, null);
  };

  /** protocol-autosave.js: the draft as typed, a few seconds after she stops; JSON back, never a page. */
  const autosaveProtocol: RequestHandler = async (request, response) => {
    const mentorId = currentUser(request)!.id;
    const groupId = idParam(request, 'groupId');
    const month = monthRouteParam(request);
    const values = protocolFormValues(request.body);
    const outcome = await saveMentorProtocol(prisma, { mentorId, groupId, month, values, submit: false, autosave: true });
    if (outcome.kind === 'conflict') {
      return response.status(409).json({ status: 'conflict', reason: outcome.reason, message: request.t('mentoring:autosave.conflict') });
    }
    forgetKeptForm(request, protocolUrl(groupId, request.params.month as string));
    const savedAtTime = formatTimeOfDay(new Date(Number(outcome.version)));
    const errors = outcome.kind === 'saved' ? {} : Object.fromEntries(Object.entries(outcome.errors).map(([name, key]) => [name, request.t(key, protocolErrorParams(name, values[name as keyof ProtocolFormValues], request.language))]));
    const hasErrors = Object.keys(errors).length > 0;
    response.json({
      status: 'saved',
      version: outcome.version,
      savedAtTime,
      message: request.t(hasErrors ? 'mentoring:autosave.savedExceptErrors' : 'mentoring:autosave.savedAt', { time: savedAtTime }),
      errors,
    });
  };

  const saveProtocol: RequestHandler = async (request: Request, response) => {
    const mentorId = currentUser(request)!.id;
    const groupId = idParam(request, 'groupId');
    const month = monthRouteParam(request);
    const submit = request.body?.action === 'submit';
    const language = response.locals.lang as string;
    const values = protocolFormValues(request.body);
    const outcome = await saveMentorProtocol(prisma, { mentorId, groupId, month, values, submit });
    const page = await loadMentorProtocol(prisma, mentorId, groupId, month, language);
    const url = protocolUrl(groupId, request.params.month as string);
    if (outcome.kind !== 'conflict') forgetKeptForm(request, url);

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

  /**
   * The form's "Attach" button: the whole form as multipart. A refused file changes nothing and comes
   * back with its message next to the field and the typed text kept; an accepted one saves the text
   * as a draft first (the protocol must exist to hold the file), like "Save draft".
   */
  const attachFile: RequestHandler = async (request, response) => {
    const mentorId = currentUser(request)!.id;
    const language = response.locals.lang as string;
    const groupId = idParam(request, 'groupId');
    const month = monthRouteParam(request);
    const page = await loadMentorProtocol(prisma, mentorId, groupId, month, language);
    const { file, problem: receiveProblem } = await receiveProtocolAttachment(request, response, attachmentSettings);
    const values = protocolFormValues(request.body);
    const url = protocolUrl(groupId, request.params.month as string);
    if (!page.editable) {
      await discardIncoming(file);
      return renderProtocol(response, page, 409, formValuesOf(page.protocol), {}, { kind: 'error', key: 'mentoring:protocol.notice.alreadySubmitted' }, values);
    }
    const checked = file && !receiveProblem ? await checkAttachment(prisma, attachmentSettings, page.protocol?.id ?? null, file) : null;
    const problem = receiveProblem ?? (checked && 'problem' in checked ? checked.problem : null);
    const document = checked && 'document' in checked ? checked.document : null;
    if (problem || !file || !document) {
      await discardIncoming(file);
      return renderProtocol(response, page, 422, values, { attachment: problem ?? 'mentoring:attachments.errors.noFile' }, null);
    }
    const outcome = await saveMentorProtocol(prisma, { mentorId, groupId, month, values, submit: false });
    const saved = await loadMentorProtocol(prisma, mentorId, groupId, month, language);
    if (outcome.kind === 'conflict' || !saved.protocol) {
      await discardIncoming(file);
      const key = outcome.kind === 'conflict' && outcome.reason === 'locked' ? 'mentoring:protocol.notice.alreadySubmitted' : 'mentoring:protocol.notice.changedElsewhere';
      return renderProtocol(response, saved, 409, { ...values, version: outcome.version }, {}, { kind: 'error', key });
    }
    forgetKeptForm(request, url);
    await storeAttachment(prisma, attachmentSettings, { protocolId: saved.protocol.id, mentorId, file, mimeType: document.mimeType, sha256: document.sha256 });
    if (outcome.kind !== 'saved') {
      return renderProtocol(response, await loadMentorProtocol(prisma, mentorId, groupId, month, language), 422, { ...values, version: outcome.version }, outcome.errors, { kind: 'warning', key: 'mentoring:attachments.notice.attachedDraftWithErrors' });
    }
    addFlash(request, 'success', 'mentoring:attachments.flash.attached');
    return response.redirect(303, url);
  };

  const printProtocol: RequestHandler = async (request, response) => {
    const page = await loadMentorProtocol(prisma, currentUser(request)!.id, idParam(request, 'groupId'), monthRouteParam(request), response.locals.lang as string);
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

  return { home, groupPage, proposeParticipant: proposeParticipantHandler, showProtocol, saveProtocol, autosaveProtocol, attachFile, printProtocol };
}

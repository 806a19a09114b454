import type { Request, RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { DocumentKind } from '../../generated/prisma/enums.ts';
import type { Config } from '../../config.ts';
import { currentUser, type SessionUser } from '../../http/guards.ts';
import { addFlash } from '../../http/flash.ts';
import { idParam } from '../../http/request-params.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { formatDate, formatDateTime, toProgrammeTime } from '../../lib/dates.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { pageHrefs } from '../../lib/pagination.ts';
import { attachmentDisposition, csvContentType, xlsxContentType } from '../../lib/spreadsheet.ts';
import { findCurrentCohort } from '../applications/cohorts.service.ts';
import { documentKinds } from '../documents/document-kinds.ts';
import { sendStoredDocument } from '../documents/document-download.ts';
import { documentStoreOf } from '../documents/document-storage.ts';
import { allowedTransitions } from '../applications/application-status.ts';
import { checkDocument, documentHistory, EarlyCloseNeedsConfirmation, moveApplication, openDocument, requestDocument } from './application-review.service.ts';
import { exportApplications, listApplications, recordApplicationsExport, reviewableRegions } from './application-list.service.ts';
import { loadApplicationPage, requireChair } from './reviewable-application.ts';
import { applicationsCsv, applicationsWorkbook } from './application-export.ts';
import { recordApplicationView } from '../audit/access-audit.ts';
import { decide, DecisionNeedsConfirmation, regionRanking } from './decisions.service.ts';
import { markInterviewHeld, scheduleInterview } from './interviews.service.ts';
import { declareConflict, liftConflictOfInterest, scoringView, submitScore } from './scoring.service.ts';
import { chairsRegion, documentsNotAccepted, mayRequestDocument, scoresInRegion } from './review.policy.ts';
import { applicationListQuerySchema, conflictSchema, decisionSchema, documentCheckSchema, documentRequestSchema, interviewSchema, transitionSchema } from './review.schemas.ts';
import { largeDisagreement } from './score-aggregation.ts';
import { criterionLevelsIn } from './rubric-levels.ts';
import { addApplicationNote, applicationNotes, noteMaxLength } from './application-notes.service.ts';

const applicationIdOf = (request: Request) => idParam(request, 'applicationId');

export function reviewHandlers(prisma: PrismaClient, config: Config) {
  async function renderApplication(request: Request, response: Response, applicationId: number, status = 200, errors: Record<string, string> = {}, values: Record<string, unknown> = {}) {
    const user = currentUser(request)!;
    const application = await loadApplicationPage(prisma, user, applicationId);
    const [scoring, notes, history] = await Promise.all([scoringView(prisma, user, application), applicationNotes(prisma, user, applicationId), documentHistory(prisma, application)]);
    const language = response.locals.lang as string;
    const isChair = chairsRegion(user, application.regionId);
    const interviewLocal = application.interview ? toProgrammeTime(application.interview.scheduledAt) : null;
    response.set('Cache-Control', 'no-store');
    response.status(status).render('review/application', {
      titleKey: 'review:application.title',
      application,
      submittedAt: formatDate(application.submittedAt, language),
      birthDate: formatDate(application.birthDate, language),
      interviewWhen: application.interview ? formatDateTime(application.interview.scheduledAt, language) : null,
      interviewHeldWhen: application.interview?.heldAt ? formatDateTime(application.interview.heldAt, language) : null,
      scoringOpensWhen: scoring.opensAt ? formatDateTime(scoring.opensAt, language) : null,
      formatDateTime,
      interviewValues: {
        date: values.date ?? interviewLocal?.toISODate() ?? '',
        time: values.time ?? interviewLocal?.toFormat('HH:mm') ?? '',
        durationMinutes: values.durationMinutes ?? application.interview?.durationMinutes ?? 45,
        place: values.place ?? application.interview?.place ?? '',
        videoLink: values.videoLink ?? application.interview?.videoLink ?? '',
      },
      isChair,
      isScorer: scoresInRegion(user, application.regionId),
      mayRequestDocument: mayRequestDocument(application.status),
      documentsNotAccepted: application.status === 'SCREENING' ? documentsNotAccepted(application.documents) : [],
      transitions: allowedTransitions[application.status].filter((to) => ['SCREENING', 'INTERVIEW', 'SCORED', 'REJECTED'].includes(to)),
      decisionOpen: application.status === 'SCORED',
      // Until the results are published the chair may correct a decision (with a reason).
      decided: ['SELECTED', 'RESERVE', 'REJECTED', 'WITHDRAWN'].includes(application.status),
      decisionCorrectable: application.decision !== null && ['SELECTED', 'RESERVE', 'REJECTED'].includes(application.status) && application.cohort.resultsPublishedAt === null,
      scoring,
      criteria: application.cohort.rubricCriteria,
      criterionLevels: (criterion: Parameters<typeof criterionLevelsIn>[0]) => criterionLevelsIn(criterion, language),
      documentKinds,
      notes,
      noteMaxLength,
      replacedDocuments: history.replaced,
      reuploadsToCheck: history.toCheck,
      // The document shown in the viewer (?view=<id>, one of the current files).
      viewingDocumentId: application.documents.find((document) => document.id === (typeof request.query.view === 'string' ? request.query.view : request.params.documentId))?.id ?? null,
      largeDisagreement,
      errors,
      values,
    });
  }

  /**
   * Runs a POST action; domain validation errors re-render the application page with messages next to
   * the fields. `anchor`: where on the page the reviewer returns (the part they were working on), as
   * the end of the URL: `#notes`, `?view=<id>#document-<id>`.
   */
  function action(run: (request: Request, user: SessionUser, applicationId: number) => Promise<string>, anchor?: (request: Request) => string): RequestHandler {
    return async (request, response) => {
      const user = currentUser(request)!;
      const applicationId = applicationIdOf(request);
      try {
        const flashKey = await run(request, user, applicationId);
        addFlash(request, 'success', flashKey);
        response.redirect(303, `/committee/applications/${applicationId}${anchor ? anchor(request) : ''}`);
      } catch (error) {
        if (error instanceof ValidationError) return renderApplication(request, response, applicationId, 422, error.fieldErrors, request.body ?? {});
        if (error instanceof ConflictError) {
          addFlash(request, 'error', error.messageKey);
          return response.redirect(303, `/committee/applications/${applicationId}`);
        }
        throw error;
      }
    };
  }

  function parse<T>(schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }, body: unknown): T {
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) throw new ValidationError('invalid form', fieldErrorsOf(parsed.error));
    return parsed.data;
  }

  const list: RequestHandler = async (request, response) => {
    const user = currentUser(request)!;
    const query = applicationListQuerySchema.parse(request.query);
    const cohort = await findCurrentCohort(prisma);
    const [page, regions] = await Promise.all([listApplications(prisma, user, query, cohort?.id, response.locals.lang as string), reviewableRegions(prisma, user)]);
    const queryString = (overrides: Record<string, string | number | undefined>) => {
      const parameters = new URLSearchParams();
      for (const [key, value] of Object.entries({ ...query, ...overrides })) if (value !== undefined && value !== '') parameters.set(key, String(value));
      return `?${parameters.toString()}`;
    };
    response.render('review/applications-list', {
      titleKey: 'review:list.title',
      cohort,
      query,
      regions,
      ...page,
      formatDate,
      queryString,
      pageHref: pageHrefs('/committee/applications', query),
    });
  };

  function exportHandler(format: 'csv' | 'xlsx'): RequestHandler {
    return async (request, response) => {
      const user = currentUser(request)!;
      const query = applicationListQuerySchema.parse(request.query);
      const cohort = await findCurrentCohort(prisma);
      const t = response.locals.t as (key: string, options?: Record<string, unknown>) => string;
      const language = response.locals.lang as string;
      const rows = exportApplications(prisma, user, query, cohort?.id, language);
      const labels = { t, hiddenScore: t('review:scores.hidden'), baseUrl: config.baseUrl };
      const fileName = `applications-${toProgrammeTime(new Date()).toISODate()}`;
      const { body, count } = format === 'csv' ? await applicationsCsv(rows, language, labels) : await applicationsWorkbook(rows, language, labels, t('review:list.title'));
      await recordApplicationsExport(prisma, user, cohort?.id, format, query, count);
      response
        .type(format === 'csv' ? csvContentType : xlsxContentType)
        .set('Content-Disposition', attachmentDisposition(`${fileName}.${format}`))
        .set('Cache-Control', 'no-store')
        .send(body);
    };
  }

  const show: RequestHandler = async (request, response) => {
    await renderApplication(request, response, applicationIdOf(request));
    await recordApplicationView(prisma, currentUser(request)!.id, applicationIdOf(request));
  };

  const document: RequestHandler = async (request, response) => {
    const user = currentUser(request)!;
    const disposition = request.query.download === '1' ? 'attachment' : 'inline';
    const found = await openDocument(prisma, user, applicationIdOf(request), String(request.params.documentId), disposition);
    // Decrypted as it streams; named with the extension of the type detected on upload.
    if (!(await sendStoredDocument(response, documentStoreOf(config), config, found, disposition))) throw new NotFoundError();
  };

  // Back to the document just checked, still in the viewer (checkDocument matched the id to the application).
  const check = action(async (request, user, applicationId) => {
    const input = parse(documentCheckSchema, request.body);
    await checkDocument(prisma, user, applicationId, String(request.params.documentId), input.checkStatus, input.reason);
    return 'review:flash.documentChecked';
  }, (request) => `?view=${encodeURIComponent(String(request.params.documentId))}#document-${encodeURIComponent(String(request.params.documentId))}`);

  const note = action(async (request, user, applicationId) => {
    await addApplicationNote(prisma, user, applicationId, request.body?.text);
    return 'review:notes.added';
  }, () => '#notes');

  const requestMissing = action(async (request, user, applicationId) => {
    const input = parse(documentRequestSchema, request.body);
    const t = request.i18n;
    await requestDocument(prisma, user, applicationId, { kind: input.kind as DocumentKind, message: input.message, dueOn: input.dueOn }, config.baseUrl, (language) => t.getFixedT(language)(`documents.kinds.${input.kind}`));
    return 'review:flash.documentRequested';
  });

  /** A rejection (move or decision), a selection over the quota: what it will do, then the real POST with confirmed=yes. */
  async function renderConfirmation(request: Request, response: Response, kind: 'reject' | 'decision', summary: DecisionNeedsConfirmation['summary'] | null) {
    const user = currentUser(request)!;
    const application = await loadApplicationPage(prisma, user, applicationIdOf(request));
    const t = response.locals.t as (key: string, options?: Record<string, unknown>) => string;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const outcomeName = (outcome: string) => t(`applicationStatus.${outcome}`);
    const consequences: string[] = [];
    if (kind === 'reject' || summary?.outcome === 'REJECTED') {
      consequences.push(t('review:confirm.rejectStatus', { from: outcomeName(summary?.previous ?? application.status) }));
      consequences.push(t('review:confirm.rejectEffects'));
    }
    if (summary?.overQuota) consequences.push(t('review:confirm.overQuota', { selected: summary.selected, quota: summary.quota, after: summary.selected + 1 }));
    if (summary?.previous) consequences.push(t('review:confirm.changed', { from: outcomeName(summary.previous), to: outcomeName(summary.outcome) }));
    consequences.push(t('review:confirm.audited'));
    const reject = kind === 'reject';
    response.set('Cache-Control', 'no-store');
    response.render('review/confirm-action', {
      titleKey: reject || summary?.outcome === 'REJECTED' ? 'review:confirm.rejectTitle' : 'review:confirm.overQuotaTitle',
      application,
      action: `/committee/applications/${application.id}/${reject ? 'status' : 'decision'}`,
      heading: t(reject || summary?.outcome === 'REJECTED' ? 'review:confirm.rejectTitle' : 'review:confirm.overQuotaTitle', { number: application.number, name: application.fullName }),
      consequences,
      hidden: reject ? { to: 'REJECTED' } : { outcome: summary!.outcome, quotaOverride: summary!.overQuota ? 'yes' : '' },
      fields: reject
        ? [{ name: 'comment', id: 'confirm-comment', label: 'review:application.comment', value: text('comment'), multiline: true, rows: 3, maxlength: 1000 }]
        : [
            ...(summary!.overQuota ? [{ name: 'overrideReason', id: 'confirm-overrideReason', label: 'review:decision.overrideReason', value: text('overrideReason'), required: true, maxlength: 1000 }] : []),
            ...(summary!.previous ? [{ name: 'changeReason', id: 'confirm-changeReason', label: 'review:decision.changeReason', value: text('changeReason'), required: true, multiline: true, rows: 3, maxlength: 1000 }] : []),
          ],
      confirmLabel: t(reject || summary?.outcome === 'REJECTED' ? 'review:confirm.rejectSubmit' : 'review:confirm.overQuotaSubmit'),
      errors: {},
      values: {},
    });
  }

  const moveAction = action(async (request, user, applicationId) => {
    const input = parse(transitionSchema, request.body);
    await moveApplication(prisma, user, applicationId, input.to, input.comment, { confirmEarlyClose: input.confirmEarlyClose, documentOverride: input.documentOverride, documentOverrideReason: input.documentOverrideReason });
    return 'review:flash.statusChanged';
  });

  /** Closing scoring before everyone has scored first shows what will happen, then asks for a reason. */
  const transition: RequestHandler = async (request, response, next) => {
    if (request.body?.to === 'REJECTED' && request.body?.confirmed !== 'yes') {
      // The chair's right to reject is checked before anything is shown.
      const application = await requireChair(prisma, currentUser(request)!, applicationIdOf(request));
      if (allowedTransitions[application.status].includes('REJECTED')) return renderConfirmation(request, response, 'reject', null);
    }
    try {
      await moveAction(request, response, next);
    } catch (error) {
      if (!(error instanceof EarlyCloseNeedsConfirmation)) throw error;
      const application = await loadApplicationPage(prisma, currentUser(request)!, applicationIdOf(request));
      const comment = typeof request.body?.comment === 'string' ? request.body.comment : '';
      response.set('Cache-Control', 'no-store');
      response.status(error.reasonMissing ? 422 : 200).render('review/close-scoring', {
        titleKey: 'review:closeScoring.title',
        application,
        progress: error.progress,
        errors: error.reasonMissing ? { comment: 'review:closeScoring.reasonRequired' } : {},
        values: { comment },
      });
    }
  };

  const conflict = action(async (request, user, applicationId) => {
    const input = parse(conflictSchema, request.body);
    await declareConflict(prisma, user, applicationId, input.reason);
    return 'review:flash.conflictDeclared';
  });

  const interview = action(async (request, user, applicationId) => {
    const input = parse(interviewSchema, request.body);
    await scheduleInterview(prisma, user, applicationId, input);
    return 'review:flash.interviewScheduled';
  });

  const interviewHeld = action(async (_request, user, applicationId) => {
    await markInterviewHeld(prisma, user, applicationId);
    return 'review:held.flash';
  });

  const liftConflict = action(async (request, user, applicationId) => {
    await liftConflictOfInterest(prisma, user, applicationId, idParam(request, 'userId'));
    return 'review:conflicts.lifted';
  });

  const score = action(async (request, user, applicationId) => {
    const comment = typeof request.body?.comment === 'string' ? request.body.comment.trim() : '';
    await submitScore(prisma, user, applicationId, request.body ?? {}, comment);
    return 'review:flash.scoreSaved';
  });

  const decisionAction = action(async (request, user, applicationId) => {
    const input = parse(decisionSchema, request.body);
    await decide(prisma, user, applicationId, input);
    return 'review:flash.decisionSaved';
  });

  /** A rejection or a selection over the quota first shows what it will do (DecisionNeedsConfirmation). */
  const decision: RequestHandler = async (request, response, next) => {
    try {
      await decisionAction(request, response, next);
    } catch (error) {
      if (!(error instanceof DecisionNeedsConfirmation)) throw error;
      await renderConfirmation(request, response, 'decision', error.summary);
    }
  };

  const ranking: RequestHandler = async (request, response) => {
    const user = currentUser(request)!;
    const cohort = await findCurrentCohort(prisma);
    if (!cohort) throw new NotFoundError();
    const regionId = idParam(request, 'regionId');
    const data = await regionRanking(prisma, user, regionId, cohort.id);
    response.render('review/ranking', { titleKey: 'review:ranking.title', cohort, ...data, isChair: chairsRegion(user, regionId) });
  };

  return { list, exportCsv: exportHandler('csv'), exportXlsx: exportHandler('xlsx'), show, document, check, note, requestMissing, transition, conflict, interview, interviewHeld, liftConflict, score, decision, ranking };
}

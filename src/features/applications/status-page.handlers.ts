import type { Request, RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { formatDate, formatDateTime } from '../../lib/dates.ts';
import { ConflictError } from '../../lib/errors.ts';
import { addFlash } from '../../http/flash.ts';
import { formValues } from '../../http/form-values.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { documentKinds } from '../documents/document-kinds.ts';
import { documentStoreOf } from '../documents/document-storage.ts';
import { discardUploadedFiles } from '../documents/document-upload.ts';
import { lostLinkSchema } from './application.schemas.ts';
import { canWithdraw } from './application-status.ts';
import { findProgrammeContact } from '../contact/programme-contact.service.ts';
import { renderConfirmation } from './confirmation-page.ts';
import { resendStatusLink } from './status-links.service.ts';
import { canRemove, findByStatusToken, removeDocument, replaceDocuments, uploadableKinds, withdrawApplication, type StatusPageApplication } from './status-page.service.ts';

declare module 'express-session' {
  interface SessionData {
    /** The number of the application just withdrawn, shown once on /status/withdrawn. */
    withdrawnNumber?: string;
  }
}

/** Wrong, expired and unknown links all get the same page: it must not tell whether an application exists. */
function renderInvalidLink(response: Response) {
  response.status(404).render('applications/status-invalid', { titleKey: 'apply:status.invalidTitle' });
}

function tokenOf(request: Request): string {
  return String(request.params.token ?? '');
}

export function statusPageHandlers(prisma: PrismaClient, config: Config) {
  const documentStore = documentStoreOf(config);

  async function renderStatus(request: Request, response: Response, application: StatusPageApplication, status: number, errors: Record<string, string>) {
    const language = response.locals.lang as string;
    const contact = await findProgrammeContact(prisma, application.regionId);
    const uploadable = uploadableKinds(application);
    response.set('Cache-Control', 'no-store');
    response.status(status).render('applications/status', {
      titleKey: 'apply:status.title',
      token: tokenOf(request),
      application: {
        number: application.number,
        fullName: application.fullName,
        status: application.status,
        cohortName: application.cohort.name,
        submittedAt: formatDate(application.submittedAt, language),
        resultsAt: formatDate(application.cohort.resultsAt, language),
        interview: application.interview && {
          when: formatDateTime(application.interview.scheduledAt, language),
          place: application.interview.place,
          videoLink: application.interview.videoLink,
        },
      },
      documents: application.documents,
      removableKinds: documentKinds.map((entry) => entry.kind).filter((kind) => canRemove(application, kind)),
      requests: application.requests,
      documentKinds: documentKinds.filter((entry) => uploadable === 'all' || uploadable.includes(entry.kind)),
      canWithdraw: canWithdraw(application.status),
      contact,
      errors,
    });
  }

  const show: RequestHandler = async (request, response) => {
    const application = await findByStatusToken(prisma, tokenOf(request));
    if (!application) return renderInvalidLink(response);
    await renderStatus(request, response, application, 200, {});
  };

  const confirmation: RequestHandler = async (request, response) => {
    if (!(await renderConfirmation(prisma, response, tokenOf(request)))) renderInvalidLink(response);
  };

  const upload: RequestHandler = async (request, response) => {
    const application = await findByStatusToken(prisma, tokenOf(request));
    if (!application) {
      await discardUploadedFiles(request, documentStore);
      return renderInvalidLink(response);
    }
    const problems = { ...(request.uploadProblems ?? {}) };
    if (Object.keys(problems).length === 0) {
      try {
        Object.assign(problems, await replaceDocuments(prisma, application, request.uploadedDocuments ?? []));
      } catch (error) {
        await discardUploadedFiles(request, documentStore);
        if (error instanceof ConflictError) problems._documents = 'apply:errors.uploadNotAllowed';
        else throw error;
      }
    }
    if (Object.keys(problems).length > 0) {
      await discardUploadedFiles(request, documentStore);
      return await renderStatus(request, response, application, 422, problems);
    }
    addFlash(request, 'success', 'apply:status.uploaded');
    response.redirect(303, `/status/${tokenOf(request)}`);
  };

  const remove: RequestHandler = async (request, response) => {
    const application = await findByStatusToken(prisma, tokenOf(request));
    if (!application) return renderInvalidLink(response);
    const removed = await removeDocument(prisma, application, String(request.params.documentId));
    addFlash(request, removed ? 'success' : 'error', removed ? 'apply:status.removed' : 'apply:status.cannotRemove');
    response.redirect(303, `/status/${tokenOf(request)}`);
  };

  const confirmWithdraw: RequestHandler = async (request, response) => {
    const application = await findByStatusToken(prisma, tokenOf(request));
    if (!application) return renderInvalidLink(response);
    if (!canWithdraw(application.status)) return response.redirect(303, `/status/${tokenOf(request)}`);
    response.set('Cache-Control', 'no-store');
    response.render('applications/withdraw', { titleKey: 'apply:withdraw.title', token: tokenOf(request), number: application.number });
  };

  const withdraw: RequestHandler = async (request, response) => {
    const application = await findByStatusToken(prisma, tokenOf(request));
    if (!application) return renderInvalidLink(response);
    try {
      await withdrawApplication(prisma, application.id);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      addFlash(request, 'error', 'apply:status.cannotWithdraw');
      return response.redirect(303, `/status/${tokenOf(request)}`);
    }
    // Withdrawal ends the application's links, so the answer is a page of its own, not the status page.
    request.session.withdrawnNumber = application.number;
    response.redirect(303, '/status/withdrawn');
  };

  const withdrawn: RequestHandler = (request, response) => {
    const number = request.session?.withdrawnNumber;
    if (!number) return response.redirect(303, '/');
    delete request.session.withdrawnNumber;
    response.set('Cache-Control', 'no-store');
    response.render('applications/withdrawn', { titleKey: 'apply:withdraw.doneTitle', number });
  };

  function renderLostLinkForm(response: Response, status: number, values: Record<string, unknown>, errors: Record<string, string>) {
    response.set('Cache-Control', 'no-store');
    response.status(status).render('applications/lost-link', { titleKey: 'apply:lostLink.title', values, errors });
  }

  const lostLinkForm: RequestHandler = (_request, response) => renderLostLinkForm(response, 200, {}, {});

  /**
   * The same answer, as fast, whether or not such an application exists: the answer goes out first and
   * the link is sent afterwards, only to the address on file (a failure there is logged, not shown).
   */
  const lostLinkSend: RequestHandler = (request, response) => {
    const parsed = lostLinkSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderLostLinkForm(response, 422, formValues(request.body), fieldErrorsOf(parsed.error));
    response.redirect(303, '/status/lost-link/sent');
    setImmediate(() => {
      resendStatusLink(prisma, parsed.data, config.baseUrl).catch((error: unknown) => request.log.error({ err: error instanceof Error ? error.name : 'unknown' }, 'lost-link e-mail not queued'));
    });
  };

  const lostLinkSent: RequestHandler = (_request, response) => {
    response.set('Cache-Control', 'no-store');
    response.render('applications/lost-link-sent', { titleKey: 'apply:lostLink.sentTitle' });
  };

  return { show, confirmation, upload, remove, confirmWithdraw, withdraw, withdrawn, lostLinkForm, lostLinkSend, lostLinkSent };
}

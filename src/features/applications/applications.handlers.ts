import type { Request, RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { formatDate } from '../../lib/dates.ts';
import { formValues } from '../../http/form-values.ts';
import { isLanguage } from '../../http/i18n.ts';
import { fieldErrorsOf, validFieldsOf } from '../../http/validation.ts';
import { documentKinds } from '../documents/document-kinds.ts';
import { discardUploadedFiles, type UploadedDocument } from '../documents/document-upload.ts';
import { documentStoreOf } from '../documents/document-storage.ts';
import { applicationFormSchema, applicationLanguages, draftSchema } from './application.schemas.ts';
import { applicationRuleProblems, submitApplication, type OpenCohort } from './applications.service.ts';
import { findNextCohort, findOpenCohort } from './cohorts.service.ts';
import { draftValues, draftValuesOf, findDraftByToken, forgetDraftDocument, saveDraft } from './drafts.service.ts';
import { combineWithHeldDocuments, heldDocumentsStillStored, holdDocuments, releaseHeldDocuments, removeHeldDocument } from './held-documents.ts';

declare module 'express-session' {
  interface SessionData {
    /** The draft this session saved or continued: saving again updates it, sending deletes it. */
    continuedDraft?: { id: number; token: string };
    /** Where the continue link of the draft just saved went (shown once). */
    savedDraftEmail?: string;
    /** The status token of the application just sent, until the confirmation page takes it out of the session. */
    lastSubmission?: { statusToken: string };
  }
}

export function applicationHandlers(prisma: PrismaClient, config: Config) {
  const documentStore = documentStoreOf(config);

  async function renderClosed(response: Response, status: number) {
    const nextCohort = await findNextCohort(prisma);
    response.status(status).render('applications/closed', {
      titleKey: 'apply:closed.title',
      nextOpens: nextCohort ? formatDate(nextCohort.applicationOpensAt, response.locals.lang) : null,
    });
  }

  async function renderForm(request: Request, response: Response, cohort: OpenCohort, status: number, values: Record<string, unknown>, errors: Record<string, string>) {
    const heldDocuments = await heldDocumentsStillStored(request, documentStore);
    const language = response.locals.lang as string;
    response.status(status).render('applications/form', {
      titleKey: 'apply:form.title',
      cohort: {
        name: cohort.name,
        closes: formatDate(cohort.applicationClosesAt, language),
        results: formatDate(cohort.resultsAt, language),
        regions: cohort.quotas.map((quota) => quota.region),
        requiredDocuments: cohort.requiredDocuments,
      },
      documentKinds,
      languageOptions: applicationLanguages,
      heldDocuments,
      maxFileBytes: config.maxFileBytes,
      maxApplicationBytes: config.maxApplicationBytes,
      values,
      errors,
    });
  }

  const showForm: RequestHandler = async (request, response) => {
    const cohort = await findOpenCohort(prisma);
    if (!cohort) return renderClosed(response, 200);
    // A continued draft shows its values as they were saved.
    const continued = request.session?.continuedDraft;
    const values = continued ? await draftValues(prisma, continued.id) : null;
    if (continued && !values) delete request.session.continuedDraft;
    if (values) response.set('Cache-Control', 'no-store');
    await renderForm(request, response, cohort, 200, values ?? {}, {});
  };

  /** The open cohort a multipart post goes to; with none open, its files are discarded and the page says so. */
  async function openCohortOfPost(request: Request, response: Response): Promise<OpenCohort | null> {
    const cohort = await findOpenCohort(prisma);
    if (cohort) return cohort;
    await discardUploadedFiles(request, documentStore);
    await renderClosed(response, 403);
    return null;
  }

  const submit: RequestHandler = async (request, response) => {
    const cohort = await openCohortOfPost(request, response);
    if (!cohort) return;
    let documents: UploadedDocument[] = [];
    try {
      documents = await combineWithHeldDocuments(request, documentStore, request.uploadedDocuments ?? []);
      const values = formValues(request.body, ['languages']);
      const parsed = applicationFormSchema.safeParse(request.body ?? {});
      const errors: Record<string, string> = { ...(request.uploadProblems ?? {}) };
      const totalBytes = documents.reduce((sum, document) => sum + document.sizeBytes, 0);
      if (totalBytes > config.maxApplicationBytes) errors._documents = 'apply:errors.applicationTooLarge';
      if (!parsed.success) {
        // Format errors first; the rules on the fields that are right are named in the same round.
        const ruleProblems = applicationRuleProblems(cohort, validFieldsOf(applicationFormSchema, request.body), documents);
        Object.assign(errors, { ...ruleProblems, ...fieldErrorsOf(parsed.error), ...errors });
      }
      if (parsed.success && Object.keys(errors).length === 0) {
        const result = await submitApplication(prisma, cohort, parsed.data, documents, {
          baseUrl: config.baseUrl,
          statusLinkValidDays: config.statusLinkValidDays,
          locale: isLanguage(response.locals.lang) ? response.locals.lang : 'ru',
          draftId: request.session.continuedDraft?.id,
        });
        if (result.ok) {
          releaseHeldDocuments(request);
          delete request.session.continuedDraft;
          request.session.lastSubmission = { statusToken: result.statusToken };
          request.log?.info({ applicationId: result.applicationId }, 'application submitted');
          return response.redirect(303, '/apply/submitted');
        }
        Object.assign(errors, result.errors);
      }
      // Files that passed their checks are kept for the next attempt, so nobody attaches them twice.
      await holdDocuments(request, documentStore, documents, config.maxApplicationBytes);
      await renderForm(request, response, cohort, 422, values, errors);
    } catch (error) {
      await documentStore.remove(documents.map((document) => document.storedName));
      releaseHeldDocuments(request);
      throw error;
    }
  };

  // The confirmation lives at the status link's own address, so a reload, a language switch or a
  // display change shows it again, and the raw token does not stay in the session.
  const confirmation: RequestHandler = (request, response) => {
    const submission = request.session.lastSubmission;
    if (!submission) return response.redirect(303, '/apply');
    delete request.session.lastSubmission;
    response.redirect(303, `/status/${submission.statusToken}/confirmation`);
  };

  /**
   * Takes one held document off the form. The browser (document-uploads.js) asks for JSON; without
   * JavaScript the whole form comes along: its files are checked and held and the form is shown again.
   */
  const removeDocument: RequestHandler = async (request, response) => {
    const storedName = String(request.params.storedName);
    const wantsJson = request.get('accept')?.includes('application/json') === true;
    const cohort = await findOpenCohort(prisma);
    if (!cohort) {
      await discardUploadedFiles(request, documentStore);
      return wantsJson ? response.status(403).json({ removed: false }) : renderClosed(response, 403);
    }
    // First the removal (it re-reads the session), then the files that came along are held.
    const removed = await removeHeldDocument(request, documentStore, storedName);
    if (removed) await forgetDraftDocument(prisma, storedName);
    if ((request.uploadedDocuments?.length ?? 0) > 0) {
      const documents = await combineWithHeldDocuments(request, documentStore, request.uploadedDocuments ?? []);
      await holdDocuments(request, documentStore, documents, config.maxApplicationBytes);
    }
    if (wantsJson) return response.status(removed ? 200 : 404).set('Cache-Control', 'no-store').json({ removed: removed !== null });
    response.set('Cache-Control', 'no-store');
    await renderForm(request, response, cohort, 200, formValues(request.body, ['languages']), { ...(request.uploadProblems ?? {}) });
  };

  /**
   * "Save and continue later" (the same multipart form, formaction /apply/draft): only the e-mail must
   * be right. The values as typed and the checked files are kept, and the continue link is e-mailed.
   */
  const saveDraftHandler: RequestHandler = async (request, response) => {
    const cohort = await openCohortOfPost(request, response);
    if (!cohort) return;
    let documents: UploadedDocument[] = [];
    try {
      documents = await combineWithHeldDocuments(request, documentStore, request.uploadedDocuments ?? []);
      const values = formValues(request.body, ['languages']);
      const errors: Record<string, string> = { ...(request.uploadProblems ?? {}) };
      const dropped = await holdDocuments(request, documentStore, documents, config.maxApplicationBytes);
      if (dropped.length > 0) errors._documents = 'apply:errors.applicationTooLarge';
      const parsed = draftSchema.safeParse(request.body ?? {});
      if (!parsed.success) {
        Object.assign(errors, fieldErrorsOf(parsed.error));
        if (errors.email === 'apply:errors.required') errors.email = 'apply:draft.emailNeeded';
        return await renderForm(request, response, cohort, 422, values, errors);
      }
      const locale = isLanguage(response.locals.lang) ? response.locals.lang : 'ru';
      const saved = await saveDraft(
        prisma,
        { cohort, email: parsed.data.email, locale, values: draftValuesOf(values), documents: request.session.heldDocuments ?? [], continued: request.session.continuedDraft },
        config.baseUrl,
      );
      request.session.continuedDraft = { id: saved.draftId, token: saved.token };
      request.session.savedDraftEmail = parsed.data.email;
      request.log?.info({ draftId: saved.draftId }, 'application draft saved');
      response.redirect(303, '/apply/draft/saved');
    } catch (error) {
      await documentStore.remove((request.uploadedDocuments ?? []).map((document) => document.storedName));
      throw error;
    }
  };

  const draftSaved: RequestHandler = (request, response) => {
    const email = request.session?.savedDraftEmail;
    if (!email) return response.redirect(303, '/apply');
    delete request.session.savedDraftEmail;
    response.set('Cache-Control', 'no-store');
    response.render('applications/draft-saved', { titleKey: 'apply:draft.savedTitle', email });
  };

  /** The e-mailed continue link: the session takes the draft over (its values and files), then the form opens. */
  const continueDraft: RequestHandler = async (request, response) => {
    response.set('Cache-Control', 'no-store');
    const token = String(request.params.token);
    const draft = await findDraftByToken(prisma, token);
    if (!draft) return response.status(404).render('applications/draft-invalid', { titleKey: 'apply:draft.invalidTitle' });
    request.session.continuedDraft = { id: draft.id, token };
    request.session.heldDocuments = draft.documents.map(({ kind, originalName, storedName, mimeType, sizeBytes, sha256 }) => ({ kind, originalName, storedName, mimeType, sizeBytes, sha256 }));
    response.redirect(303, `/apply?lang=${draft.locale}`);
  };

  /**
   * The first file picked on the form starts the visitor's session (until then she has none, see
   * src/http/csrf-token-state.ts), so that the uploads that follow side by side share it.
   */
  const startVisitorSession: RequestHandler = (request, response) => {
    request.session.heldDocuments ??= [];
    response.status(204).end();
  };

  return { showForm, submit, confirmation, removeDocument, saveDraft: saveDraftHandler, draftSaved, continueDraft, startVisitorSession };
}

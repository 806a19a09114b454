import type { Request, RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import { formatDate } from '../../lib/dates.ts';
import { formValues } from '../../http/form-values.ts';
import { isLanguage } from '../../http/i18n.ts';
import { fieldErrorsOf, validFieldsOf } from '../../http/validation.ts';
import { documentKinds } from '../documents/document-kinds.ts';
import { discardUploadedFiles, type UploadedDocument } from '../documents/document-upload.ts';
import { removeFiles } from '../documents/document-storage.ts';
import { applicationFormSchema, applicationLanguages } from './application.schemas.ts';
import { applicationRuleProblems, submitApplication, type OpenCohort } from './applications.service.ts';
import { findNextCohort, findOpenCohort } from './cohorts.service.ts';
import { combineWithHeldDocuments, heldDocumentsOnDisk, holdDocuments, releaseHeldDocuments } from './held-documents.ts';

declare module 'express-session' {
  interface SessionData {
    /** The status token of the application just sent, until the confirmation page takes it out of the session. */
    lastSubmission?: { statusToken: string };
  }
}

export function applicationHandlers(prisma: PrismaClient, config: Config) {
  async function renderClosed(response: Response, status: number) {
    const nextCohort = await findNextCohort(prisma);
    response.status(status).render('applications/closed', {
      titleKey: 'apply:closed.title',
      nextOpens: nextCohort ? formatDate(nextCohort.applicationOpensAt, response.locals.lang) : null,
    });
  }

  async function renderForm(request: Request, response: Response, cohort: OpenCohort, status: number, values: Record<string, unknown>, errors: Record<string, string>) {
    const heldDocuments = await heldDocumentsOnDisk(request, config.uploadDir);
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
    await renderForm(request, response, cohort, 200, {}, {});
  };

  const submit: RequestHandler = async (request, response) => {
    const cohort = await findOpenCohort(prisma);
    if (!cohort) {
      await discardUploadedFiles(request);
      return renderClosed(response, 403);
    }
    let documents: UploadedDocument[] = [];
    try {
      documents = await combineWithHeldDocuments(request, config.uploadDir, request.uploadedDocuments ?? []);
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
        });
        if (result.ok) {
          releaseHeldDocuments(request);
          request.session.lastSubmission = { statusToken: result.statusToken };
          request.log?.info({ applicationId: result.applicationId }, 'application submitted');
          return response.redirect(303, '/apply/submitted');
        }
        Object.assign(errors, result.errors);
      }
      // Files that passed their checks are kept for the next attempt, so nobody attaches them twice.
      await holdDocuments(request, documents, config.maxApplicationBytes);
      await renderForm(request, response, cohort, 422, values, errors);
    } catch (error) {
      await removeFiles(documents.map((document) => document.path));
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

  return { showForm, submit, confirmation };
}

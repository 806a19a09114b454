import type { RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { addFlash } from '../../http/flash.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { formatDate, formatDateTime, toDateInputValue, toDateTimeInputValue } from '../../lib/dates.ts';
import { documentKindNames } from '../documents/document-kinds.ts';
import { formValues } from '../../http/form-values.ts';
import { idParam } from '../../http/request-params.ts';
import { actorId, attempt } from './admin-request.ts';
import { cohortFormSchema, criterionFormSchema, levelFieldValues, quotaFieldName, quotasFormSchema } from './cohorts.schemas.ts';
import {
  addCriterion,
  createCohort,
  findCohortForEditing,
  findCriterion,
  listCohorts,
  removeCriterion,
  updateCohort,
  updateCriterion,
  updateQuotas,
  type CohortForEditing,
} from './cohorts.service.ts';

interface FormState {
  values: Record<string, unknown>;
  errors: Record<string, string>;
}
const blankForm = (values: Record<string, unknown> = {}): FormState => ({ values, errors: {} });

/** The checkboxes of required documents as an array, whatever the body holds. */
function detailsValues(cohort: CohortForEditing['cohort']): Record<string, unknown> {
  return {
    name: cohort.name,
    year: String(cohort.year),
    applicationOpensAt: toDateTimeInputValue(cohort.applicationOpensAt),
    applicationClosesAt: toDateTimeInputValue(cohort.applicationClosesAt),
    resultsAt: toDateInputValue(cohort.resultsAt),
    requiredDocuments: cohort.requiredDocuments,
    contactEmail: cohort.contactEmail ?? '',
    contactPhone: cohort.contactPhone ?? '',
    documentRetentionMonths: String(cohort.documentRetentionMonths),
    anonymiseAfterMonths: String(cohort.anonymiseAfterMonths),
  };
}

function quotaValues(data: CohortForEditing): Record<string, unknown> {
  return Object.fromEntries(data.quotaRows.map((row) => [quotaFieldName(row.region.id), row.quota === null ? '' : String(row.quota)]));
}

export function cohortHandlers(prisma: PrismaClient) {
  function renderForm(response: Response, status: number, form: FormState) {
    response.status(status).render('admin/cohort-new', { titleKey: 'admin:cohorts.newTitle', documentKinds: documentKindNames, ...form });
  }

  async function renderCohortPage(response: Response, cohortId: number, status: number, forms: Partial<Record<'details' | 'quotas' | 'criterion', FormState>> = {}) {
    const data = await findCohortForEditing(prisma, cohortId);
    const language = response.locals.lang as string;
    response.status(status).render('admin/cohort-edit', {
      titleKey: 'admin:cohorts.editTitle',
      ...data,
      documentKinds: documentKindNames,
      window: {
        opens: formatDateTime(data.cohort.applicationOpensAt, language),
        closes: formatDateTime(data.cohort.applicationClosesAt, language),
        results: formatDate(data.cohort.resultsAt, language),
      },
      details: forms.details ?? blankForm(detailsValues(data.cohort)),
      quotas: forms.quotas ?? blankForm(quotaValues(data)),
      criterion: forms.criterion ?? blankForm(),
    });
  }

  const list: RequestHandler = async (_request, response) => {
    const cohorts = await listCohorts(prisma);
    const language = response.locals.lang as string;
    response.render('admin/cohorts-list', {
      titleKey: 'admin:cohorts.title',
      cohorts: cohorts.map((cohort) => ({
        ...cohort,
        opens: formatDateTime(cohort.applicationOpensAt, language),
        closes: formatDateTime(cohort.applicationClosesAt, language),
        results: formatDate(cohort.resultsAt, language),
        published: cohort.resultsPublishedAt ? formatDateTime(cohort.resultsPublishedAt, language) : null,
      })),
    });
  };

  const showNew: RequestHandler = (_request, response) => {
    renderForm(response, 200, blankForm({ year: String(new Date().getFullYear() + 1), requiredDocuments: documentKindNames, documentRetentionMonths: '6', anonymiseAfterMonths: '24' }));
  };

  const create: RequestHandler = async (request, response) => {
    const values = formValues(request.body, ['requiredDocuments']);
    const parsed = cohortFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderForm(response, 422, { values, errors: fieldErrorsOf(parsed.error) });
    const id = await createCohort(prisma, parsed.data, actorId(request));
    addFlash(request, 'success', 'admin:cohorts.flash.created');
    response.redirect(303, `/admin/cohorts/${id}`);
  };

  const show: RequestHandler = async (request, response) => {
    await renderCohortPage(response, idParam(request), 200);
  };

  const update: RequestHandler = async (request, response) => {
    const cohortId = idParam(request);
    const values = formValues(request.body, ['requiredDocuments']);
    const parsed = cohortFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderCohortPage(response, cohortId, 422, { details: { values, errors: fieldErrorsOf(parsed.error) } });
    await updateCohort(prisma, cohortId, parsed.data, actorId(request));
    addFlash(request, 'success', 'admin:cohorts.flash.updated');
    response.redirect(303, `/admin/cohorts/${cohortId}`);
  };

  const saveQuotas: RequestHandler = async (request, response) => {
    const cohortId = idParam(request);
    const data = await findCohortForEditing(prisma, cohortId);
    const regionIds = data.quotaRows.map((row) => row.region.id);
    const values = formValues(request.body);
    const parsed = quotasFormSchema(regionIds).safeParse(request.body ?? {});
    if (!parsed.success) return renderCohortPage(response, cohortId, 422, { quotas: { values, errors: fieldErrorsOf(parsed.error) } });
    const quotas = new Map(regionIds.map((id) => [id, (parsed.data[quotaFieldName(id)] as number | null) ?? null]));
    const result = await updateQuotas(prisma, cohortId, quotas, actorId(request));
    if (!result.ok) return renderCohortPage(response, cohortId, 422, { quotas: { values, errors: result.errors } });
    addFlash(request, 'success', 'admin:cohorts.flash.quotasSaved');
    response.redirect(303, `/admin/cohorts/${cohortId}#quotas`);
  };

  const rubricPath = (cohortId: number) => `/admin/cohorts/${cohortId}#rubric`;

  const addCriterionHandler: RequestHandler = async (request, response) => {
    const cohortId = idParam(request);
    const values = formValues(request.body);
    const parsed = criterionFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderCohortPage(response, cohortId, 422, { criterion: { values, errors: fieldErrorsOf(parsed.error) } });
    const attempted = await attempt(() => addCriterion(prisma, cohortId, parsed.data, actorId(request)));
    if (!attempted.ok) {
      addFlash(request, 'error', attempted.messageKey);
      return response.redirect(303, rubricPath(cohortId));
    }
    if (!attempted.value.ok) return renderCohortPage(response, cohortId, 422, { criterion: { values, errors: attempted.value.errors } });
    addFlash(request, 'success', 'admin:rubric.flash.added');
    response.redirect(303, rubricPath(cohortId));
  };

  function renderCriterionForm(response: Response, criterion: Awaited<ReturnType<typeof findCriterion>>, status: number, form: FormState) {
    response.status(status).render('admin/criterion-edit', { titleKey: 'admin:rubric.editTitle', criterion, inUse: criterion._count.scores > 0, ...form });
  }

  const showCriterion: RequestHandler = async (request, response) => {
    const criterion = await findCriterion(prisma, idParam(request), idParam(request, 'criterionId'));
    renderCriterionForm(response, criterion, 200, blankForm({
      code: criterion.code,
      nameRu: criterion.nameRu,
      nameKk: criterion.nameKk,
      nameEn: criterion.nameEn,
      weight: criterion.weight.toString(),
      sortOrder: String(criterion.sortOrder),
      ...levelFieldValues(criterion),
    }));
  };

  const updateCriterionHandler: RequestHandler = async (request, response) => {
    const cohortId = idParam(request);
    const criterionId = idParam(request, 'criterionId');
    const criterion = await findCriterion(prisma, cohortId, criterionId);
    const values = formValues(request.body);
    const parsed = criterionFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderCriterionForm(response, criterion, 422, { values, errors: fieldErrorsOf(parsed.error) });
    const attempted = await attempt(() => updateCriterion(prisma, cohortId, criterionId, parsed.data, actorId(request)));
    if (!attempted.ok) {
      addFlash(request, 'error', attempted.messageKey);
      return response.redirect(303, rubricPath(cohortId));
    }
    if (!attempted.value.ok) return renderCriterionForm(response, criterion, 422, { values, errors: attempted.value.errors });
    addFlash(request, 'success', 'admin:rubric.flash.updated');
    response.redirect(303, rubricPath(cohortId));
  };

  const removeCriterionHandler: RequestHandler = async (request, response) => {
    const cohortId = idParam(request);
    const attempted = await attempt(() => removeCriterion(prisma, cohortId, idParam(request, 'criterionId'), actorId(request)));
    if (attempted.ok) addFlash(request, 'success', 'admin:rubric.flash.removed');
    else addFlash(request, 'error', attempted.messageKey);
    response.redirect(303, rubricPath(cohortId));
  };

  return {
    list,
    showNew,
    create,
    show,
    update,
    saveQuotas,
    addCriterion: addCriterionHandler,
    showCriterion,
    updateCriterion: updateCriterionHandler,
    removeCriterion: removeCriterionHandler,
  };
}

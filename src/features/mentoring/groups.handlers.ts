import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { addFlash } from '../../http/flash.ts';
import { currentUser } from '../../http/guards.ts';
import { textValues } from '../../http/form-values.ts';
import { idParam } from '../../http/request-params.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { groupFormFields, groupFormSchema, participantFormFields, participantFormSchema } from './group.schemas.ts';
import { ImportFileError, importColumns, importTemplateCsv, maxImportBytes, maxImportRows, readImportFile } from './group-import.parser.ts';
import { commitImport, previewImport, templateRegionCode, type ImportPlan, type RowProblem } from './group-import.service.ts';
import type { ImportRow } from './group-import.parser.ts';
import { importPreviewStore } from './import-previews.ts';
import { addParticipant, createGroup, findParticipant, groupDetail, groupFormOptions, listGroups, removeParticipant, updateGroup, updateParticipant, type ParticipantResult } from './groups.service.ts';
import { coordinatorFilter } from './mentoring-http.ts';
import { confirmProposal, refuseProposal } from './participant-proposals.service.ts';
import { participantAttendance } from './participant-attendance.service.ts';
import { monthParam } from './month-rules.ts';
import { monthStartOf } from '../../lib/dates.ts';
import { attachmentDisposition, csvContentType, csvText } from '../../lib/spreadsheet.ts';

declare module 'express-session' {
  interface SessionData {
    /** The file being imported, between the preview and the confirmation (its rows: import-previews.ts). */
    groupImport?: { id: string };
  }
}

type RowWithProblems = ImportRow & { problems?: RowProblem[] };

const importUpload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxImportBytes, files: 1, fields: 5, parts: 8 } }).single('file');

export function groupHandlers(prisma: PrismaClient, uploadDir: string, baseUrl: string) {
  const previews = importPreviewStore(uploadDir);
  // ------------------------------------------------------------------ groups

  const list: RequestHandler = async (request, response) => {
    const filter = coordinatorFilter(request);
    const language = response.locals.lang as string;
    const [groups, options] = await Promise.all([listGroups(prisma, { regionId: filter.region, mentor: filter.mentor }, language), groupFormOptions(prisma, language)]);
    response.render('mentoring/groups-list', { titleKey: 'mentoring:groups.title', groups, ...options, filter });
  };

  async function renderGroupForm(response: Response, status: number, groupId: number | null, values: Record<string, string>, errors: Record<string, string>) {
    response.status(status).render('mentoring/group-form', {
      titleKey: groupId ? 'mentoring:groups.editTitle' : 'mentoring:groups.newTitle',
      groupId,
      values,
      errors,
      ...(await groupFormOptions(prisma, response.locals.lang as string)),
    });
  }

  const newForm: RequestHandler = async (_request, response) => {
    await renderGroupForm(response, 200, null, { programmeMonths: '6', programmeStartMonth: monthParam(monthStartOf(new Date())) }, {});
  };

  const create: RequestHandler = async (request, response) => {
    const values = textValues(request.body, groupFormFields);
    const parsed = groupFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderGroupForm(response, 422, null, values, fieldErrorsOf(parsed.error));
    const result = await createGroup(prisma, currentUser(request)!.id, parsed.data, { baseUrl });
    if (!result.ok) return renderGroupForm(response, 422, null, values, result.errors);
    addFlash(request, 'success', 'mentoring:groups.flash.created');
    response.redirect(303, `/admin/groups/${result.id}`);
  };

  const show: RequestHandler = async (request, response) => {
    const detail = await groupDetail(prisma, idParam(request, 'groupId'), response.locals.lang as string);
    response.render('mentoring/group-detail', { titleKey: 'mentoring:groups.detailTitle', ...detail, values: {}, errors: {} });
  };

  const editForm: RequestHandler = async (request, response) => {
    const { group } = await groupDetail(prisma, idParam(request, 'groupId'), response.locals.lang as string);
    const values: Record<string, string> = {
      name: group.name,
      regionId: String(group.regionId),
      projectTitle: group.projectTitle,
      projectDescription: group.projectDescription,
      hostOrganisationName: group.hostOrganisationName,
      hostOrganisationHead: group.hostOrganisationHead ?? '',
      hostOrganisationAccountant: group.hostOrganisationAccountant ?? '',
      programmeStartMonth: monthParam(group.programmeStartMonth),
      programmeMonths: String(group.programmeMonths),
      mentorId: group.mentorId ? String(group.mentorId) : '',
    };
    await renderGroupForm(response, 200, group.id, values, {});
  };

  const update: RequestHandler = async (request, response) => {
    const groupId = idParam(request, 'groupId');
    await groupDetail(prisma, groupId, response.locals.lang as string); // 404 before anything else
    const values = textValues(request.body, groupFormFields);
    const parsed = groupFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderGroupForm(response, 422, groupId, values, fieldErrorsOf(parsed.error));
    const result = await updateGroup(prisma, currentUser(request)!.id, groupId, parsed.data, { baseUrl });
    if (!result.ok) return renderGroupForm(response, 422, groupId, values, result.errors);
    addFlash(request, 'success', 'mentoring:groups.flash.updated');
    response.redirect(303, `/admin/groups/${groupId}`);
  };

  // ------------------------------------------------------------------ participants

  const addParticipantHandler: RequestHandler = async (request, response) => {
    const groupId = idParam(request, 'groupId');
    const values = textValues(request.body, participantFormFields);
    const parsed = participantFormSchema.safeParse(request.body ?? {});
    const result: ParticipantResult = parsed.success ? await addParticipant(prisma, currentUser(request)!.id, groupId, parsed.data) : { ok: false, errors: fieldErrorsOf(parsed.error) };
    if (!result.ok) {
      const detail = await groupDetail(prisma, groupId, response.locals.lang as string);
      return response.status(422).render('mentoring/group-detail', { titleKey: 'mentoring:groups.detailTitle', ...detail, values, errors: result.errors, iinRegisteredIn: result.registeredIn ?? null });
    }
    addFlash(request, 'success', 'mentoring:participants.flash.added');
    response.redirect(303, `/admin/groups/${groupId}#participants`);
  };

  const confirmProposalHandler: RequestHandler = async (request, response) => {
    const groupId = idParam(request, 'groupId');
    const result = await confirmProposal(prisma, currentUser(request)!.id, groupId, idParam(request, 'participantId'));
    addFlash(request, result.ok ? 'success' : 'error', result.ok ? 'mentoring:proposals.flash.confirmed' : 'mentoring:proposals.flash.iinTaken');
    response.redirect(303, `/admin/groups/${groupId}#proposals`);
  };

  const refuseProposalHandler: RequestHandler = async (request, response) => {
    const groupId = idParam(request, 'groupId');
    await refuseProposal(prisma, currentUser(request)!.id, groupId, idParam(request, 'participantId'));
    addFlash(request, 'success', 'mentoring:proposals.flash.refused');
    response.redirect(303, `/admin/groups/${groupId}#proposals`);
  };

  async function renderParticipantForm(request: Request, response: Response, status: number, values: Record<string, string> | null, errors: Record<string, string>, iinRegisteredIn: { id: number; name: string } | null = null) {
    const participant = await findParticipant(prisma, idParam(request, 'groupId'), idParam(request, 'participantId'));
    response.status(status).render('mentoring/participant-form', {
      titleKey: 'mentoring:participants.editTitle',
      participant,
      attendance: await participantAttendance(prisma, participant),
      values: values ?? { fullName: participant.fullName, iin: participant.iin ?? '', age: participant.age === null ? '' : String(participant.age), contact: participant.contact ?? '' },
      errors,
      iinRegisteredIn,
    });
  }

  const editParticipant: RequestHandler = (request, response) => renderParticipantForm(request, response, 200, null, {});

  const updateParticipantHandler: RequestHandler = async (request, response) => {
    const groupId = idParam(request, 'groupId');
    const participantId = idParam(request, 'participantId');
    const values = textValues(request.body, participantFormFields);
    const parsed = participantFormSchema.safeParse(request.body ?? {});
    const result: ParticipantResult = parsed.success ? await updateParticipant(prisma, currentUser(request)!.id, groupId, participantId, parsed.data) : { ok: false, errors: fieldErrorsOf(parsed.error) };
    if (!result.ok) return renderParticipantForm(request, response, 422, values, result.errors, result.registeredIn ?? null);
    addFlash(request, 'success', 'mentoring:participants.flash.updated');
    response.redirect(303, `/admin/groups/${groupId}#participants`);
  };

  const removeParticipantHandler: RequestHandler = async (request, response) => {
    const groupId = idParam(request, 'groupId');
    const result = await removeParticipant(prisma, currentUser(request)!.id, groupId, idParam(request, 'participantId'));
    addFlash(request, result.ok ? 'success' : 'error', result.ok ? 'mentoring:participants.flash.removed' : 'mentoring:participants.flash.hasAttendance');
    response.redirect(303, `/admin/groups/${groupId}#participants`);
  };

  // ------------------------------------------------------------------ import

  function renderImportForm(response: Response, status: number, errorKey: string | null, errorParams: Record<string, string | number> = {}) {
    response.status(status).render('mentoring/import-form', { titleKey: 'mentoring:import.title', errorKey, errorParams, columns: importColumns, maxRows: maxImportRows, maxMegabytes: maxImportBytes / 1024 / 1024 });
  }

  function renderPreview(response: Response, status: number, plan: ImportPlan, importId: string, fileName: string, ignoredColumns: string[], noticeKey: string | null) {
    response.status(status).render('mentoring/import-preview', { titleKey: 'mentoring:import.previewTitle', plan, importId, fileName, ignoredColumns, noticeKey });
  }

  const importForm: RequestHandler = (_request, response) => renderImportForm(response, 200, null);

  const importTemplate: RequestHandler = async (_request, response) => {
    const regionCode = await templateRegionCode(prisma);
    response.type(csvContentType).set('Content-Disposition', attachmentDisposition('zhas-groups-import.csv')).send(importTemplateCsv(regionCode, monthParam(monthStartOf(new Date()))));
  };

  const importPreview: RequestHandler = (request, response, next) => {
    // CSRF was checked from the URL by the app-wide middleware before this reads the file.
    importUpload(request, response, async (error: unknown) => {
      try {
        if (error) return renderImportForm(response, 422, (error as { code?: string }).code === 'LIMIT_FILE_SIZE' ? 'mentoring:import.errors.tooLarge' : 'mentoring:import.errors.unreadable');
        const file = request.file;
        if (!file) return renderImportForm(response, 422, 'mentoring:import.errors.noFile');
        let parsed;
        try {
          parsed = await readImportFile(file.buffer, file.originalname);
        } catch (readError) {
          if (readError instanceof ImportFileError) return renderImportForm(response, 422, readError.messageKey, readError.params);
          throw readError;
        }
        const plan = await previewImport(prisma, parsed.rows);
        const fileName = file.originalname.slice(0, 200);
        const id = await previews.save({ fileName, rows: parsed.rows, validRows: plan.validRows });
        if (!id) return renderImportForm(response, 422, 'mentoring:import.errors.tooLarge');
        request.session.groupImport = { id };
        renderPreview(response, 200, plan, id, fileName, parsed.ignoredColumns, null);
      } catch (unexpected) {
        next(unexpected);
      }
    });
  };

  const importConfirm: RequestHandler = async (request, response) => {
    const id = request.session.groupImport?.id;
    const pending = id && id === request.body?.importId ? await previews.load(id) : null;
    if (!id || !pending) {
      addFlash(request, 'error', 'mentoring:import.flash.expired');
      return response.redirect(303, '/admin/groups/import');
    }
    const result = await commitImport(prisma, currentUser(request)!.id, pending.rows, pending.validRows, pending.fileName, { baseUrl });
    if (!result.ok) {
      // The database changed since the preview: show what would happen now and ask again.
      await previews.update(id, { ...pending, validRows: result.plan.validRows });
      return renderPreview(response, 409, result.plan, id, pending.fileName, [], 'mentoring:import.notice.changed');
    }
    await previews.remove(id);
    delete request.session.groupImport;
    // The rows not saved, with their problems, kept (like a preview) for a file to fix and import again.
    const problemsOf = new Map(result.plan.rows.filter((row) => row.outcome === 'error').map((row) => [row.row, row.problems]));
    const errorRows: RowWithProblems[] = pending.rows.filter((row) => problemsOf.has(row.row)).map((row) => ({ ...row, problems: problemsOf.get(row.row)! }));
    const errorsId = errorRows.length > 0 ? await previews.save({ fileName: pending.fileName, rows: errorRows, validRows: 0 }) : null;
    if (errorsId) request.session.importErrors = { id: errorsId };
    else delete request.session.importErrors;
    request.session.importResult = { newGroups: result.plan.newGroups, newParticipants: result.plan.newParticipants, skippedRows: result.plan.errorRows, errorsFile: Boolean(errorsId) };
    addFlash(request, 'success', 'mentoring:import.flash.saved');
    response.redirect(303, '/admin/groups/import/done');
  };

  const importDone: RequestHandler = (request, response) => {
    const result = request.session.importResult;
    if (!result) return response.redirect(303, '/admin/groups');
    delete request.session.importResult;
    response.render('mentoring/import-done', { titleKey: 'mentoring:import.doneTitle', result });
  };

  /** The rows of the last saved import that had errors, as a CSV to fix and import again (with an "errors" column). */
  const importErrors: RequestHandler = async (request, response) => {
    const id = request.session.importErrors?.id;
    const kept = id ? await previews.load(id) : null;
    if (!kept) {
      addFlash(request, 'error', 'mentoring:notices.importErrors.gone');
      return response.redirect(303, '/admin/groups/import');
    }
    const rows = kept.rows as RowWithProblems[];
    const describe = (problem: RowProblem) => `${problem.column ? `${problem.column}: ` : ''}${request.t(problem.key, problem.params ?? {})}`;
    const table = [
      [...importColumns, 'errors'],
      ...rows.map((row) => [...importColumns.map((column) => row.record[column] ?? ''), (row.problems ?? []).map(describe).join('; ')]),
    ];
    const baseName = kept.fileName.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}_-]+/gu, '-').slice(0, 80) || 'import';
    response.set('Cache-Control', 'no-store').type(csvContentType).set('Content-Disposition', attachmentDisposition(`${baseName}-errors.csv`)).send(csvText(table));
  };

  return {
    importErrors,
    list, newForm, create, show, editForm, update,
    confirmProposal: confirmProposalHandler, refuseProposal: refuseProposalHandler,
    addParticipant: addParticipantHandler, editParticipant, updateParticipant: updateParticipantHandler, removeParticipant: removeParticipantHandler,
    importForm, importTemplate, importPreview, importConfirm, importDone,
  };
}

declare module 'express-session' {
  interface SessionData {
    importResult?: { newGroups: number; newParticipants: number; skippedRows: number; errorsFile?: boolean };
    /** The rows of the last saved import that had errors (their file: import-previews.ts). */
    importErrors?: { id: string };
  }
}

import type { Request, RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { addFlash } from '../../http/flash.ts';
import { currentUser } from '../../http/guards.ts';
import { listValue, textValues } from '../../http/form-values.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { idParam } from '../../http/request-params.ts';
import { calendarDateParam } from './month-rules.ts';
import { trainingPhases } from '../../lib/enum-lists.ts';
import { attendanceMarks, trainingDays, trainingFormFields, trainingFormSchema, typedTrainingDays } from './training.schemas.ts';
import { trainingOfTrainer } from './trainings.service.ts';
import { createTraining, listMentorsForTrainerChoice, listTrainings, saveTrainingAttendance, setTrainer, trainingDetail, trainingFormOptions, updateTraining } from './trainings.service.ts';

export function trainingHandlers(prisma: PrismaClient) {
  const list: RequestHandler = async (_request, response) => {
    response.render('mentoring/trainings-list', { titleKey: 'mentoring:trainings.title', trainings: await listTrainings(prisma, response.locals.lang as string) });
  };

  async function renderForm(response: Response, status: number, trainingId: number | null, values: Record<string, unknown>, errors: Record<string, string>) {
    response.status(status).render('mentoring/training-form', {
      titleKey: trainingId ? 'mentoring:trainings.editTitle' : 'mentoring:trainings.newTitle',
      trainingId,
      values,
      errors,
      phases: trainingPhases,
      ...(await trainingFormOptions(prisma, response.locals.lang as string)),
    });
  }

  function submitted(request: Request): Record<string, unknown> {
    return { ...textValues(request.body, trainingFormFields), days: typedTrainingDays(request.body?.days), trainerIds: listValue(request.body?.trainerIds), groupIds: listValue(request.body?.groupIds) };
  }

  const newForm: RequestHandler = (_request, response) => renderForm(response, 200, null, { phase: 'PROGRAMME_START', days: typedTrainingDays([]), trainerIds: [], groupIds: [] }, {});

  const create: RequestHandler = async (request, response) => {
    const parsed = trainingFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderForm(response, 422, null, submitted(request), fieldErrorsOf(parsed.error));
    const result = await createTraining(prisma, currentUser(request)!.id, parsed.data);
    if (!result.ok) return renderForm(response, 422, null, submitted(request), result.errors);
    addFlash(request, 'success', 'mentoring:trainings.flash.created');
    response.redirect(303, `/admin/trainings/${result.id}`);
  };

  const show: RequestHandler = async (request, response) => {
    response.render('mentoring/training-detail', { titleKey: 'mentoring:trainings.detailTitle', ...(await trainingDetail(prisma, idParam(request, 'trainingId'), response.locals.lang as string)), days: trainingDays });
  };

  const editForm: RequestHandler = async (request, response) => {
    const { training } = await trainingDetail(prisma, idParam(request, 'trainingId'), response.locals.lang as string);
    await renderForm(response, 200, training.id, {
      phase: training.phase,
      regionId: String(training.regionId),
      title: training.title,
      place: training.place ?? '',
      // A training recorded before its days were: its first and last day, the two between to fill in.
      days: typedTrainingDays(training.days.length > 0 ? training.days.map(calendarDateParam) : [calendarDateParam(training.startsOn), '', '', calendarDateParam(training.endsOn)]),
      daysReason: training.daysReason ?? '',
      trainerIds: training.trainers.map((entry) => String(entry.userId)),
      groupIds: training.groups.map((entry) => String(entry.groupId)),
    }, {});
  };

  const update: RequestHandler = async (request, response) => {
    const trainingId = idParam(request, 'trainingId');
    await trainingDetail(prisma, trainingId, response.locals.lang as string);
    const parsed = trainingFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderForm(response, 422, trainingId, submitted(request), fieldErrorsOf(parsed.error));
    const result = await updateTraining(prisma, currentUser(request)!.id, trainingId, parsed.data);
    if (!result.ok) return renderForm(response, 422, trainingId, submitted(request), result.errors);
    addFlash(request, 'success', 'mentoring:trainings.flash.updated');
    response.redirect(303, `/admin/trainings/${trainingId}`);
  };

  const saveAttendance: RequestHandler = async (request, response) => {
    const trainingId = idParam(request, 'trainingId');
    await saveTrainingAttendance(prisma, currentUser(request)!.id, trainingId, attendanceMarks(request.body?.present));
    addFlash(request, 'success', 'mentoring:trainings.flash.attendanceSaved');
    response.redirect(303, `/admin/trainings/${trainingId}#attendance`);
  };

  const trainers: RequestHandler = async (_request, response) => {
    response.render('mentoring/trainers', { titleKey: 'mentoring:trainers.title', mentors: await listMentorsForTrainerChoice(prisma, response.locals.lang as string) });
  };

  const setTrainerHandler: RequestHandler = async (request, response) => {
    await setTrainer(prisma, currentUser(request)!.id, idParam(request, 'userId'), request.body?.isTrainer === 'yes');
    addFlash(request, 'success', 'mentoring:trainers.flash.saved');
    response.redirect(303, '/admin/trainings/trainers');
  };

  /** The trainer's own training (a mentor selected as its trainer; any other: 404). */
  const trainerShow: RequestHandler = async (request, response) => {
    const detail = await trainingOfTrainer(prisma, currentUser(request)!.id, idParam(request, 'trainingId'), response.locals.lang as string);
    response.render('mentoring/trainer-training', { titleKey: 'mentoring:trainings.detailTitle', ...detail, days: trainingDays });
  };

  const trainerSaveAttendance: RequestHandler = async (request, response) => {
    const userId = currentUser(request)!.id;
    const trainingId = idParam(request, 'trainingId');
    await trainingOfTrainer(prisma, userId, trainingId, response.locals.lang as string);
    await saveTrainingAttendance(prisma, userId, trainingId, attendanceMarks(request.body?.present));
    addFlash(request, 'success', 'mentoring:trainings.flash.attendanceSaved');
    response.redirect(303, `/mentor/trainings/${trainingId}#attendance`);
  };

  return { list, newForm, create, show, editForm, update, saveAttendance, trainers, setTrainer: setTrainerHandler, trainerShow, trainerSaveAttendance };
}

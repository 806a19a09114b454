/**
 * Trainings: some mentors are trainers; a training lasts four days at the start or the end of the
 * programme, for the participants of some groups of a region, with attendance recorded per day.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import type { FormResult } from '../../lib/form-result.ts';
import { trainingDays, type TrainingForm } from './training.schemas.ts';
import { inGroupParticipant } from './participant-scope.ts';
import { sortByText } from '../../lib/collation.ts';

/** A training's trainers and groups (and the groups' participants, when loaded) by name in `language`. */
export function trainingNamesInOrder<
  Trainer extends { userId: number; user: { fullName: string } },
  Group extends { groupId: number; group: { name: string; participants?: { id: number; fullName: string }[] } },
  Training extends { trainers: Trainer[]; groups: Group[] },
>(training: Training, language: string): Training {
  return {
    ...training,
    trainers: sortByText(training.trainers, (entry) => entry.user.fullName, language, (entry) => entry.userId),
    groups: sortByText(training.groups, (entry) => entry.group.name, language, (entry) => entry.groupId).map((entry) =>
      entry.group.participants ? { ...entry, group: { ...entry.group, participants: sortByText(entry.group.participants, (participant) => participant.fullName, language, (participant) => participant.id) } } : entry,
    ),
  };
}

/** Latest first, each with its trainers and groups by name in the page's language. */
export async function listTrainings(prisma: PrismaClient, language: string) {
  const trainings = await prisma.training.findMany({
    orderBy: [{ startsOn: 'desc' }, { id: 'desc' }],
    include: {
      region: true,
      trainers: { include: { user: { select: { fullName: true } } } },
      groups: { include: { group: { select: { name: true } } } },
      _count: { select: { attendance: true } },
    },
  });
  return trainings.map((training) => trainingNamesInOrder(training, language));
}

/** Trainers and groups (by name in the page's language), for the training form. */
export async function trainingFormOptions(prisma: PrismaClient, language: string) {
  const [regions, trainers, groups] = await Promise.all([
    prisma.region.findMany({ where: { isActive: true }, orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }] }),
    prisma.user.findMany({ where: { role: 'MENTOR', isActive: true, isTrainer: true }, select: { id: true, fullName: true } }),
    prisma.youthGroup.findMany({ select: { id: true, name: true, regionId: true } }),
  ]);
  return {
    regions,
    trainers: sortByText(trainers, (trainer) => trainer.fullName, language, (trainer) => trainer.id),
    groups: sortByText(groups, (group) => group.name, language, (group) => group.id),
  };
}

async function trainingProblems(prisma: PrismaClient, form: TrainingForm): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  const [region, trainers, groups] = await Promise.all([
    prisma.region.findUnique({ where: { id: form.regionId }, select: { id: true } }),
    prisma.user.count({ where: { id: { in: form.trainerIds }, role: 'MENTOR', isTrainer: true } }),
    prisma.youthGroup.findMany({ where: { id: { in: form.groupIds } }, select: { regionId: true } }),
  ]);
  if (!region) errors.regionId = 'mentoring:errors.regionRequired';
  if (trainers !== form.trainerIds.length) errors.trainerIds = 'mentoring:errors.trainerUnknown';
  if (groups.length !== form.groupIds.length) errors.groupIds = 'mentoring:errors.groupsRequired';
  else if (groups.some((group) => group.regionId !== form.regionId)) errors.groupIds = 'mentoring:errors.groupsOtherRegion';
  return errors;
}

function trainingData(form: TrainingForm) {
  return { phase: form.phase, regionId: form.regionId, title: form.title, place: form.place, startsOn: form.startsOn, endsOn: form.endsOn, days: form.days, daysReason: form.daysReason };
}

export async function createTraining(prisma: PrismaClient, actorId: number, form: TrainingForm): Promise<FormResult<{ id: number }>> {
  const errors = await trainingProblems(prisma, form);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const id = await prisma.$transaction(async (tx) => {
    const training = await tx.training.create({
      data: {
        ...trainingData(form),
        trainers: { create: form.trainerIds.map((userId) => ({ userId })) },
        groups: { create: form.groupIds.map((groupId) => ({ groupId })) },
      },
      select: { id: true },
    });
    await recordAudit(tx, { actorId, action: 'training.created', entityType: 'Training', entityId: training.id, details: { title: form.title, trainers: form.trainerIds, groups: form.groupIds } });
    return training.id;
  });
  return { ok: true, id };
}

export async function updateTraining(prisma: PrismaClient, actorId: number, trainingId: number, form: TrainingForm): Promise<FormResult> {
  const errors = await trainingProblems(prisma, form);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  await prisma.$transaction(async (tx) => {
    const exists = await tx.training.count({ where: { id: trainingId } });
    if (exists === 0) throw new NotFoundError(`No training ${trainingId}`);
    await tx.training.update({ where: { id: trainingId }, data: trainingData(form) });
    await tx.trainingTrainer.deleteMany({ where: { trainingId } });
    await tx.trainingTrainer.createMany({ data: form.trainerIds.map((userId) => ({ trainingId, userId })) });
    await tx.trainingGroup.deleteMany({ where: { trainingId } });
    await tx.trainingGroup.createMany({ data: form.groupIds.map((groupId) => ({ trainingId, groupId })) });
    // Attendance of participants whose group left the training no longer belongs to it.
    await tx.trainingAttendance.deleteMany({ where: { trainingId, participant: { groupId: { notIn: form.groupIds } } } });
    await recordAudit(tx, { actorId, action: 'training.updated', entityType: 'Training', entityId: trainingId, details: { title: form.title, trainers: form.trainerIds, groups: form.groupIds } });
  });
  return { ok: true };
}

/** The training with its groups' participants and the attendance recorded so far. */
async function findTraining(prisma: PrismaClient, trainingId: number) {
  const training = await prisma.training.findUnique({
    where: { id: trainingId },
    include: {
      region: true,
      trainers: { include: { user: { select: { id: true, fullName: true } } } },
      groups: { include: { group: { include: { participants: { where: inGroupParticipant } } } } },
      attendance: true,
    },
  });
  if (!training) throw new NotFoundError(`No training ${trainingId}`);
  return training;
}

/** The training's page: trainers, groups and each group's participants by name in the page's language, and the attendance. */
export async function trainingDetail(prisma: PrismaClient, trainingId: number, language: string) {
  const training = trainingNamesInOrder(await findTraining(prisma, trainingId), language);
  const present = new Set(training.attendance.filter((row) => row.present).map((row) => `${row.participantId}:${row.day}`));
  const presentPerDay = trainingDays.map((day) => training.attendance.filter((row) => row.day === day && row.present).length);
  return { training, present, presentPerDay, recorded: training.attendance.length > 0 };
}

/** The training of one of its trainers (a mentor), or 404: she marks attendance only for her own trainings. */
export async function trainingOfTrainer(prisma: PrismaClient, userId: number, trainingId: number, language: string) {
  const isTrainer = await prisma.trainingTrainer.count({ where: { trainingId, userId } });
  if (isTrainer === 0) throw new NotFoundError(`User ${userId} is not a trainer of training ${trainingId}`);
  return trainingDetail(prisma, trainingId, language);
}

/** Replaces the attendance sheet: every participant of the training's groups, present or not, for each of the 4 days. */
export async function saveTrainingAttendance(prisma: PrismaClient, actorId: number, trainingId: number, marks: Set<string>): Promise<void> {
  const training = await findTraining(prisma, trainingId);
  const participantIds = training.groups.flatMap((entry) => entry.group.participants.map((participant) => participant.id));
  const rows = participantIds.flatMap((participantId) => trainingDays.map((day) => ({ trainingId, participantId, day, present: marks.has(`${participantId}:${day}`) })));
  await prisma.$transaction(async (tx) => {
    await tx.trainingAttendance.deleteMany({ where: { trainingId } });
    if (rows.length > 0) await tx.trainingAttendance.createMany({ data: rows });
    await recordAudit(tx, {
      actorId,
      action: 'training.attendance_saved',
      entityType: 'Training',
      entityId: trainingId,
      details: { presentPerDay: trainingDays.map((day) => rows.filter((row) => row.day === day && row.present).length) },
    });
  });
}

/** Every mentor by name in the page's language, with whether she is a trainer. */
export async function listMentorsForTrainerChoice(prisma: PrismaClient, language: string) {
  const mentors = await prisma.user.findMany({
    where: { role: 'MENTOR' },
    select: { id: true, fullName: true, email: true, isActive: true, isTrainer: true, _count: { select: { trainingsAsTrainer: true, mentoredGroups: true } } },
  });
  return sortByText(mentors, (mentor) => mentor.fullName, language, (mentor) => mentor.id);
}

export async function setTrainer(prisma: PrismaClient, actorId: number, userId: number, isTrainer: boolean): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { id: userId, role: 'MENTOR' }, select: { isTrainer: true } });
    if (!user) throw new NotFoundError(`No mentor ${userId}`);
    if (user.isTrainer === isTrainer) return;
    await tx.user.update({ where: { id: userId }, data: { isTrainer } });
    await recordAudit(tx, { actorId, action: isTrainer ? 'user.trainer_granted' : 'user.trainer_revoked', entityType: 'User', entityId: userId });
  });
}

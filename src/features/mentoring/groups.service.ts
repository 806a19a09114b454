/**
 * Youth groups and their participants (the coordinator's side). A participant's IIN is registered once
 * across all groups: it is what makes that person ineligible as a mentor applicant.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import { monthStartOf } from '../../lib/dates.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { ageFromIin, type GroupForm, type ParticipantForm } from './group.schemas.ts';
import { complianceStateOf, isProgrammeMonth, monthParam, programmeMonthsOf } from './month-rules.ts';
import { isUniqueViolation } from '../../db/unique-violation.ts';
import type { FormResult } from '../../lib/form-result.ts';
import { notifyMentorOfGroup } from './group-assignment-notice.ts';
import { inGroupParticipant, pendingProposal } from './participant-scope.ts';
import { compareText, sortByText } from '../../lib/collation.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** Regions and active mentors (by name in the page's language) for the selects of the forms and filters. */
export async function groupFormOptions(prisma: Db, language: string) {
  const [regions, mentors] = await Promise.all([
    prisma.region.findMany({ where: { isActive: true }, orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }] }),
    prisma.user.findMany({ where: { role: 'MENTOR', isActive: true }, select: { id: true, fullName: true, email: true, isTrainer: true } }),
  ]);
  return { regions, mentors: sortByText(mentors, (mentor) => mentor.fullName, language, (mentor) => mentor.id) };
}

export interface GroupFilter {
  regionId?: number;
  /** A mentor's id, or "none" for groups nobody mentors yet. */
  mentor?: number | 'none';
}

/** The region and mentor filters of the group list and the compliance grid ("none": no mentor yet). */
export function groupFilterWhere(filter: GroupFilter): Prisma.YouthGroupWhereInput {
  return {
    ...(filter.regionId ? { regionId: filter.regionId } : {}),
    ...(filter.mentor === 'none' ? { mentorId: null } : filter.mentor ? { mentorId: filter.mentor } : {}),
  };
}

/** The groups by region, then by name in the page's language. */
export async function listGroups(prisma: PrismaClient, filter: GroupFilter, language: string, now = new Date()) {
  const currentMonth = monthStartOf(now);
  const where = groupFilterWhere(filter);
  const found = await prisma.youthGroup.findMany({
    where,
    include: {
      region: true,
      mentor: { select: { id: true, fullName: true } },
      _count: { select: { participants: { where: inGroupParticipant } } },
      protocols: { where: { month: currentMonth }, select: { status: true, submittedAt: true } },
    },
  });
  const compareNames = compareText(language);
  const groups = found.sort((a, b) => a.region.sortOrder - b.region.sortOrder || a.regionId - b.regionId || compareNames(a.name, b.name) || a.id - b.id);
  return groups.map((group) => ({
    ...group,
    currentMonthState: isProgrammeMonth(group, currentMonth) ? complianceStateOf(currentMonth, currentMonth, group.protocols[0]) : null,
  }));
}

/** The IINs among `iins` already registered in a group: iin → group name. */
export async function registeredIins(db: Db, iins: string[], exceptParticipantId?: number): Promise<Map<string, string>> {
  if (iins.length === 0) return new Map();
  const rows = await db.groupParticipant.findMany({
    where: { iin: { in: iins }, ...(exceptParticipantId ? { id: { not: exceptParticipantId } } : {}) },
    select: { iin: true, group: { select: { name: true } } },
  });
  return new Map(rows.map((row) => [row.iin!, row.group.name]));
}

async function referenceProblems(db: Db, form: GroupForm): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  const [region, mentor] = await Promise.all([
    db.region.findUnique({ where: { id: form.regionId }, select: { id: true } }),
    form.mentorId ? db.user.findFirst({ where: { id: form.mentorId, role: 'MENTOR', isActive: true }, select: { id: true } }) : null,
  ]);
  if (!region) errors.regionId = 'mentoring:errors.regionRequired';
  if (form.mentorId && !mentor) errors.mentorId = 'mentoring:errors.mentorUnknown';
  return errors;
}

function groupData(form: GroupForm) {
  return {
    name: form.name,
    regionId: form.regionId,
    projectTitle: form.projectTitle,
    projectDescription: form.projectDescription,
    hostOrganisationName: form.hostOrganisationName,
    hostOrganisationHead: form.hostOrganisationHead,
    hostOrganisationAccountant: form.hostOrganisationAccountant,
    programmeStartMonth: form.programmeStartMonth,
    programmeMonths: form.programmeMonths,
    mentorId: form.mentorId,
  };
}

/** `baseUrl`: for the link in the e-mail to the mentor the group is assigned to. */
export async function createGroup(prisma: PrismaClient, actorId: number, form: GroupForm, notice: { baseUrl: string }): Promise<FormResult<{ id: number }>> {
  const errors = await referenceProblems(prisma, form);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const id = await prisma.$transaction(async (tx) => {
    const group = await tx.youthGroup.create({ data: groupData(form), select: { id: true } });
    await recordAudit(tx, {
      actorId,
      action: 'group.created',
      entityType: 'YouthGroup',
      entityId: group.id,
      details: { name: form.name, regionId: form.regionId, startMonth: monthParam(form.programmeStartMonth), months: form.programmeMonths, mentorId: form.mentorId },
    });
    if (form.mentorId) await notifyMentorOfGroup(tx, { groupId: group.id, mentorId: form.mentorId, baseUrl: notice.baseUrl });
    return group.id;
  });
  return { ok: true, id };
}

export async function updateGroup(prisma: PrismaClient, actorId: number, groupId: number, form: GroupForm, notice: { baseUrl: string }): Promise<FormResult> {
  const errors = await referenceProblems(prisma, form);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return prisma.$transaction(async (tx): Promise<FormResult> => {
    const before = await tx.youthGroup.findUnique({ where: { id: groupId }, include: { protocols: { select: { month: true } } } });
    if (!before) throw new NotFoundError(`No group ${groupId}`);
    // Protocols already written must stay inside the programme.
    if (before.protocols.some((protocol) => !isProgrammeMonth(form, protocol.month))) {
      return { ok: false, errors: { programmeStartMonth: 'mentoring:errors.periodExcludesProtocols' } };
    }
    const data = groupData(form);
    await tx.youthGroup.update({ where: { id: groupId }, data });
    const comparable = (value: unknown) => (value instanceof Date ? monthParam(value) : value ?? null);
    const previous = before as unknown as Record<string, unknown>;
    const changed = Object.fromEntries(
      Object.entries(data)
        .filter(([key, value]) => comparable(value) !== comparable(previous[key]))
        .map(([key, value]) => [key, comparable(value)]),
    );
    await recordAudit(tx, { actorId, action: 'group.updated', entityType: 'YouthGroup', entityId: groupId, details: { changed } as Prisma.InputJsonValue });
    if (before.mentorId !== form.mentorId) {
      await recordAudit(tx, { actorId, action: 'group.mentor_assigned', entityType: 'YouthGroup', entityId: groupId, details: { from: before.mentorId, to: form.mentorId } });
      if (form.mentorId) await notifyMentorOfGroup(tx, { groupId, mentorId: form.mentorId, baseUrl: notice.baseUrl });
    }
    return { ok: true };
  });
}

/** The group page: details, participants (by name in the page's language), each programme month with its protocol. */
export async function groupDetail(prisma: PrismaClient, groupId: number, language: string, now = new Date()) {
  const found = await prisma.youthGroup.findUnique({
    where: { id: groupId },
    include: {
      region: true,
      mentor: { select: { id: true, fullName: true, email: true } },
      participants: { where: inGroupParticipant, include: { _count: { select: { attendance: true, trainings: true } } } },
      protocols: { select: { id: true, month: true, status: true, submittedAt: true } },
    },
  });
  if (!found) throw new NotFoundError(`No group ${groupId}`);
  const group = { ...found, participants: sortByText(found.participants, (participant) => participant.fullName, language, (participant) => participant.id) };
  const currentMonth = monthStartOf(now);
  const proposals = await prisma.groupParticipant.findMany({ where: { groupId, ...pendingProposal }, orderBy: [{ id: 'asc' }] });
  return {
    group,
    proposals,
    months: programmeMonthsOf(group).map((month) => {
      const protocol = group.protocols.find((entry) => entry.month.getTime() === month.getTime());
      return { month, protocol, state: complianceStateOf(month, currentMonth, protocol) };
    }),
  };
}

function participantData(form: ParticipantForm, now: Date) {
  // No age typed: the one the IIN's date of birth gives.
  return { fullName: form.fullName, iin: form.iin, age: form.age ?? ageFromIin(form.iin, now), contact: form.contact };
}

/** A participant form's answer; a duplicate IIN names the group that already holds it. */
export type ParticipantResult = { ok: true } | { ok: false; errors: Record<string, string>; registeredIn?: { id: number; name: string } };

/** The group that already holds this IIN (another participant than `exceptParticipantId`), if any. */
async function groupHoldingIin(db: Db, iin: string, exceptParticipantId?: number): Promise<{ id: number; name: string } | null> {
  const holder = await db.groupParticipant.findFirst({
    where: { iin, ...(exceptParticipantId ? { id: { not: exceptParticipantId } } : {}) },
    select: { group: { select: { id: true, name: true } } },
  });
  return holder?.group ?? null;
}

async function duplicateIin(db: Db, iin: string, exceptParticipantId?: number): Promise<ParticipantResult> {
  const registeredIn = await groupHoldingIin(db, iin, exceptParticipantId);
  return { ok: false, errors: { iin: 'mentoring:errors.iinRegistered' }, ...(registeredIn ? { registeredIn } : {}) };
}

export async function addParticipant(prisma: PrismaClient, actorId: number, groupId: number, form: ParticipantForm, now = new Date()): Promise<ParticipantResult> {
  const group = await prisma.youthGroup.findUnique({ where: { id: groupId }, select: { id: true } });
  if (!group) throw new NotFoundError(`No group ${groupId}`);
  const registered = await registeredIins(prisma, [form.iin]);
  if (registered.size > 0) return duplicateIin(prisma, form.iin);
  try {
    await prisma.$transaction(async (tx) => {
      const participant = await tx.groupParticipant.create({ data: { groupId, ...participantData(form, now) }, select: { id: true } });
      await recordAudit(tx, { actorId, action: 'participant.added', entityType: 'GroupParticipant', entityId: participant.id, details: { groupId } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return duplicateIin(prisma, form.iin);
    throw error;
  }
  return { ok: true };
}

export async function findParticipant(prisma: PrismaClient, groupId: number, participantId: number) {
  const participant = await prisma.groupParticipant.findFirst({ where: { id: participantId, groupId }, include: { group: { select: { id: true, name: true } } } });
  if (!participant) throw new NotFoundError(`No participant ${participantId} in group ${groupId}`);
  return participant;
}

export async function updateParticipant(prisma: PrismaClient, actorId: number, groupId: number, participantId: number, form: ParticipantForm, now = new Date()): Promise<ParticipantResult> {
  await findParticipant(prisma, groupId, participantId);
  const registered = await registeredIins(prisma, [form.iin], participantId);
  if (registered.size > 0) return duplicateIin(prisma, form.iin, participantId);
  await prisma.$transaction(async (tx) => {
    await tx.groupParticipant.update({ where: { id: participantId }, data: participantData(form, now) });
    await recordAudit(tx, { actorId, action: 'participant.updated', entityType: 'GroupParticipant', entityId: participantId, details: { groupId } });
  });
  return { ok: true };
}

/** A participant with recorded attendance stays: removing them would rewrite past protocols. */
export async function removeParticipant(prisma: PrismaClient, actorId: number, groupId: number, participantId: number): Promise<{ ok: boolean }> {
  const participant = await findParticipant(prisma, groupId, participantId);
  const [sessions, trainings] = await Promise.all([
    prisma.protocolAttendance.count({ where: { participantId } }),
    prisma.trainingAttendance.count({ where: { participantId } }),
  ]);
  if (sessions + trainings > 0) return { ok: false };
  await prisma.$transaction(async (tx) => {
    await tx.groupParticipant.delete({ where: { id: participantId } });
    await recordAudit(tx, { actorId, action: 'participant.removed', entityType: 'GroupParticipant', entityId: participantId, details: { groupId, fullName: participant.fullName } });
  });
  return { ok: true };
}

/**
 * Session protocols: one per group per programme month (the database's unique key on groupId+month
 * decides between two concurrent first saves). A mentor writes drafts and submits; a submitted protocol
 * is locked until a coordinator returns it with a comment (the mentor is e-mailed), then it is resubmitted.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { ProtocolStatus } from '../../generated/prisma/enums.ts';
import { formatMonth } from '../../lib/dates.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import type { EmailLanguage } from '../mail/email-templates.ts';
import { enqueueEmail } from '../mail/outbox.service.ts';
import { calendarDateParam, complianceStateOf, isProgrammeMonth, monthParam, monthStartOf, todayInProgramme } from './month-rules.ts';
import { checkProtocol, type ProtocolFormValues } from './protocol.schemas.ts';
import { isUniqueViolation } from '../../db/unique-violation.ts';
import { inGroupParticipant } from './participant-scope.ts';
import { compareText, sortByText } from '../../lib/collation.ts';

/** The mentor's own group, or 404: another mentor's group does not exist for them. */
export async function findMentorGroup(prisma: PrismaClient, mentorId: number, groupId: number) {
  const group = await prisma.youthGroup.findFirst({
    where: { id: groupId, mentorId },
    include: { region: true, participants: { where: inGroupParticipant, orderBy: { id: 'asc' } } },
  });
  if (!group) throw new NotFoundError(`Group ${groupId} is not assigned to mentor ${mentorId}`);
  return group;
}

/** The participants of a group as a page lists them: by name in the page's language. */
export function participantsByName<T extends { id: number; fullName: string }>(participants: readonly T[], language: string): T[] {
  return sortByText(participants, (participant) => participant.fullName, language, (participant) => participant.id);
}

/** A month outside the programme of the mentor's own group: a 404 that the page explains to her. */
export class MonthOutsideProgrammeError extends NotFoundError {
  constructor(readonly group: { id: number; name: string; programmeStartMonth: Date; programmeMonths: number }, readonly month: Date) {
    super(`Month ${monthParam(month)} is not in the programme of group ${group.id}`);
  }
}

const protocolInclude = {
  attendance: { select: { participantId: true } },
  returnedBy: { select: { fullName: true } },
  attachments: { orderBy: { uploadedAt: 'asc' } },
} satisfies Prisma.SessionProtocolInclude;

/** The protocol of one of the mentor's groups and its state; 404 for a month outside the group's programme. */
async function mentorProtocolOf(prisma: PrismaClient, mentorId: number, groupId: number, month: Date, now: Date) {
  const group = await findMentorGroup(prisma, mentorId, groupId);
  if (!isProgrammeMonth(group, month)) throw new MonthOutsideProgrammeError(group, month);
  const protocol = await prisma.sessionProtocol.findUnique({ where: { groupId_month: { groupId, month } }, include: protocolInclude });
  const currentMonth = monthStartOf(now);
  const isFuture = month.getTime() > currentMonth.getTime();
  return {
    group,
    month,
    protocol,
    state: complianceStateOf(month, currentMonth, protocol),
    isFuture,
    editable: !isFuture && protocol?.status !== 'SUBMITTED',
    today: todayInProgramme(now),
  };
}

/** Everything the mentor's protocol page shows, the attendance list by name in the page's language. */
export async function loadMentorProtocol(prisma: PrismaClient, mentorId: number, groupId: number, month: Date, language: string, now = new Date()) {
  const page = await mentorProtocolOf(prisma, mentorId, groupId, month, now);
  return { ...page, group: { ...page.group, participants: participantsByName(page.group.participants, language) } };
}

export type MentorProtocolPage = Awaited<ReturnType<typeof loadMentorProtocol>>;

/** The stored protocol as form values (strings), for the edit form. */
export function formValuesOf(protocol: MentorProtocolPage['protocol']): ProtocolFormValues {
  return {
    sessionDate: protocol?.sessionDate ? calendarDateParam(protocol.sessionDate) : '',
    format: protocol?.format ?? '',
    place: protocol?.place ?? '',
    durationMinutes: protocol?.durationMinutes ? String(protocol.durationMinutes) : '',
    attendance: protocol?.attendance.map((row) => String(row.participantId)) ?? [],
    issuesRaised: protocol?.issuesRaised ?? '',
    solutions: protocol?.solutions ?? '',
    nextSteps: protocol?.nextSteps ?? '',
    notes: protocol?.notes ?? '',
    version: protocol ? versionOf(protocol.updatedAt) : '',
  };
}

/** The optimistic-locking token a form carries: the protocol's updatedAt in milliseconds. */
export function versionOf(updatedAt: Date): string {
  return String(updatedAt.getTime());
}

export type SaveOutcome =
  /** Saved as a draft (every field valid) or submitted. */
  | { kind: 'saved'; status: ProtocolStatus; version: string }
  /** A draft was saved, but some fields were not (their previous values are kept). */
  | { kind: 'savedWithErrors'; errors: Record<string, string>; version: string }
  /** "Submit" with missing or invalid fields: what was valid is saved, the protocol stays a draft. */
  | { kind: 'notSubmitted'; errors: Record<string, string>; version: string }
  /** Nothing saved: submitted meanwhile (locked), or changed/created in another window. */
  | { kind: 'conflict'; reason: 'locked' | 'changedElsewhere' | 'alreadyExists'; version: string };

class SaveConflict extends Error {
  constructor(readonly reason: 'locked' | 'changedElsewhere') {
    super(reason);
  }
}

export interface SaveProtocolInput {
  mentorId: number;
  groupId: number;
  month: Date;
  values: ProtocolFormValues;
  submit: boolean;
  /**
   * Saved by protocol-autosave.js while she types: never a submission, never a submitted protocol, and
   * no audit entry for every few seconds of typing (only the protocol's creation is recorded).
   */
  autosave?: boolean;
  now?: Date;
}

/**
 * Saves the mentor's protocol. Never loses what was typed: every valid field is saved even when
 * others are invalid, and a conflict leaves the caller with the typed values to show again.
 */
export async function saveMentorProtocol(prisma: PrismaClient, input: SaveProtocolInput): Promise<SaveOutcome> {
  const now = input.now ?? new Date();
  const page = await mentorProtocolOf(prisma, input.mentorId, input.groupId, input.month, now);
  if (page.isFuture) throw new ConflictError('Protocol for a future month', 'mentoring:protocol.futureMonth');
  const { group, month } = page;
  const submit = input.submit && !input.autosave;
  const checked = checkProtocol(input.values, { month, period: group, participantIds: group.participants.map((participant) => participant.id), today: page.today }, submit);
  const hasErrors = Object.keys(checked.errors).length > 0;
  const submitting = submit && !hasErrors;
  const { attendanceIds, ...fields } = checked.data;

  try {
    const saved = await prisma.$transaction(async (tx) => {
      const existing = await tx.sessionProtocol.findUnique({
        where: { groupId_month: { groupId: group.id, month } },
        select: { id: true, status: true, updatedAt: true, submittedAt: true },
      });
      if (existing?.status === 'SUBMITTED') throw new SaveConflict('locked');
      const expectedVersion = existing ? versionOf(existing.updatedAt) : '';
      if (input.values.version !== expectedVersion) throw new SaveConflict('changedElsewhere');

      let protocolId: number;
      let status: ProtocolStatus;
      if (!existing) {
        status = submitting ? 'SUBMITTED' : 'DRAFT';
        const created = await tx.sessionProtocol.create({
          data: { groupId: group.id, month, mentorId: input.mentorId, status, ...fields, submittedAt: submitting ? now : null },
          select: { id: true },
        });
        protocolId = created.id;
      } else {
        // A returned protocol stays "returned" while it is being corrected.
        status = submitting ? 'SUBMITTED' : existing.status;
        const updated = await tx.sessionProtocol.updateMany({
          where: { id: existing.id, status: existing.status, updatedAt: existing.updatedAt },
          // "Late" is about the first submission: a resubmission after a return keeps that time.
          data: { ...fields, status, submittedAt: submitting ? (existing.submittedAt ?? now) : undefined },
        });
        if (updated.count === 0) throw new SaveConflict('changedElsewhere');
        protocolId = existing.id;
      }
      await tx.protocolAttendance.deleteMany({ where: { protocolId } });
      if (attendanceIds.length > 0) await tx.protocolAttendance.createMany({ data: attendanceIds.map((participantId) => ({ protocolId, participantId })) });

      const action = submitting ? (existing?.status === 'RETURNED' ? 'protocol.resubmitted' : 'protocol.submitted') : existing ? 'protocol.draft_saved' : 'protocol.created';
      if (!(input.autosave && action === 'protocol.draft_saved')) await recordAudit(tx, {
        actorId: input.mentorId,
        action,
        entityType: 'SessionProtocol',
        entityId: protocolId,
        details: { groupId: group.id, month: monthParam(month), attendance: attendanceIds.length, ...(hasErrors ? { fieldsNotSaved: Object.keys(checked.errors) } : {}) },
      });
      const after = await tx.sessionProtocol.findUniqueOrThrow({ where: { id: protocolId }, select: { updatedAt: true } });
      return { status, version: versionOf(after.updatedAt) };
    });
    if (!hasErrors) return { kind: 'saved', status: saved.status, version: saved.version };
    return submit ? { kind: 'notSubmitted', errors: checked.errors, version: saved.version } : { kind: 'savedWithErrors', errors: checked.errors, version: saved.version };
  } catch (error) {
    if (error instanceof SaveConflict || isUniqueViolation(error)) {
      // Another window (or a second click) got there first: say so, and let the mentor decide.
      const current = await prisma.sessionProtocol.findUnique({ where: { groupId_month: { groupId: group.id, month } }, select: { status: true, updatedAt: true } });
      const reason = current?.status === 'SUBMITTED' ? 'locked' : error instanceof SaveConflict ? error.reason : 'alreadyExists';
      return { kind: 'conflict', reason, version: current ? versionOf(current.updatedAt) : '' };
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The coordinator's side

/** A protocol with its group's participants by name in the page's language. */
export async function loadProtocolForCoordinator(prisma: PrismaClient, protocolId: number, language: string) {
  const protocol = await prisma.sessionProtocol.findUnique({
    where: { id: protocolId },
    include: {
      group: { include: { region: true, mentor: { select: { id: true, fullName: true, email: true } }, participants: { where: inGroupParticipant } } },
      mentor: { select: { id: true, fullName: true, email: true } },
      attendance: { select: { participantId: true } },
      returnedBy: { select: { fullName: true } },
      attachments: { orderBy: { uploadedAt: 'asc' } },
    },
  });
  if (!protocol) throw new NotFoundError(`No protocol ${protocolId}`);
  return { ...protocol, group: { ...protocol.group, participants: participantsByName(protocol.group.participants, language) } };
}

export interface ReturnProtocolInput {
  protocolId: number;
  coordinatorId: number;
  comment: string;
  baseUrl: string;
  now?: Date;
}

/** Sends a submitted protocol back to its mentor for correction, with the e-mail in the same transaction. */
export async function returnProtocol(prisma: PrismaClient, input: ReturnProtocolInput): Promise<void> {
  const now = input.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const updated = await tx.sessionProtocol.updateMany({
      where: { id: input.protocolId, status: 'SUBMITTED' },
      data: { status: 'RETURNED', returnedAt: now, returnedById: input.coordinatorId, returnComment: input.comment },
    });
    if (updated.count === 0) {
      const exists = await tx.sessionProtocol.count({ where: { id: input.protocolId } });
      if (exists === 0) throw new NotFoundError(`No protocol ${input.protocolId}`);
      throw new ConflictError('Only a submitted protocol can be returned', 'mentoring:protocol.returnNotSubmitted');
    }
    const protocol = await tx.sessionProtocol.findUniqueOrThrow({
      where: { id: input.protocolId },
      include: { group: { include: { mentor: true } }, mentor: true },
    });
    // The group's current mentor corrects it (normally the author).
    const mentor = protocol.group.mentor ?? protocol.mentor;
    const locale = mentor.locale as EmailLanguage;
    await enqueueEmail(tx, {
      to: mentor.email,
      locale,
      template: 'protocol-returned',
      data: {
        mentorName: mentor.fullName,
        groupName: protocol.group.name,
        monthLabel: formatMonth(protocol.month, locale),
        comment: input.comment,
        protocolUrl: `${input.baseUrl}/mentor/groups/${protocol.groupId}/protocols/${monthParam(protocol.month)}`,
      },
    });
    await recordAudit(tx, {
      actorId: input.coordinatorId,
      action: 'protocol.returned',
      entityType: 'SessionProtocol',
      entityId: input.protocolId,
      details: { groupId: protocol.groupId, month: monthParam(protocol.month), mentorId: mentor.id, comment: input.comment },
    });
  });
}

/**
 * All protocols of a region and month for the coordinator's export, or null for an unknown region.
 * The file carries participants' names: who took it is recorded.
 */
export async function exportRegionProtocols(prisma: PrismaClient, actorId: number, regionId: number, month: Date, language: string) {
  const region = await prisma.region.findUnique({ where: { id: regionId } });
  if (!region) return null;
  const protocols = await protocolsOfRegionAndMonth(prisma, region.id, month, language);
  await recordAudit(prisma, { actorId, action: 'protocols.exported', entityType: 'Region', entityId: region.id, details: { month: monthParam(month), protocols: protocols.length } });
  return { region, protocols };
}

/** Every protocol of one region and month (any status), by group name in `language`, for the Excel export. */
export async function protocolsOfRegionAndMonth(prisma: PrismaClient, regionId: number, month: Date, language: string) {
  const protocols = await prisma.sessionProtocol.findMany({
    where: { month, group: { regionId } },
    include: {
      group: { select: { name: true, projectTitle: true, hostOrganisationName: true } },
      mentor: { select: { fullName: true } },
      attendance: { include: { participant: { select: { fullName: true } } } },
    },
  });
  const compareNames = compareText(language);
  return protocols.sort((a, b) => compareNames(a.group.name, b.group.name) || a.id - b.id);
}

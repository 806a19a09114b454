/**
 * Import of youth groups and participants: a plan (what each row of the file would do, or why it
 * cannot) shown on a preview page, then, on confirmation, every valid row saved in one transaction.
 * A row is all or nothing; the first row of a new group describes the group.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { ageFromIin, groupFormSchema, participantAgeRange, participantFormSchema, type GroupForm, type ParticipantForm } from './group.schemas.ts';
import type { ImportRecord, ImportRow } from './group-import.parser.ts';
import { monthParam } from './month-rules.ts';
import { notifyMentorOfGroup } from './group-assignment-notice.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface RowProblem {
  /** Translation key. */
  key: string;
  /** The column it is about, when there is one. */
  column?: string;
  params?: Record<string, string | number>;
}

export interface ImportReference {
  regions: { id: number; code: string; nameRu: string; nameKk: string; nameEn: string }[];
  mentors: { id: number; email: string }[];
  existingGroups: { id: number; name: string; regionId: number }[];
  /** IINs already registered in some group: iin → that group's name. */
  registeredIins: Map<string, string>;
}

/** A row adds a new group, a new group and its first participant, a participant, nothing (a repeated group row), or has errors. */
export type RowOutcome = 'newGroup' | 'newGroupWithParticipant' | 'participant' | 'nothing' | 'error';

export interface PlannedRow {
  row: number;
  groupName: string;
  participantName: string;
  outcome: RowOutcome;
  problems: RowProblem[];
}

export interface PlannedGroup {
  key: string;
  /** Set when the group already exists: its participants are added to it. */
  existingId: number | null;
  form: GroupForm | null;
  name: string;
  regionId: number;
  participants: ParticipantForm[];
}

export interface ImportPlan {
  rows: PlannedRow[];
  groups: PlannedGroup[];
  validRows: number;
  errorRows: number;
  newGroups: number;
  newParticipants: number;
}

const groupColumns = ['project_title', 'project_description', 'host_organisation', 'host_head', 'host_accountant', 'start_month', 'months', 'mentor_email'] as const;
const participantColumns = ['participant_name', 'participant_iin', 'participant_age', 'participant_contact'] as const;

/** Column of the file for each field of the forms (to point a problem at the right cell). */
const columnOfField: Record<string, string> = {
  name: 'group_name', regionId: 'region', projectTitle: 'project_title', projectDescription: 'project_description',
  hostOrganisationName: 'host_organisation', hostOrganisationHead: 'host_head', hostOrganisationAccountant: 'host_accountant',
  programmeStartMonth: 'start_month', programmeMonths: 'months', mentorId: 'mentor_email',
  fullName: 'participant_name', iin: 'participant_iin', age: 'participant_age', contact: 'participant_contact',
};

const fold = (value: string) => value.trim().replace(/\s+/g, ' ').toLocaleLowerCase('ru');

/** "2026-03", "2026-03-01", "03.2026" or "01.03.2026" → "2026-03". */
export function normaliseMonthCell(value: string): string {
  const trimmed = value.trim();
  let match = /^(\d{4})-(\d{1,2})(?:-\d{1,2})?$/.exec(trimmed);
  if (match) return `${match[1]}-${match[2].padStart(2, '0')}`;
  match = /^(?:\d{1,2}\.)?(\d{1,2})\.(\d{4})$/.exec(trimmed);
  if (match) return `${match[2]}-${match[1].padStart(2, '0')}`;
  return trimmed;
}

function findRegion(reference: ImportReference, value: string) {
  const wanted = fold(value);
  return reference.regions.find((region) => [region.code, region.nameRu, region.nameKk, region.nameEn].some((name) => fold(name) === wanted));
}

function zodProblems(issues: { path: PropertyKey[]; message: string }[]): RowProblem[] {
  const seen = new Set<string>();
  const problems: RowProblem[] = [];
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (seen.has(field)) continue;
    seen.add(field);
    problems.push({ key: issue.message, column: columnOfField[field] });
  }
  return problems;
}

const hasAny = (record: ImportRecord, columns: readonly string[]) => columns.some((column) => (record[column as keyof ImportRecord] ?? '') !== '');

/** What each row would do. Pure: the reference data comes from the database (or a test). */
type GroupInProgress = PlannedGroup & { definedAt: number; defining: ImportRecord | null; failedAt: number | null };

export function planImport(rows: ImportRow[], reference: ImportReference, now = new Date()): ImportPlan {
  const groups = new Map<string, GroupInProgress>();
  const iinsInFile = new Map<string, number>();
  const planned: PlannedRow[] = [];

  for (const { row, record, formulaColumns } of rows) {
    const problems: RowProblem[] = [];
    // A formula with no saved value: what the cell shows is unknown, so it is refused as a formula.
    for (const column of formulaColumns ?? []) problems.push({ key: 'mentoring:import.errors.formulaCell', column });
    const groupName = (record.group_name ?? '').trim();
    const participantName = (record.participant_name ?? '').trim();
    const region = record.region ? findRegion(reference, record.region) : undefined;
    if (!groupName) problems.push({ key: 'mentoring:errors.required', column: 'group_name' });
    if (!record.region) problems.push({ key: 'mentoring:errors.required', column: 'region' });
    else if (!region) problems.push({ key: 'mentoring:import.errors.regionUnknown', column: 'region', params: { value: record.region } });

    let group: GroupInProgress | undefined;
    let definesNewGroup = false;
    if (groupName && region) {
      const key = `${fold(groupName)}|${region.id}`;
      group = groups.get(key);
      if (!group) {
        const existing = reference.existingGroups.find((candidate) => candidate.regionId === region.id && fold(candidate.name) === fold(groupName));
        group = { key, existingId: existing?.id ?? null, form: null, name: existing?.name ?? groupName, regionId: region.id, participants: [], definedAt: row, defining: null, failedAt: null };
        groups.set(key, group);
        if (!existing) {
          const mentorEmail = (record.mentor_email ?? '').trim().toLowerCase();
          const mentor = mentorEmail ? reference.mentors.find((candidate) => candidate.email.toLowerCase() === mentorEmail) : undefined;
          if (mentorEmail && !mentor) problems.push({ key: 'mentoring:errors.mentorUnknown', column: 'mentor_email' });
          const parsed = groupFormSchema.safeParse({
            name: groupName,
            regionId: String(region.id),
            projectTitle: record.project_title ?? '',
            projectDescription: record.project_description ?? '',
            hostOrganisationName: record.host_organisation ?? '',
            hostOrganisationHead: record.host_head ?? '',
            hostOrganisationAccountant: record.host_accountant ?? '',
            programmeStartMonth: normaliseMonthCell(record.start_month ?? ''),
            programmeMonths: record.months ?? '',
            mentorId: mentor ? String(mentor.id) : '',
          });
          if (parsed.success) group.form = parsed.data;
          else problems.push(...zodProblems(parsed.error.issues));
          group.defining = record;
          definesNewGroup = true;
        }
      } else if (group.failedAt !== null) {
        problems.push({ key: 'mentoring:import.errors.groupNotCreated', column: 'group_name', params: { row: group.failedAt } });
      } else if (group.existingId === null && group.defining) {
        // Later rows may repeat the group's details, but not contradict them.
        const differs = groupColumns.find((column) => (record[column] ?? '') !== '' && fold(record[column] ?? '') !== fold(group!.defining![column] ?? ''));
        if (differs) problems.push({ key: 'mentoring:import.errors.groupDetailsDiffer', column: differs, params: { row: group.definedAt } });
      }
    }

    let participant: ParticipantForm | null = null;
    if (hasAny(record, participantColumns)) {
      const parsed = participantFormSchema.safeParse({ fullName: participantName, iin: record.participant_iin ?? '', age: record.participant_age ?? '', contact: record.participant_contact ?? '' });
      if (parsed.success) {
        participant = parsed.data;
        // The IIN's date of birth gives the age: filled in when the column is empty, compared when it is not.
        const ageByIin = ageFromIin(participant.iin, now);
        if (ageByIin !== null && participant.age === null) {
          if (ageByIin < participantAgeRange.min || ageByIin > participantAgeRange.max) problems.push({ key: 'mentoring:import.errors.ageFromIinRange', column: 'participant_iin', params: { age: ageByIin } });
          else participant = { ...participant, age: ageByIin };
        } else if (ageByIin !== null && participant.age !== ageByIin) {
          problems.push({ key: 'mentoring:import.errors.ageDiffersFromIin', column: 'participant_age', params: { age: ageByIin } });
        }
        const firstRow = iinsInFile.get(participant.iin);
        if (firstRow !== undefined) problems.push({ key: 'mentoring:import.errors.iinDuplicateInFile', column: 'participant_iin', params: { row: firstRow } });
        else if (reference.registeredIins.has(participant.iin)) problems.push({ key: 'mentoring:import.errors.iinRegistered', column: 'participant_iin', params: { group: reference.registeredIins.get(participant.iin)! } });
        if (firstRow === undefined) iinsInFile.set(participant.iin, row);
      } else {
        problems.push(...zodProblems(parsed.error.issues));
      }
    }

    if (problems.length > 0) {
      if (group && definesNewGroup) {
        group.failedAt = row;
        group.form = null;
      }
      planned.push({ row, groupName, participantName, outcome: 'error', problems });
      continue;
    }
    if (participant && group) group.participants.push(participant);
    const outcome: RowOutcome = definesNewGroup ? (participant ? 'newGroupWithParticipant' : 'newGroup') : participant ? 'participant' : 'nothing';
    planned.push({ row, groupName, participantName, outcome, problems });
  }

  const usable = [...groups.values()].filter((group) => group.failedAt === null && (group.existingId !== null || group.form !== null));
  const validRows = planned.filter((row) => row.outcome !== 'error').length;
  return {
    rows: planned,
    groups: usable.map(({ key, existingId, form, name, regionId, participants }) => ({ key, existingId, form, name, regionId, participants })),
    validRows,
    errorRows: planned.length - validRows,
    newGroups: usable.filter((group) => group.existingId === null).length,
    newParticipants: usable.reduce((sum, group) => sum + group.participants.length, 0),
  };
}

/** The reference data the plan is checked against, read from the database. */
export async function loadImportReference(db: Db, rows: ImportRow[]): Promise<ImportReference> {
  const iins = [...new Set(rows.map((row) => (row.record.participant_iin ?? '').replace(/\s+/g, '')).filter((iin) => /^\d{12}$/.test(iin)))];
  const [regions, mentors, existingGroups, registered] = await Promise.all([
    db.region.findMany({ select: { id: true, code: true, nameRu: true, nameKk: true, nameEn: true } }),
    db.user.findMany({ where: { role: 'MENTOR', isActive: true }, select: { id: true, email: true } }),
    db.youthGroup.findMany({ select: { id: true, name: true, regionId: true } }),
    iins.length > 0 ? db.groupParticipant.findMany({ where: { iin: { in: iins } }, select: { iin: true, group: { select: { name: true } } } }) : [],
  ]);
  return { regions, mentors, existingGroups, registeredIins: new Map(registered.map((row) => [row.iin!, row.group.name])) };
}

export async function previewImport(prisma: PrismaClient, rows: ImportRow[]): Promise<ImportPlan> {
  return planImport(rows, await loadImportReference(prisma, rows));
}

export type CommitResult = { ok: true; plan: ImportPlan } | { ok: false; plan: ImportPlan };

/**
 * Saves every valid row in one transaction. The plan is made again inside it: if the database changed
 * since the preview (another import, a participant added by hand), nothing is saved and the caller
 * shows the new preview.
 */
export async function commitImport(prisma: PrismaClient, actorId: number, rows: ImportRow[], expectedValidRows: number, fileName: string, notice: { baseUrl: string }): Promise<CommitResult> {
  return prisma.$transaction(async (tx) => {
    const plan = planImport(rows, await loadImportReference(tx, rows));
    if (plan.validRows !== expectedValidRows || plan.validRows === 0) return { ok: false, plan };
    for (const group of plan.groups) {
      let groupId = group.existingId;
      if (groupId === null) {
        const form = group.form!;
        const created = await tx.youthGroup.create({
          data: {
            name: form.name, regionId: form.regionId, projectTitle: form.projectTitle, projectDescription: form.projectDescription,
            hostOrganisationName: form.hostOrganisationName, hostOrganisationHead: form.hostOrganisationHead, hostOrganisationAccountant: form.hostOrganisationAccountant,
            programmeStartMonth: form.programmeStartMonth, programmeMonths: form.programmeMonths, mentorId: form.mentorId,
          },
          select: { id: true },
        });
        groupId = created.id;
        await recordAudit(tx, { actorId, action: 'group.created', entityType: 'YouthGroup', entityId: groupId, details: { name: form.name, imported: true, startMonth: monthParam(form.programmeStartMonth), mentorId: form.mentorId } });
        if (form.mentorId) await notifyMentorOfGroup(tx, { groupId, mentorId: form.mentorId, baseUrl: notice.baseUrl });
      }
      if (group.participants.length > 0) {
        await tx.groupParticipant.createMany({ data: group.participants.map((participant) => ({ groupId: groupId!, fullName: participant.fullName, iin: participant.iin, age: participant.age, contact: participant.contact })) });
      }
    }
    await recordAudit(tx, {
      actorId,
      action: 'groups.imported',
      entityType: 'YouthGroup',
      entityId: 'import',
      details: { fileName, rows: rows.length, savedRows: plan.validRows, skippedRows: plan.errorRows, newGroups: plan.newGroups, newParticipants: plan.newParticipants },
    });
    return { ok: true, plan };
  });
}

/** The region code of the template's example row: the first active region (Astana on an empty portal). */
export async function templateRegionCode(prisma: PrismaClient): Promise<string> {
  const region = await prisma.region.findFirst({ where: { isActive: true }, orderBy: { sortOrder: 'asc' }, select: { code: true } });
  return region?.code ?? 'ASTANA';
}

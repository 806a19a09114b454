/**
 * The coordinator's compliance grid: groups × months, grouped by region and mentor, with totals per
 * mentor and per region. buildComplianceGrid is pure (the unit tests count with it); complianceGrid reads
 * the database.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { monthStartOf } from '../../lib/dates.ts';
import { addMonths, complianceStateOf, complianceStates, isProgrammeMonth, monthParam, monthsBetween, programmeLastMonth, type ComplianceState } from './month-rules.ts';
import { groupFilterWhere } from './groups.service.ts';
import { compareText } from '../../lib/collation.ts';

export const maxGridMonths = 24;

export interface ComplianceFilter {
  regionId?: number;
  mentor?: number | 'none';
  from?: Date;
  to?: Date;
  /** Only the groups with at least one month in this state in the period. */
  state?: ComplianceState;
}

interface NamedRegion {
  id: number;
  nameRu: string;
  nameKk: string;
  nameEn: string;
  sortOrder: number;
}

export interface ComplianceGroupInput {
  id: number;
  name: string;
  region: NamedRegion;
  mentor: { id: number; fullName: string } | null;
  programmeStartMonth: Date;
  programmeMonths: number;
  protocols: { id: number; month: Date; status: string; submittedAt: Date | null }[];
}

export type StateCounts = Record<ComplianceState, number> & {
  /** Programme months that have begun (each needs a protocol). */
  expected: number;
  /** Submitted, on time or late. */
  done: number;
};

export interface ComplianceCell {
  month: Date;
  state: ComplianceState;
  protocolId: number | null;
}

export interface ComplianceRow {
  group: ComplianceGroupInput;
  cells: ComplianceCell[];
  counts: StateCounts;
}

export interface MentorSection {
  mentor: { id: number; fullName: string } | null;
  rows: ComplianceRow[];
  counts: StateCounts;
}

export interface RegionSection {
  region: NamedRegion;
  mentors: MentorSection[];
  counts: StateCounts;
}

export interface ComplianceGrid {
  months: Date[];
  regions: RegionSection[];
  /** Per mentor across every region shown. */
  mentorTotals: { mentor: { id: number; fullName: string } | null; groups: number; counts: StateCounts }[];
  counts: StateCounts;
}

export function emptyCounts(): StateCounts {
  return { ...(Object.fromEntries(complianceStates.map((state) => [state, 0])) as Record<ComplianceState, number>), expected: 0, done: 0 };
}

function addCell(counts: StateCounts, cell: ComplianceCell, currentMonth: Date): void {
  counts[cell.state] += 1;
  if (cell.state !== 'outside' && cell.month.getTime() <= currentMonth.getTime()) counts.expected += 1;
  if (cell.state === 'submitted' || cell.state === 'late') counts.done += 1;
}

function addCounts(target: StateCounts, source: StateCounts): void {
  for (const key of Object.keys(source) as (keyof StateCounts)[]) target[key] += source[key];
}

/** Regions in their order; mentors (nobody's groups last) and each mentor's groups by name in `language`. */
export function buildComplianceGrid(groups: ComplianceGroupInput[], months: Date[], currentMonth: Date, language: string): ComplianceGrid {
  const regions = new Map<number, RegionSection>();
  const mentorTotals = new Map<number | null, { mentor: { id: number; fullName: string } | null; groups: number; counts: StateCounts }>();
  const counts = emptyCounts();

  for (const group of groups) {
    const cells = months.map((month): ComplianceCell => {
      if (!isProgrammeMonth(group, month)) return { month, state: 'outside', protocolId: null };
      const protocol = group.protocols.find((entry) => entry.month.getTime() === month.getTime());
      return { month, state: complianceStateOf(month, currentMonth, protocol), protocolId: protocol?.id ?? null };
    });
    const row: ComplianceRow = { group, cells, counts: emptyCounts() };
    for (const cell of cells) addCell(row.counts, cell, currentMonth);

    let region = regions.get(group.region.id);
    if (!region) {
      region = { region: group.region, mentors: [], counts: emptyCounts() };
      regions.set(group.region.id, region);
    }
    const mentorId = group.mentor?.id ?? null;
    let section = region.mentors.find((entry) => (entry.mentor?.id ?? null) === mentorId);
    if (!section) {
      section = { mentor: group.mentor, rows: [], counts: emptyCounts() };
      region.mentors.push(section);
    }
    section.rows.push(row);
    addCounts(section.counts, row.counts);
    addCounts(region.counts, row.counts);
    addCounts(counts, row.counts);

    const total = mentorTotals.get(mentorId) ?? { mentor: group.mentor, groups: 0, counts: emptyCounts() };
    total.groups += 1;
    addCounts(total.counts, row.counts);
    mentorTotals.set(mentorId, total);
  }

  const compareNames = compareText(language);
  const byName = (a: { mentor: { id: number; fullName: string } | null }, b: { mentor: { id: number; fullName: string } | null }) =>
    a.mentor === null || b.mentor === null ? Number(a.mentor === null) - Number(b.mentor === null) : compareNames(a.mentor.fullName, b.mentor.fullName) || a.mentor.id - b.mentor.id;
  const regionList = [...regions.values()].sort((a, b) => a.region.sortOrder - b.region.sortOrder || a.region.id - b.region.id);
  for (const region of regionList) {
    region.mentors.sort(byName);
    for (const section of region.mentors) section.rows.sort((a, b) => compareNames(a.group.name, b.group.name) || a.group.id - b.group.id);
  }
  return { months, regions: regionList, mentorTotals: [...mentorTotals.values()].sort(byName), counts };
}

/** The months shown: the filter's period, or the programmes of the groups shown (at most 24 months). */
export function gridPeriod(groups: Pick<ComplianceGroupInput, 'programmeStartMonth' | 'programmeMonths'>[], filter: Pick<ComplianceFilter, 'from' | 'to'>, currentMonth: Date): { from: Date; to: Date } {
  let from = filter.from;
  let to = filter.to;
  if (!from) from = groups.length > 0 ? new Date(Math.min(...groups.map((group) => group.programmeStartMonth.getTime()))) : addMonths(currentMonth, -5);
  if (!to) to = groups.length > 0 ? new Date(Math.max(...groups.map((group) => programmeLastMonth(group).getTime()))) : currentMonth;
  if (to < from) to = from;
  if (monthsBetween(from, to) >= maxGridMonths) {
    if (filter.to && !filter.from) from = addMonths(to, -(maxGridMonths - 1));
    else to = addMonths(from, maxGridMonths - 1);
  }
  return { from, to };
}

export async function complianceGrid(prisma: PrismaClient, filter: ComplianceFilter, language: string, now = new Date()) {
  const currentMonth = monthStartOf(now);
  const where = groupFilterWhere(filter);
  const groups = await prisma.youthGroup.findMany({
    where,
    select: {
      id: true,
      name: true,
      programmeStartMonth: true,
      programmeMonths: true,
      region: { select: { id: true, nameRu: true, nameKk: true, nameEn: true, sortOrder: true } },
      mentor: { select: { id: true, fullName: true } },
      protocols: { select: { id: true, month: true, status: true, submittedAt: true } },
    },
  });
  const period = gridPeriod(groups, filter, currentMonth);
  const months = Array.from({ length: monthsBetween(period.from, period.to) + 1 }, (_, index) => addMonths(period.from, index));
  // Only groups whose programme overlaps the period.
  const overlapping = groups.filter((group) => months.some((month) => isProgrammeMonth(group, month)));
  const { state } = filter;
  const shown = state
    ? overlapping.filter((group) => months.some((month) => isProgrammeMonth(group, month) && complianceStateOf(month, currentMonth, group.protocols.find((entry) => entry.month.getTime() === month.getTime())) === state))
    : overlapping;
  return { ...buildComplianceGrid(shown, months, currentMonth, language), from: period.from, to: period.to, currentMonth };
}

/** The grid as it goes into an Excel file; every export is audited. */
export async function exportComplianceGrid(prisma: PrismaClient, actorId: number, filter: ComplianceFilter, language: string, now = new Date()) {
  const grid = await complianceGrid(prisma, filter, language, now);
  await recordAudit(prisma, { actorId, action: 'compliance.exported', entityType: 'YouthGroup', entityId: 'grid', details: { regionId: filter.regionId ?? null, from: monthParam(grid.from), to: monthParam(grid.to) } });
  return grid;
}

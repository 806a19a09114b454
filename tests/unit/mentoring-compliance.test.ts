import { describe, expect, it } from 'vitest';
import { buildComplianceGrid, gridPeriod, type ComplianceGroupInput } from '../../src/features/mentoring/compliance.service.ts';
import { addMonths, parseMonthParam } from '../../src/features/mentoring/month-rules.ts';

const month = (value: string) => parseMonthParam(value)!;
const astana = { id: 5, nameRu: 'город Астана', nameKk: 'Астана қаласы', nameEn: 'Astana city', sortOrder: 4 };
const akmola = { id: 1, nameRu: 'Акмолинская область', nameKk: 'Ақмола облысы', nameEn: 'Akmola Region', sortOrder: 0 };
const gulnara = { id: 10, fullName: 'Гульнара Жумабаева' };
const askar = { id: 11, fullName: 'Аскар Нуртаев' };

let protocolId = 0;
const protocol = (value: string, status: string, submittedAt: string | null = null) => ({ id: ++protocolId, month: month(value), status, submittedAt: submittedAt ? new Date(submittedAt) : null });

// Current month: November 2026. Programmes: Sep–Feb (6 months) and Oct–Dec (3 months).
const groups: ComplianceGroupInput[] = [
  {
    id: 1, name: 'Жастар үні', region: astana, mentor: gulnara, programmeStartMonth: month('2026-09'), programmeMonths: 6,
    protocols: [protocol('2026-09', 'SUBMITTED', '2026-09-20T10:00:00Z'), protocol('2026-10', 'SUBMITTED', '2026-11-03T10:00:00Z'), protocol('2026-11', 'DRAFT')],
  },
  {
    id: 2, name: 'Eco Steppe', region: astana, mentor: gulnara, programmeStartMonth: month('2026-09'), programmeMonths: 6,
    protocols: [protocol('2026-09', 'RETURNED', '2026-09-25T10:00:00Z')],
  },
  { id: 3, name: 'Көмек', region: astana, mentor: askar, programmeStartMonth: month('2026-10'), programmeMonths: 3, protocols: [protocol('2026-11', 'SUBMITTED', '2026-11-10T10:00:00Z')] },
  { id: 4, name: 'Дала', region: akmola, mentor: null, programmeStartMonth: month('2026-10'), programmeMonths: 3, protocols: [] },
];
const months = Array.from({ length: 6 }, (_, index) => addMonths(month('2026-09'), index));
const grid = buildComplianceGrid(groups, months, month('2026-11'), 'ru');

describe('the compliance grid', () => {
  it('gives each group one cell per month, with its state', () => {
    const astanaSection = grid.regions.find((section) => section.region.id === astana.id)!;
    const rows = astanaSection.mentors.flatMap((section) => section.rows);
    const statesOf = (id: number) => rows.find((row) => row.group.id === id)!.cells.map((cell) => cell.state);
    expect(statesOf(1)).toEqual(['submitted', 'late', 'draft', 'upcoming', 'upcoming', 'upcoming']);
    expect(statesOf(2)).toEqual(['returned', 'missing', 'due', 'upcoming', 'upcoming', 'upcoming']);
    expect(statesOf(3)).toEqual(['outside', 'missing', 'submitted', 'upcoming', 'outside', 'outside']);
  });

  it('orders regions as configured and mentors by name, the unassigned last', () => {
    expect(grid.regions.map((section) => section.region.id)).toEqual([akmola.id, astana.id]);
    expect(grid.regions[1].mentors.map((section) => section.mentor?.fullName)).toEqual(['Аскар Нуртаев', 'Гульнара Жумабаева']);
    expect(grid.mentorTotals.map((entry) => entry.mentor?.fullName ?? null)).toEqual(['Аскар Нуртаев', 'Гульнара Жумабаева', null]);
  });

  it('counts per mentor: submitted (on time or late) of the months begun so far', () => {
    const gulnaraTotals = grid.mentorTotals.find((entry) => entry.mentor?.id === gulnara.id)!;
    expect(gulnaraTotals.groups).toBe(2);
    expect(gulnaraTotals.counts).toMatchObject({ expected: 6, done: 2, submitted: 1, late: 1, draft: 1, returned: 1, missing: 1, due: 1, upcoming: 6, outside: 0 });
    const askarTotals = grid.mentorTotals.find((entry) => entry.mentor?.id === askar.id)!;
    expect(askarTotals.counts).toMatchObject({ expected: 2, done: 1, missing: 1, outside: 3 });
  });

  it('counts per region and overall', () => {
    expect(grid.regions[1].counts).toMatchObject({ expected: 8, done: 3, late: 1, missing: 2 });
    expect(grid.regions[0].counts).toMatchObject({ expected: 2, done: 0, missing: 1, due: 1 });
    expect(grid.counts).toMatchObject({ expected: 10, done: 3, late: 1, missing: 3, due: 2, draft: 1, returned: 1 });
  });

  it('links a cell to its protocol only when there is one', () => {
    const row = grid.regions[1].mentors[1].rows.find((entry) => entry.group.id === 1)!;
    expect(row.cells[0].protocolId).toBe(groups[0].protocols[0].id);
    expect(row.cells[3].protocolId).toBeNull();
  });
});

describe('the period shown', () => {
  it('defaults to the programmes of the groups shown', () => {
    const period = gridPeriod(groups, {}, month('2026-11'));
    expect([period.from, period.to].map((date) => date.toISOString().slice(0, 7))).toEqual(['2026-09', '2027-02']);
  });

  it('is at most 24 months and never ends before it starts', () => {
    const long = gridPeriod(groups, { from: month('2024-01'), to: month('2027-12') }, month('2026-11'));
    expect([long.from, long.to].map((date) => date.toISOString().slice(0, 7))).toEqual(['2024-01', '2025-12']);
    const backwards = gridPeriod(groups, { from: month('2026-10'), to: month('2026-08') }, month('2026-11'));
    expect(backwards.to).toEqual(backwards.from);
  });
});

/** Excel (.xlsx) exports of the compliance grid and of a region's protocols for one month. */
import type ExcelJS from 'exceljs';
import type { TFunction } from 'i18next';
import { compareText } from '../../lib/collation.ts';
import { localisedName } from '../../lib/localised-name.ts';
import { loadExcel, tableWorkbook, workbookBuffer, type ColumnFormat, type SpreadsheetCell } from '../../lib/spreadsheet.ts';
import type { ComplianceGrid, StateCounts } from './compliance.service.ts';
import { complianceStates, isLate, type ComplianceState } from './month-rules.ts';
import type { protocolsOfRegionAndMonth } from './protocols.service.ts';

/** The same colours as the page; each cell also carries the state in words. */
const stateFill: Record<ComplianceState, string> = {
  submitted: 'FFC6EFCE',
  late: 'FFFFE699',
  returned: 'FFF8CBAD',
  draft: 'FFFFF2CC',
  due: 'FFDDEBF7',
  missing: 'FFFFC7CE',
  upcoming: 'FFFFFFFF',
  outside: 'FFEDEDED',
};

type T = TFunction | ((key: string, options?: Record<string, unknown>) => string);

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
}

function countColumns(t: T) {
  return [
    t('mentoring:compliance.totals.done'),
    t('mentoring:compliance.totals.expected'),
    ...complianceStates.filter((state) => state !== 'outside').map((state) => t(`mentoring:complianceState.${state}`)),
  ];
}

function countValues(counts: StateCounts) {
  return [counts.done, counts.expected, ...complianceStates.filter((state) => state !== 'outside').map((state) => counts[state])];
}

export async function complianceWorkbook(grid: ComplianceGrid, t: T, language: string): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook();
  workbook.creator = 'Zhas mentor portal';
  const sheet = workbook.addWorksheet(t('mentoring:compliance.export.gridSheet'), { views: [{ state: 'frozen', xSplit: 3, ySplit: 1 }] });
  // Each month's column is headed by a real date (the month's first day, shown as the month).
  const header = sheet.addRow([t('mentoring:fields.region'), t('mentoring:fields.mentor'), t('mentoring:fields.groupName'), ...grid.months]);
  grid.months.forEach((_month, index) => {
    header.getCell(4 + index).numFmt = 'mmm yyyy';
  });
  styleHeader(header);
  sheet.columns.forEach((column, index) => {
    column.width = index < 3 ? 28 : 16;
  });
  for (const region of grid.regions) {
    for (const section of region.mentors) {
      for (const row of section.rows) {
        const excelRow = sheet.addRow([
          localisedName(region.region, language),
          section.mentor?.fullName ?? t('mentoring:groups.noMentor'),
          row.group.name,
          ...row.cells.map((cell) => (cell.state === 'outside' ? '—' : t(`mentoring:complianceState.${cell.state}`))),
        ]);
        row.cells.forEach((cell, index) => {
          excelRow.getCell(4 + index).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: stateFill[cell.state] } };
        });
      }
    }
  }

  const totals = workbook.addWorksheet(t('mentoring:compliance.export.totalsSheet'));
  styleHeader(totals.addRow([t('mentoring:fields.region'), t('mentoring:fields.mentor'), t('mentoring:compliance.totals.groups'), ...countColumns(t)]));
  totals.columns.forEach((column, index) => {
    column.width = index < 2 ? 28 : 14;
  });
  for (const region of grid.regions) {
    for (const section of region.mentors) {
      totals.addRow([localisedName(region.region, language), section.mentor?.fullName ?? t('mentoring:groups.noMentor'), section.rows.length, ...countValues(section.counts)]);
    }
    const regionRow = totals.addRow([localisedName(region.region, language), t('mentoring:compliance.totals.regionTotal'), region.mentors.reduce((sum, section) => sum + section.rows.length, 0), ...countValues(region.counts)]);
    regionRow.font = { bold: true };
  }
  const allRow = totals.addRow([t('mentoring:compliance.totals.allRegions'), '', grid.regions.reduce((sum, region) => sum + region.mentors.reduce((inner, section) => inner + section.rows.length, 0), 0), ...countValues(grid.counts)]);
  allRow.font = { bold: true };

  const legend = workbook.addWorksheet(t('mentoring:compliance.export.legendSheet'));
  for (const state of complianceStates) {
    const row = legend.addRow([t(`mentoring:complianceState.${state}`), t(`mentoring:complianceStateHelp.${state}`)]);
    row.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: stateFill[state] } };
  }
  legend.columns.forEach((column, index) => {
    column.width = index === 0 ? 24 : 80;
  });
  return workbookBuffer(workbook);
}

type RegionProtocols = Awaited<ReturnType<typeof protocolsOfRegionAndMonth>>;

/** One row per protocol, in the given order; dates are real Excel dates (tableWorkbook); who attended by name in `language`. */
export async function protocolsWorkbook(protocols: RegionProtocols, month: Date, t: T, language: string): Promise<Buffer> {
  const compareNames = compareText(language);
  const headers = [
    t('mentoring:fields.groupName'), t('mentoring:fields.projectTitle'), t('mentoring:fields.mentor'), t('mentoring:protocolExport.status'),
    t('mentoring:fields.sessionDate'), t('mentoring:fields.format'), t('mentoring:fields.place'), t('mentoring:fields.durationMinutes'),
    t('mentoring:protocolExport.attendedCount'), t('mentoring:fields.attendance'), t('mentoring:fields.issuesRaised'), t('mentoring:fields.solutions'),
    t('mentoring:fields.nextSteps'), t('mentoring:fields.notes'), t('mentoring:protocolExport.submittedAt'), t('mentoring:protocolExport.late'), t('mentoring:protocolExport.returnComment'),
  ];
  const formats: (ColumnFormat | undefined)[] = [undefined, undefined, undefined, undefined, 'date', undefined, undefined, 'integer', 'integer', undefined, undefined, undefined, undefined, undefined, 'dateTime', undefined, undefined];
  const rows = protocols.map((protocol): SpreadsheetCell[] => [
    protocol.group.name,
    protocol.group.projectTitle,
    protocol.mentor.fullName,
    t(`mentoring:protocolStatus.${protocol.status}`),
    protocol.sessionDate ? { date: protocol.sessionDate } : null,
    protocol.format ? t(`mentoring:format.${protocol.format}`) : '',
    protocol.place ?? '',
    protocol.durationMinutes ?? null,
    protocol.attendance.length,
    protocol.attendance.map((row) => row.participant.fullName).sort(compareNames).join(', '),
    protocol.issuesRaised,
    protocol.solutions,
    protocol.nextSteps,
    protocol.notes,
    protocol.submittedAt ? { date: protocol.submittedAt, withTime: true } : null,
    protocol.status !== 'DRAFT' && protocol.submittedAt ? (isLate(month, protocol.submittedAt) ? t('mentoring:protocolExport.yes') : t('mentoring:protocolExport.no')) : '',
    protocol.returnComment ?? '',
  ]);
  return tableWorkbook({ sheetName: t('mentoring:protocolExport.sheet'), headers, formats, rows });
}

import { formatDate } from '../../lib/dates.ts';
import { localisedName } from '../../lib/localised-name.ts';
import { csvText, tableWorkbook, type SpreadsheetCell } from '../../lib/spreadsheet.ts';
import type { exportApplications } from './application-list.service.ts';

type ExportRows = ReturnType<typeof exportApplications>;

/** What a cell says instead of a score the viewer may not see yet (blind scoring). */
export interface ExportLabels {
  statusName: (status: string) => string;
  hiddenScore: string;
}

function toCells(row: { number: string; fullName: string; status: string; submittedAt: Date; resultScore: unknown; scoreCount: number; scoreSpread: unknown; scoresVisible: boolean; experienceYears: number; residenceMonths: number; email: string; phone: string; organisation: string; occupation: string; completeAt: Date | null; region: { nameRu: string; nameKk: string; nameEn: string } }, language: string, labels: ExportLabels): SpreadsheetCell[] {
  const { statusName } = labels;
  return [
    row.number,
    row.fullName,
    localisedName(row.region, language),
    statusName(row.status),
    formatDate(row.submittedAt, language),
    ...(row.scoresVisible ? [row.resultScore === null ? '' : Number(row.resultScore), row.scoreCount, row.scoreSpread === null ? '' : Number(row.scoreSpread)] : [labels.hiddenScore, '', '']),
    row.experienceYears,
    row.residenceMonths,
    row.completeAt ? 'yes' : 'no',
    row.email,
    row.phone,
    row.organisation,
    row.occupation,
  ];
}

async function* cellRows(rows: ExportRows, language: string, labels: ExportLabels) {
  for await (const row of rows) yield toCells(row, language, labels);
}

/** The committee's application list as CSV text (formulas neutralised). */
export async function applicationsCsv(rows: ExportRows, headers: string[], language: string, labels: ExportLabels): Promise<string> {
  const table: SpreadsheetCell[][] = [headers];
  for await (const cells of cellRows(rows, language, labels)) table.push(cells);
  return csvText(table);
}

/** The committee's application list as an .xlsx file. */
export async function applicationsWorkbook(rows: ExportRows, headers: string[], language: string, labels: ExportLabels, sheetName: string): Promise<Buffer> {
  return tableWorkbook({ sheetName, headers, rows: cellRows(rows, language, labels) });
}

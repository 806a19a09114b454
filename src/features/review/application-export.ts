import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { formatDate } from '../../lib/dates.ts';
import { localisedName } from '../../lib/localised-name.ts';
import type { exportApplications } from './application-list.service.ts';

function toCells(row: { number: string; fullName: string; status: string; submittedAt: Date; resultScore: unknown; scoreCount: number; scoreSpread: unknown; experienceYears: number; residenceMonths: number; email: string; phone: string; organisation: string; occupation: string; completeAt: Date | null; region: { nameRu: string; nameKk: string; nameEn: string } }, language: string, statusName: (status: string) => string) {
  return [
    row.number,
    row.fullName,
    localisedName(row.region, language),
    statusName(row.status),
    formatDate(row.submittedAt, language),
    row.resultScore === null ? '' : Number(row.resultScore),
    row.scoreCount,
    row.scoreSpread === null ? '' : Number(row.scoreSpread),
    row.experienceYears,
    row.residenceMonths,
    row.completeAt ? 'yes' : 'no',
    row.email,
    row.phone,
    row.organisation,
    row.occupation,
  ];
}

/** Cells starting with = + - @ would run as formulas when opened in Excel; prefix them with '. */
function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function sendCsv(response: Response, rows: ReturnType<typeof exportApplications>, headers: string[], language: string, statusName: (status: string) => string, fileName: string) {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${fileName}.csv"`);
  response.setHeader('Cache-Control', 'no-store');
  // A byte-order mark, so Excel opens Cyrillic text correctly.
  response.write('\uFEFF' + headers.map(csvCell).join(',') + '\r\n');
  for await (const row of rows) response.write(toCells(row, language, statusName).map(csvCell).join(',') + '\r\n');
  response.end();
}

export async function sendExcel(response: Response, rows: ReturnType<typeof exportApplications>, headers: string[], language: string, statusName: (status: string) => string, fileName: string, sheetName: string) {
  response.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  response.setHeader('Content-Disposition', `attachment; filename="${fileName}.xlsx"`);
  response.setHeader('Cache-Control', 'no-store');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: response, useStyles: true });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = headers.map((header) => ({ header, width: Math.max(12, header.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const row of rows) sheet.addRow(toCells(row, language, statusName)).commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  await sheet.commit();
  await workbook.commit();
}

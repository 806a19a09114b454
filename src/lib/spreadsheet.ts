/**
 * Spreadsheet files (CSV and Excel .xlsx) built as data: a builder returns the text or the bytes, and
 * the handler sends them with the headers below.
 */
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';

export const csvContentType = 'text/csv; charset=utf-8';
export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type SpreadsheetCell = string | number | boolean | Date | null | undefined;

/**
 * Text starting with = + - @, a tab or a carriage return would run as a formula when a CSV file is
 * opened in Excel; a leading ' makes it plain text. (Strings in an .xlsx are text already.)
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvCell(value: unknown, neutraliseFormulas: boolean): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (neutraliseFormulas) text = neutraliseFormula(text);
  // ";" too: Excel in ru/kk locales splits on it.
  return /[",;\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV document: a byte-order mark (so Excel reads Cyrillic as UTF-8), comma-separated, CRLF after
 * every row. Formulas are neutralised unless the caller writes fixed text of its own.
 */
export function csvText(rows: Iterable<readonly unknown[]>, options: { neutraliseFormulas?: boolean } = {}): string {
  const neutraliseFormulas = options.neutraliseFormulas ?? true;
  const lines: string[] = [];
  for (const row of rows) lines.push(row.map((cell) => csvCell(cell, neutraliseFormulas)).join(',') + '\r\n');
  return '\uFEFF' + lines.join('');
}

export async function workbookBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * One sheet with a bold, frozen, filterable header row and the rows below it. The rows are read one by
 * one (streaming writer), so a long export never holds its rows and the workbook model at once.
 */
export async function tableWorkbook(table: { sheetName: string; headers: readonly string[]; rows: AsyncIterable<SpreadsheetCell[]> | Iterable<SpreadsheetCell[]> }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true });
  const sheet = workbook.addWorksheet(table.sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.headers.map((header) => ({ header, width: Math.max(12, header.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const row of table.rows) sheet.addRow(row).commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.headers.length } };
  await sheet.commit();
  await workbook.commit(); // resolves once the sink has taken the last byte
  return Buffer.concat(chunks);
}

/** A file name that is safe in a header on every browser: ASCII letters, digits, '.', '_' and '-'. */
export function attachmentFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** The Content-Disposition header of a downloaded export. */
export function attachmentDisposition(fileName: string): string {
  return `attachment; filename="${attachmentFileName(fileName)}"`;
}

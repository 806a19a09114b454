/**
 * Spreadsheet files (CSV and Excel .xlsx) built as data: a builder returns the text or the bytes, and
 * the handler sends them with the headers below.
 */
import { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { toProgrammeTime } from './dates.ts';

/** exceljs (some 30 MB once loaded) is loaded by the first export or import, not by every portal process at start. */
let excelModule: Promise<typeof ExcelJS> | undefined;
export function loadExcel(): Promise<typeof ExcelJS> {
  excelModule ??= import('exceljs').then((module) => module.default);
  return excelModule;
}

export const csvContentType = 'text/csv; charset=utf-8';
export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A calendar day or an instant shown in Almaty time; in an .xlsx a real date cell with a format. */
export interface DateCell {
  date: Date;
  withTime?: boolean;
}
/** A link: in an .xlsx a hyperlink cell showing `text`, in a CSV the address. */
export interface LinkCell {
  text: string;
  hyperlink: string;
}
/** Text kept as text in an .xlsx (a phone, an id), never turned into a number. */
export interface TextCell {
  asText: string;
}
export type SpreadsheetCell = string | number | boolean | Date | DateCell | LinkCell | TextCell | null | undefined;

/** How a CSV is written for a reader: Excel in ru/kk locales splits on ";" and reads a decimal comma. */
export interface CsvDialect {
  separator: ',' | ';';
  decimalComma: boolean;
  /** Shows dates as in the reader's Excel: 31.12.2026 (ru, kk) or 2026-12-31 (en). */
  language: string;
}

export function csvDialectFor(language: string): CsvDialect {
  return language === 'ru' || language === 'kk' ? { separator: ';', decimalComma: true, language } : { separator: ',', decimalComma: false, language };
}

const formulaStart = /^[=+\-@\t\r]/;

/**
 * The one formula guard of every export. Text starting with = + - @, a tab or a carriage return would
 * run as a formula when a CSV file is opened in Excel; a leading ' makes it plain text. A separator
 * inside the text (",", ";") followed by such a character gets the same mark, so that a reader who
 * splits on either separator, ignoring the quotes, still finds no live formula. (An .xlsx stores
 * strings as text already.)
 */
export function neutraliseFormula(text: string): string {
  const inner = text.replace(/([,;]\s*)(?=[=+\-@\t\r])/g, "$1'");
  return formulaStart.test(inner) ? `'${inner}` : inner;
}

function isDateCell(value: unknown): value is DateCell {
  return typeof value === 'object' && value !== null && 'date' in value && (value as DateCell).date instanceof Date;
}
function isLinkCell(value: unknown): value is LinkCell {
  return typeof value === 'object' && value !== null && 'hyperlink' in value;
}
function isTextCell(value: unknown): value is TextCell {
  return typeof value === 'object' && value !== null && 'asText' in value;
}

function csvDate(date: Date, withTime: boolean, dialect: CsvDialect): string {
  const local = toProgrammeTime(date);
  const day = dialect.decimalComma ? local.toFormat('dd.MM.yyyy') : local.toISODate();
  return withTime ? `${day} ${local.toFormat('HH:mm')}` : (day ?? '');
}

function csvValue(value: unknown, dialect: CsvDialect): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return dialect.decimalComma ? String(value).replace('.', ',') : String(value);
  if (value instanceof Date) return csvDate(value, false, dialect);
  if (isDateCell(value)) return csvDate(value.date, value.withTime ?? false, dialect);
  if (isLinkCell(value)) return value.hyperlink;
  if (isTextCell(value)) return value.asText;
  return String(value);
}

function csvCell(value: unknown, neutraliseFormulas: boolean, dialect: CsvDialect): string {
  let text = csvValue(value, dialect);
  // A number's decimal comma is no separator in the ";" dialect: no quotes, so Excel reads a number.
  if (typeof value === 'number' && dialect.separator === ';') return text;
  if (neutraliseFormulas) text = neutraliseFormula(text);
  // Both "," and ";" are quoted: Excel in ru/kk locales splits on ";" whatever the file's separator.
  return /[",;\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV document: a byte-order mark (so Excel reads Cyrillic as UTF-8), CRLF after every row, comma-
 * separated unless the dialect says ";" (csvDialectFor the reader's language). Formulas are
 * neutralised unless the caller writes fixed text of its own.
 */
export function csvText(rows: Iterable<readonly unknown[]>, options: { neutraliseFormulas?: boolean; dialect?: CsvDialect } = {}): string {
  const neutraliseFormulas = options.neutraliseFormulas ?? true;
  const dialect = options.dialect ?? { separator: ',', decimalComma: false, language: 'en' };
  const lines: string[] = [];
  for (const row of rows) lines.push(row.map((cell) => csvCell(cell, neutraliseFormulas, dialect)).join(dialect.separator) + '\r\n');
  return '\uFEFF' + lines.join('');
}

export async function workbookBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** How a column's numbers and dates are shown in Excel (the values stay real numbers and dates). */
export type ColumnFormat = 'text' | 'integer' | 'decimal' | 'date' | 'dateTime';
const numberFormats: Record<ColumnFormat, string | undefined> = { text: '@', integer: '0', decimal: '0.00', date: 'dd.mm.yyyy', dateTime: 'dd.mm.yyyy hh:mm' };

/** Excel has no time zones: a date cell holds the Almaty wall-clock time as if it were UTC. */
function excelDate(date: Date): Date {
  const local = toProgrammeTime(date);
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

function xlsxValue(value: SpreadsheetCell): ExcelJS.CellValue {
  if (value === undefined || value === null || value === '') return null;
  if (value instanceof Date) return excelDate(value);
  if (isDateCell(value)) return excelDate(value.date);
  if (isLinkCell(value)) return { text: value.text, hyperlink: value.hyperlink };
  if (isTextCell(value)) return value.asText;
  return value as ExcelJS.CellValue;
}

function shownLength(value: SpreadsheetCell): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return String(Math.round(value * 100) / 100).length;
  if (value instanceof Date || isDateCell(value)) return isDateCell(value) && value.withTime ? 16 : 10;
  if (isLinkCell(value)) return value.text.length;
  if (isTextCell(value)) return value.asText.length;
  return String(value).length;
}

/**
 * One sheet with a bold, frozen, filterable header row and the rows below it: numbers and dates as
 * real cells with a format, each column as wide as its longest value (up to 60 characters). The
 * widths are known only after the last row, so the cells are gathered first and then streamed out
 * (the streaming writer never holds the workbook model).
 */
export async function tableWorkbook(table: { sheetName: string; headers: readonly string[]; formats?: readonly (ColumnFormat | undefined)[]; rows: AsyncIterable<SpreadsheetCell[]> | Iterable<SpreadsheetCell[]> }): Promise<Buffer> {
  const rows: SpreadsheetCell[][] = [];
  for await (const row of table.rows) rows.push(row);
  const widths = table.headers.map((header, column) => Math.min(60, Math.max(10, header.length + 2, ...rows.map((row) => shownLength(row[column]) + 2))));
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const workbook = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true });
  const sheet = workbook.addWorksheet(table.sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.headers.map((header, column) => {
    const numFmt = numberFormats[table.formats?.[column] ?? 'text'];
    return { header, width: widths[column], ...(table.formats?.[column] && numFmt ? { style: { numFmt } } : {}) };
  });
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const row of rows) {
    const added = sheet.addRow(row.map(xlsxValue));
    row.forEach((value, column) => {
      if (isLinkCell(value)) added.getCell(column + 1).font = { color: { argb: 'FF0563C1' }, underline: true };
    });
    added.commit();
  }
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

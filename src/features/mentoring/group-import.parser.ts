/**
 * Reads a groups-and-participants file (CSV or Excel .xlsx) into rows of named cells. One row per
 * participant; the group columns say which group the participant belongs to (a row with no participant
 * columns only describes a group). Pure apart from the parsing libraries: no database here.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { parse as parseCsvText } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { csvText, loadExcel } from '../../lib/spreadsheet.ts';
import { programmeCalendarDay } from '../../lib/dates.ts';
import { makeIin } from '../../lib/iin.ts';

export const importColumns = [
  'group_name', 'region', 'project_title', 'project_description', 'host_organisation', 'host_head', 'host_accountant',
  'start_month', 'months', 'mentor_email', 'participant_name', 'participant_iin', 'participant_age', 'participant_contact',
] as const;
export type ImportColumn = (typeof importColumns)[number];
export type ImportRecord = Partial<Record<ImportColumn, string>>;

export const requiredImportColumns: readonly ImportColumn[] = ['group_name', 'region'];
export const maxImportRows = 2000;
export const maxImportBytes = 2 * 1024 * 1024;

export interface ImportRow {
  /** The row's number in the file (the header is row 1), as a spreadsheet shows it. */
  row: number;
  record: ImportRecord;
  /** Columns whose cell is a formula with no saved value (a sheet never calculated): refused as such. */
  formulaColumns?: ImportColumn[];
}

export interface ParsedImportFile {
  rows: ImportRow[];
  /** Header cells that are not import columns (ignored, but shown so a typo is noticed). */
  ignoredColumns: string[];
}

/** A file that cannot be read at all; `messageKey` explains why to the coordinator. */
export class ImportFileError extends Error {
  constructor(readonly messageKey: string, readonly params: Record<string, string | number> = {}) {
    super(messageKey);
    this.name = 'ImportFileError';
  }
}

/** "Group name", "group-name" and "GROUP_NAME" all mean group_name. */
function normaliseHeader(cell: string): string {
  return cell.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function isXlsx(buffer: Buffer, fileName: string): boolean {
  const zipMagic = buffer.length >= 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04;
  return zipMagic || /\.xlsx$/i.test(fileName);
}

/** UTF-8 (with or without BOM); Excel's "CSV" in a Russian Windows is often windows-1251. */
function decodeText(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('windows-1251').decode(buffer);
  }
}

export function parseCsv(buffer: Buffer): string[][] {
  const text = decodeText(buffer).replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  // Excel writes ";" where the decimal separator is a comma (ru/kk locales).
  const delimiter = [';', ',', '\t'].reduce((best, candidate) => (firstLine.split(candidate).length > firstLine.split(best).length ? candidate : best), ',');
  try {
    return parseCsvText(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (error) {
    // csv-parse says on which line it stopped (a stray quote, an unclosed field).
    const line = (error as { lines?: unknown }).lines;
    if (typeof line === 'number' && line > 0) throw new ImportFileError('mentoring:import.errors.unreadableCsvAt', { line });
    throw new ImportFileError('mentoring:import.errors.unreadableCsv');
  }
}

/** The text a spreadsheet cell shows (numbers without exponent, dates as YYYY-MM-DD). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value).trim();
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('').trim();
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
    if ('result' in value && value.result !== undefined) return cellText(value.result as ExcelJS.CellValue);
    if ('formula' in value || 'sharedFormula' in value) return '';
    if ('error' in value) return '';
  }
  return String(value).trim();
}

const inflateRaw = promisify<zlib.InputType, zlib.ZlibOptions, Buffer>(zlib.inflateRaw);

/** An .xlsx is a zip; exceljs unpacks every entry in memory, so a small file could expand to gigabytes. */
export const maxXlsxUncompressedBytes = 40 * 1024 * 1024;

interface ZipEntry {
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeader: number;
}

/** The entries of a zip's central directory, or null when the buffer is not a readable zip. */
function zipEntries(buffer: Buffer): ZipEntry[] | null {
  const endOfDirectory = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfDirectory < 0 || endOfDirectory + 22 > buffer.length) return null;
  const count = buffer.readUInt16LE(endOfDirectory + 10);
  let offset = buffer.readUInt32LE(endOfDirectory + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== 0x02014b50) return null;
    entries.push({ method: buffer.readUInt16LE(offset + 10), compressedSize: buffer.readUInt32LE(offset + 20), declaredSize: buffer.readUInt32LE(offset + 24), localHeader: buffer.readUInt32LE(offset + 42) });
    offset += 46 + buffer.readUInt16LE(offset + 28) + buffer.readUInt16LE(offset + 30) + buffer.readUInt16LE(offset + 32);
  }
  return entries;
}

/**
 * The sum of the uncompressed sizes a zip declares, or null when it is not a readable zip: a cheap
 * first refusal before anything is inflated (a "zip bomb" guard; the sizes can lie, see below).
 */
export function zipUncompressedSize(buffer: Buffer): number | null {
  return zipEntries(buffer)?.reduce((total, entry) => total + entry.declaredSize, 0) ?? null;
}

/**
 * What a zip's entries really inflate to, counted while inflating with a hard limit: 'too-large' as
 * soon as the total passes `limit`, null when it is not a readable zip. Inflated off the main
 * thread, one entry at a time, never more than the limit in memory.
 */
export async function zipInflatedSizeWithin(buffer: Buffer, limit: number): Promise<number | 'too-large' | null> {
  const entries = zipEntries(buffer);
  if (!entries) return null;
  let total = 0;
  for (const entry of entries) {
    const header = entry.localHeader;
    if (header + 30 > buffer.length || buffer.readUInt32LE(header) !== 0x04034b50) return null;
    const dataStart = header + 30 + buffer.readUInt16LE(header + 26) + buffer.readUInt16LE(header + 28);
    const data = buffer.subarray(dataStart, dataStart + entry.compressedSize);
    if (entry.method === 0) total += data.length;
    else if (entry.method === 8) {
      try {
        total += (await inflateRaw(data, { maxOutputLength: limit - total + 1 })).length;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : null;
      }
    } else return null;
    if (total > limit) return 'too-large';
  }
  return total;
}

/** A formula cell with no cached value: what it shows cannot be known without calculating the sheet. */
export function isUncalculatedFormula(value: ExcelJS.CellValue): boolean {
  if (value === null || typeof value !== 'object' || value instanceof Date) return false;
  return ('formula' in value || 'sharedFormula' in value) && (!('result' in value) || value.result === undefined || value.result === null);
}

/** "row,column" (0-based, as in the table) of the uncalculated formula cells of the last sheet read. */
export type FormulaCells = Set<string>;

export async function parseXlsx(buffer: Buffer, formulaCells?: FormulaCells): Promise<string[][]> {
  const uncompressed = zipUncompressedSize(buffer);
  if (uncompressed === null) throw new ImportFileError('mentoring:import.errors.unreadableXlsx');
  if (uncompressed > maxXlsxUncompressedBytes) throw new ImportFileError('mentoring:import.errors.tooLarge');
  // The declared sizes can lie: what the entries really inflate to decides.
  const inflated = await zipInflatedSizeWithin(buffer, maxXlsxUncompressedBytes);
  if (inflated === 'too-large') throw new ImportFileError('mentoring:import.errors.tooLarge');
  if (inflated === null) throw new ImportFileError('mentoring:import.errors.unreadableXlsx');
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new ImportFileError('mentoring:import.errors.unreadableXlsx');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ImportFileError('mentoring:import.errors.empty');
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) {
      const value = row.getCell(column).value;
      if (formulaCells && isUncalculatedFormula(value)) formulaCells.add(`${rowNumber - 1},${column - 1}`);
      cells.push(cellText(value));
    }
    table[rowNumber - 1] = cells;
  });
  return Array.from(table, (cells) => cells ?? []);
}

/** Header row → named records; blank rows are skipped but keep the numbering of the file. */
export function recordsFromTable(table: string[][], formulaCells?: FormulaCells): ParsedImportFile {
  const headerIndex = table.findIndex((cells) => cells.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) throw new ImportFileError('mentoring:import.errors.empty');
  const headers = table[headerIndex].map(normaliseHeader);
  const known = new Set<string>(importColumns);
  if (requiredImportColumns.some((column) => !headers.includes(column))) throw new ImportFileError('mentoring:import.errors.missingColumns');

  const rows: ImportRow[] = [];
  for (let index = headerIndex + 1; index < table.length; index += 1) {
    const cells = table[index] ?? [];
    if (cells.every((cell) => (cell ?? '').trim() === '')) continue;
    const record: ImportRecord = {};
    const formulaColumns: ImportColumn[] = [];
    headers.forEach((header, column) => {
      if (known.has(header) && !(header in record)) {
        // A leading ' marks text that only looks like a formula (our own exports write "'+7 701 …").
        record[header as ImportColumn] = (cells[column] ?? '').trim().replace(/^'(?=[=+\-@])/, '');
        if (formulaCells?.has(`${index},${column}`)) formulaColumns.push(header as ImportColumn);
      }
    });
    // A spreadsheet that stored the IIN as a number lost the leading zero of those born in 2000-2009.
    if (/^\d{11}$/.test(record.participant_iin ?? '')) record.participant_iin = `0${record.participant_iin}`;
    rows.push(formulaColumns.length > 0 ? { row: index + 1, record, formulaColumns } : { row: index + 1, record });
    if (rows.length > maxImportRows) throw new ImportFileError('mentoring:import.errors.tooManyRows');
  }
  if (rows.length === 0) throw new ImportFileError('mentoring:import.errors.noRows');
  return { rows, ignoredColumns: headers.filter((header) => header !== '' && !known.has(header)) };
}

/** Reads a CSV or .xlsx upload; throws ImportFileError with a message for the coordinator. */
export async function readImportFile(buffer: Buffer, fileName: string): Promise<ParsedImportFile> {
  if (buffer.length === 0) throw new ImportFileError('mentoring:import.errors.empty');
  if (buffer.length > maxImportBytes) throw new ImportFileError('mentoring:import.errors.tooLarge');
  const formulaCells: FormulaCells = new Set();
  const table = isXlsx(buffer, fileName) ? await parseXlsx(buffer, formulaCells) : parseCsv(buffer);
  return recordsFromTable(table, formulaCells);
}

/** The template a coordinator downloads: the header and two example rows. */
export function importTemplateCsv(exampleRegionCode: string, exampleMonth: string, now = new Date()): string {
  // Example IINs that pass every check: born 17 and 18 years before today, valid check digits.
  const born = (age: number) => new Date(Date.UTC(programmeCalendarDay(now).getUTCFullYear() - age, 0, 15));
  const example = [
    ['Жастар үні', exampleRegionCode, 'Подкаст о профессиях', '', 'ОФ «Болашақ жастары»', 'Ахметов А.', 'Садыкова Б.', exampleMonth, '6', '', 'Алия Ахметова', makeIin(born(17), true, 9901), '', '+7 701 000 00 00'],
    ['Жастар үні', exampleRegionCode, '', '', '', '', '', '', '', '', 'Нурлан Садыков', makeIin(born(18), false, 9902), '', ''],
  ];
  // Our own text (region codes are A-Z, 0-9 and _): the example contact "+7 …" stays as typed, not neutralised.
  return csvText([importColumns, ...example], { neutraliseFormulas: false });
}

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, attachmentFileName, csvText, neutraliseFormula, tableWorkbook } from '../../src/lib/spreadsheet.ts';

describe('the formula guard', () => {
  it('prefixes text that Excel would run as a formula with an apostrophe', () => {
    for (const text of ['=SUM(A1:A9)', '+7 701 000 00 00', '-2+3', '@cmd', '\tTAB', '\rCR']) expect(neutraliseFormula(text), JSON.stringify(text)).toBe(`'${text}`);
  });

  it('leaves every other text as it is', () => {
    for (const text of ['', 'Алия Ахметова', 'a=b', '7+1', ' =not first', "'quoted", '2026-09']) expect(neutraliseFormula(text)).toBe(text);
  });
});

describe('the CSV builder', () => {
  it('starts with a byte-order mark and ends every row with CRLF', () => {
    expect(csvText([['a', 'b'], ['c', 'd']])).toBe('\uFEFFa,b\r\nc,d\r\n');
  });

  it('quotes cells with commas, semicolons, quotes and line breaks, doubling the quotes', () => {
    expect(csvText([['Подкаст; о профессиях', 'one, two', 'say "hi"', 'line\nbreak', 'carriage\rreturn']])).toBe(
      '\uFEFF"Подкаст; о профессиях","one, two","say ""hi""","line\nbreak","carriage\rreturn"\r\n',
    );
  });

  it('writes numbers as they are and empty cells for null and undefined', () => {
    expect(csvText([[4.25, 0, null, undefined, '']])).toBe('\uFEFF4.25,0,,,\r\n');
  });

  it('neutralises a formula cell, then quotes it when needed', () => {
    expect(csvText([['=HYPERLINK("http://evil.example","x")', '@SUM(1)']])).toBe(`\uFEFF"'=HYPERLINK(""http://evil.example"",""x"")",'@SUM(1)\r\n`);
  });

  it('keeps formula-like text when the caller writes fixed text of its own', () => {
    expect(csvText([['+7 701 000 00 00']], { neutraliseFormulas: false })).toBe('\uFEFF+7 701 000 00 00\r\n');
  });
});

describe('the table workbook', () => {
  it('is a real .xlsx with a bold, frozen header and the rows below it, strings kept as text', async () => {
    async function* rows() {
      yield ['A-1', 2.5];
      yield ['=1+1', 3];
    }
    const buffer = await tableWorkbook({ sheetName: 'A sheet name longer than thirty-one characters', headers: ['Номер', 'Балл'], rows: rows() });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('A sheet name longer than thirty');
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(1).values).toEqual([undefined, 'Номер', 'Балл']);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(3).getCell(1).value).toBe('=1+1');
    expect(sheet.getRow(3).getCell(2).value).toBe(3);
  });
});

describe('attachment names', () => {
  it('keeps a plain ASCII name and replaces everything else', () => {
    expect(attachmentFileName('zhas-protocols-astana-2026-03.xlsx')).toBe('zhas-protocols-astana-2026-03.xlsx');
    expect(attachmentFileName('zhas-Протоколы "март".xlsx')).toBe('zhas--.xlsx');
    expect(attachmentFileName('a b/c\\d";e.csv')).toBe('a-b-c-d-e.csv');
    expect(attachmentDisposition('applications-2026-05-01.csv')).toBe('attachment; filename="applications-2026-05-01.csv"');
    expect(attachmentDisposition('bad"name.csv')).toBe('attachment; filename="bad-name.csv"');
  });
});

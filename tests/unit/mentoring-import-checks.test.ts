import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ImportFileError, importTemplateCsv, readImportFile } from '../../src/features/mentoring/group-import.parser.ts';
import { planImport, type ImportReference } from '../../src/features/mentoring/group-import.service.ts';
import { makeIin } from '../../src/lib/iin.ts';

// 1 December 2026, noon in Almaty.
const now = new Date('2026-12-01T07:00:00Z');
const reference: ImportReference = {
  regions: [{ id: 1, code: 'ASTANA', nameRu: 'город Астана', nameKk: 'Астана қаласы', nameEn: 'Astana city' }],
  mentors: [{ id: 7, email: 'mentor@zhas.local' }],
  existingGroups: [],
  registeredIins: new Map(),
};
const header = 'group_name,region,project_title,host_organisation,start_month,months,participant_name,participant_iin,participant_age';
const born = (year: number, month = 3, day = 10) => new Date(Date.UTC(year, month - 1, day));

async function plan(lines: string[]) {
  const parsed = await readImportFile(Buffer.from([header, ...lines].join('\n'), 'utf8'), 'groups.csv');
  return planImport(parsed.rows, reference, now);
}
const row = (iin: string, age: string) => `Группа,ASTANA,Проект,ОФ,2026-09,6,Участник,${iin},${age}`;

describe('the age of an imported participant', () => {
  it('is computed from the IIN when the age column is empty', async () => {
    const result = await plan([row(makeIin(born(2008, 12, 2), true, 11), '')]);
    expect(result.rows[0].problems).toEqual([]);
    expect(result.groups[0].participants[0].age).toBe(17); // 18 tomorrow
  });

  it('is refused when the IIN gives an age outside 14-29', async () => {
    const result = await plan([row(makeIin(born(1990), true, 12), '')]);
    expect(result.rows[0].outcome).toBe('error');
    expect(result.rows[0].problems).toEqual([{ key: 'mentoring:import.errors.ageFromIinRange', column: 'participant_iin', params: { age: 36 } }]);
  });

  it('is refused when the typed age contradicts the IIN', async () => {
    const result = await plan([row(makeIin(born(1991), false, 13), '16')]);
    expect(result.rows[0].problems).toEqual([{ key: 'mentoring:import.errors.ageDiffersFromIin', column: 'participant_age', params: { age: 35 } }]);
    const matching = await plan([row(makeIin(born(2009), false, 14), '17')]);
    expect(matching.rows[0].problems).toEqual([]);
    expect(matching.groups[0].participants[0].age).toBe(17);
  });
});

describe('the downloadable template', () => {
  it('imports unchanged', async () => {
    const parsed = await readImportFile(Buffer.from(importTemplateCsv('ASTANA', '2026-12', now), 'utf8'), 'template.csv');
    const result = planImport(parsed.rows, reference, now);
    expect(result.rows.map((entry) => entry.problems)).toEqual([[], []]);
    expect(result).toMatchObject({ validRows: 2, errorRows: 0, newGroups: 1, newParticipants: 2 });
  });
});

describe('errors in the file', () => {
  it('name the line of a malformed CSV', async () => {
    const csv = [header, row(makeIin(born(2008), true, 15), ''), 'Группа,ASTANA,"Проект "с кавычками" внутри,ОФ,2026-09,6,Участник,,'].join('\n');
    const error = await readImportFile(Buffer.from(csv, 'utf8'), 'groups.csv').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ messageKey: 'mentoring:import.errors.unreadableCsvAt', params: { line: 3 } });
  });

  async function workbookWith(ageCell: ExcelJS.CellValue) {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('groups');
    sheet.addRow(header.split(','));
    sheet.addRow(['Группа', 'ASTANA', 'Проект', 'ОФ', '2026-09', 6, 'Участник', makeIin(born(2009, 1, 5), true, 16), null]);
    sheet.getCell('I2').value = ageCell;
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  it('read a formula cell by its saved value', async () => {
    const parsed = await readImportFile(await workbookWith({ formula: '2026-2009', result: 17 } as ExcelJS.CellValue), 'groups.xlsx');
    expect(parsed.rows[0].record.participant_age).toBe('17');
    expect(planImport(parsed.rows, reference, now).rows[0].problems).toEqual([]);
  });

  it('refuse a formula cell with no saved value as a formula, not as a wrong age', async () => {
    const parsed = await readImportFile(await workbookWith({ formula: 'YEAR(TODAY())-2009' } as ExcelJS.CellValue), 'groups.xlsx');
    const result = planImport(parsed.rows, reference, now);
    expect(result.rows[0].problems).toEqual([{ key: 'mentoring:import.errors.formulaCell', column: 'participant_age' }]);
  });
});

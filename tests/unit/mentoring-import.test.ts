import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { ImportFileError, importTemplateCsv, maxXlsxUncompressedBytes, readImportFile, zipInflatedSizeWithin, zipUncompressedSize } from '../../src/features/mentoring/group-import.parser.ts';
import { normaliseMonthCell, planImport, type ImportReference } from '../../src/features/mentoring/group-import.service.ts';
import { makeIin } from '../../src/lib/iin.ts';

const iin = (serial: number, year = 2007) => makeIin(new Date(Date.UTC(year, 2, 10)), serial % 2 === 0, serial);
const [iinA, iinB, iinC, iinD] = [iin(11), iin(12), iin(13), iin(14)];

const reference: ImportReference = {
  regions: [
    { id: 1, code: 'ASTANA', nameRu: 'город Астана', nameKk: 'Астана қаласы', nameEn: 'Astana city' },
    { id: 2, code: 'ALMATY', nameRu: 'город Алматы', nameKk: 'Алматы қаласы', nameEn: 'Almaty city' },
  ],
  mentors: [{ id: 7, email: 'mentor@zhas.local' }],
  existingGroups: [{ id: 40, name: 'Eco Steppe', regionId: 1 }],
  registeredIins: new Map([[iinD, 'Eco Steppe']]),
};

const header = 'group_name;region;project_title;host_organisation;start_month;months;mentor_email;participant_name;participant_iin;participant_age;participant_contact';

async function plan(csv: string) {
  const parsed = await readImportFile(Buffer.from(csv, 'utf8'), 'groups.csv');
  return planImport(parsed.rows, reference);
}

describe('reading an import file', () => {
  it('reads a good CSV with semicolons, quotes and a BOM', async () => {
    const csv = `\uFEFF${header}\n"Жастар үні";ASTANA;"Подкаст; о профессиях";ОФ «Болашақ»;2026-09;6;mentor@zhas.local;Алия Ахметова;${iinA};17;+7 701 000 00 01\n`;
    const parsed = await readImportFile(Buffer.from(csv, 'utf8'), 'groups.csv');
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.rows[0].row).toBe(2);
    expect(parsed.rows[0].record.project_title).toBe('Подкаст; о профессиях');
    expect(parsed.rows[0].record.participant_iin).toBe(iinA);
  });

  it('reads a Windows-1251 CSV (Excel on a Russian Windows)', async () => {
    const text = `group_name,region,participant_name\nГруппа,ASTANA,Иван\n`;
    // Encode by hand: windows-1251 puts А..я at 0xC0..0xFF.
    const bytes = Buffer.from([...text].map((char) => (char >= 'А' && char <= 'я' ? char.charCodeAt(0) - 0x410 + 0xc0 : char.charCodeAt(0))));
    const parsed = await readImportFile(bytes, 'groups.csv');
    expect(parsed.rows[0].record.group_name).toBe('Группа');
  });

  it('reads an Excel file, keeping an IIN typed as a number with its leading zero', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Groups');
    sheet.addRow(['Group name', 'Region', 'Project title', 'Host organisation', 'Start month', 'Participant name', 'Participant IIN', 'Comment']);
    const leadingZero = makeIin(new Date(Date.UTC(2005, 0, 5)), false, 31);
    expect(leadingZero.startsWith('0')).toBe(true);
    sheet.addRow(['Eco Steppe 2', 'Astana city', 'Сортировка', 'ОО «Таза өңір»', new Date(Date.UTC(2026, 8, 1)), 'Дана', leadingZero]);
    sheet.getCell('G2').value = `${leadingZero}`;
    sheet.addRow([]);
    sheet.addRow(['Eco Steppe 2', 'ASTANA', '', '', '', 'Тимур', Number(iinB)]);
    const parsed = await readImportFile(Buffer.from(await workbook.xlsx.writeBuffer()), 'groups.xlsx');
    expect(parsed.ignoredColumns).toEqual(['comment']);
    expect(parsed.rows.map((row) => row.row)).toEqual([2, 4]);
    expect(parsed.rows[0].record.start_month).toBe('2026-09-01');
    expect(parsed.rows[1].record.participant_iin).toBe(iinB);
    const result = planImport(parsed.rows, reference);
    expect(result.errorRows).toBe(0);
    expect(result.groups[0].form?.programmeStartMonth.toISOString()).toBe('2026-09-01T00:00:00.000Z');
    expect(result.newParticipants).toBe(2);
  });

  it('refuses files it cannot use, with a reason', async () => {
    await expect(readImportFile(Buffer.alloc(0), 'a.csv')).rejects.toThrow(ImportFileError);
    await expect(readImportFile(Buffer.from('name,age\nA,1\n'), 'a.csv')).rejects.toMatchObject({ messageKey: 'mentoring:import.errors.missingColumns' });
    await expect(readImportFile(Buffer.from('group_name,region\n'), 'a.csv')).rejects.toMatchObject({ messageKey: 'mentoring:import.errors.noRows' });
    await expect(readImportFile(Buffer.from('PK\u0003\u0004not really a zip'), 'a.xlsx')).rejects.toMatchObject({ messageKey: 'mentoring:import.errors.unreadableXlsx' });
  });

  it('refuses an .xlsx that would expand beyond the limit before unpacking it (zip bomb)', async () => {
    // A zip whose central directory announces one entry of 100 MB (the data itself is never read).
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(100 * 1024 * 1024, 24);
    central.writeUInt16LE(name.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(0, 16);
    const bomb = Buffer.concat([central, name, end]);
    expect(zipUncompressedSize(bomb)).toBe(100 * 1024 * 1024);
    await expect(readImportFile(bomb, 'groups.xlsx')).rejects.toMatchObject({ messageKey: 'mentoring:import.errors.tooLarge' });

    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('groups').addRow(['group_name', 'region']);
    const real = Buffer.from(await workbook.xlsx.writeBuffer());
    const size = zipUncompressedSize(real);
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThan(maxXlsxUncompressedBytes);
  });

  it('counts what an .xlsx really inflates to, not what it declares: a small file declaring 1,000 bytes but holding 120 MB is refused', async () => {
    // One entry of 120 MB of zeros, deflated to about 120 KB, whose headers claim 1,000 bytes.
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const data = zlib.deflateRawSync(Buffer.alloc(120 * 1024 * 1024), { level: 9 });
    expect(data.length).toBeLessThan(200 * 1024);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(1000, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(1000, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(0, 42);
    const directoryStart = local.length + name.length + data.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(directoryStart, 16);
    const bomb = Buffer.concat([local, name, data, central, name, end]);
    expect(zipUncompressedSize(bomb)).toBe(1000);
    expect(await zipInflatedSizeWithin(bomb, maxXlsxUncompressedBytes)).toBe('too-large');
    await expect(readImportFile(bomb, 'groups.xlsx')).rejects.toMatchObject({ messageKey: 'mentoring:import.errors.tooLarge' });

    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('groups').addRow(['group_name', 'region']);
    const real = Buffer.from(await workbook.xlsx.writeBuffer());
    const inflated = await zipInflatedSizeWithin(real, maxXlsxUncompressedBytes);
    expect(inflated).toBeGreaterThan(zipUncompressedSize(real)! - 1);
  });

  it('offers a template that reads back without errors (except the empty IINs it leaves to fill in)', async () => {
    const parsed = await readImportFile(Buffer.from(importTemplateCsv('ASTANA', '2026-09')), 'template.csv');
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.ignoredColumns).toEqual([]);
  });
});

describe('planning an import', () => {
  it('makes a new group from its first row and adds each participant', async () => {
    const result = await plan([
      header,
      // No ages typed: the IINs give them (a typed age that contradicts the IIN is an error now).
      `Жастар үні;ASTANA;Подкаст;ОФ «Болашақ»;09.2026;;mentor@zhas.local;Алия;${iinA};;`,
      `Жастар үні;ASTANA;;;;;;Нурлан;${iinB};;`,
      `Жастар үні;город Астана;Подкаст;;;;;Дана;${iinC};;`,
    ].join('\n'));
    expect(result.errorRows).toBe(0);
    expect(result.rows.map((row) => row.outcome)).toEqual(['newGroupWithParticipant', 'participant', 'participant']);
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0].form).toMatchObject({ name: 'Жастар үні', regionId: 1, programmeMonths: 6, mentorId: 7 });
    expect(result.groups[0].participants.map((participant) => participant.fullName)).toEqual(['Алия', 'Нурлан', 'Дана']);
  });

  it('adds participants to a group that already exists in that region', async () => {
    const result = await plan([header, `eco steppe;ASTANA;;;;;;Алия;${iinA};;`].join('\n'));
    expect(result.errorRows).toBe(0);
    expect(result.groups[0]).toMatchObject({ existingId: 40, name: 'Eco Steppe' });
    expect(result.newGroups).toBe(0);
  });

  it('reports every problem of a bad row, next to its column', async () => {
    const result = await plan([
      header,
      `;Марс;Проект;Орг;2026-09;6;;Алия;${iinA};;`,
      `Группа Б;ASTANA;;Орг;2026/09;30;nobody@zhas.local;Нурлан;123;45;`,
      `Группа В;ALMATY;Проект;Орг;2026-09;6;;Дана;${iinB.slice(0, 11)}${(Number(iinB[11]) + 1) % 10};;`,
    ].join('\n'));
    expect(result.validRows).toBe(0);
    const [first, second, third] = result.rows;
    expect(first.problems).toEqual(expect.arrayContaining([
      { key: 'mentoring:errors.required', column: 'group_name' },
      { key: 'mentoring:import.errors.regionUnknown', column: 'region', params: { value: 'Марс' } },
    ]));
    expect(second.problems.map((problem) => problem.column).sort()).toEqual(['mentor_email', 'months', 'participant_age', 'participant_iin', 'project_title', 'start_month']);
    expect(third.problems).toEqual([{ key: 'mentoring:errors.iin.checksum', column: 'participant_iin' }]);
    expect(result.groups).toEqual([]);
  });

  it('refuses duplicate IINs in the file and IINs already registered', async () => {
    const result = await plan([
      header,
      `Группа;ASTANA;Проект;Орг;2026-09;6;;Алия;${iinA};;`,
      `Группа;ASTANA;;;;;;Алия дубль;${iinA};;`,
      `Группа;ASTANA;;;;;;Уже в группе;${iinD};;`,
      `Группа;ASTANA;;;;;;Нурлан;${iinB};;`,
    ].join('\n'));
    expect(result.rows.map((row) => row.outcome)).toEqual(['newGroupWithParticipant', 'error', 'error', 'participant']);
    expect(result.rows[1].problems).toEqual([{ key: 'mentoring:import.errors.iinDuplicateInFile', column: 'participant_iin', params: { row: 2 } }]);
    expect(result.rows[2].problems).toEqual([{ key: 'mentoring:import.errors.iinRegistered', column: 'participant_iin', params: { group: 'Eco Steppe' } }]);
    expect(result.groups[0].participants.map((participant) => participant.iin)).toEqual([iinA, iinB]);
    expect(result).toMatchObject({ validRows: 2, errorRows: 2, newGroups: 1, newParticipants: 2 });
  });

  it('does not create a group whose first row has errors, and says so on its other rows', async () => {
    const result = await plan([header, `Группа;ASTANA;;Орг;2026-09;6;;Алия;${iinA};;`, `Группа;ASTANA;;;;;;Нурлан;${iinB};;`].join('\n'));
    expect(result.rows[1].problems).toEqual([{ key: 'mentoring:import.errors.groupNotCreated', column: 'group_name', params: { row: 2 } }]);
    expect(result.groups).toEqual([]);
  });

  it('refuses a later row that contradicts the group details', async () => {
    const result = await plan([header, `Группа;ASTANA;Проект;Орг;2026-09;6;;Алия;${iinA};;`, `Группа;ASTANA;Другой проект;;;;;Нурлан;${iinB};;`].join('\n'));
    expect(result.rows[1].problems).toEqual([{ key: 'mentoring:import.errors.groupDetailsDiffer', column: 'project_title', params: { row: 2 } }]);
  });

  it('understands the usual ways of writing a month', () => {
    expect(['2026-09', '2026-9', '2026-09-01', '09.2026', '01.09.2026'].map(normaliseMonthCell)).toEqual(['2026-09', '2026-09', '2026-09', '2026-09', '2026-09']);
  });
});

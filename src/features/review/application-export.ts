import { compareText } from '../../lib/collation.ts';
import { localisedName } from '../../lib/localised-name.ts';
import { csvDialectFor, csvText, tableWorkbook, type ColumnFormat, type SpreadsheetCell } from '../../lib/spreadsheet.ts';
import { round, weightedMean } from './score-aggregation.ts';
import type { exportApplications } from './application-list.service.ts';

type ExportRows = ReturnType<typeof exportApplications>;
type ExportRow = ExportRows extends AsyncGenerator<infer Row> ? Row : never;

/** The words of an export in its reader's language. */
export interface ExportLabels {
  /** Translates a key of the review namespace or a common one (applicationStatus.*, yes, no). */
  t: (key: string, options?: Record<string, unknown>) => string;
  /** What a cell says instead of a score the viewer may not see yet (blind scoring). */
  hiddenScore: string;
  /** The portal's address, for the link to each application page. */
  baseUrl: string;
}

interface Column {
  header: string;
  format?: ColumnFormat;
  cell: (row: ExportRow) => SpreadsheetCell;
}

const criterionMean = (row: ExportRow, criterionId: number): number | null => {
  const values = row.memberScores.flatMap((score) => score.items.filter((item) => item.criterion.id === criterionId).map((item) => item.value));
  return values.length ? round(values.reduce((sum, value) => sum + value, 0) / values.length) : null;
};

const memberMean = (row: ExportRow, reviewerId: number): number | null => {
  const score = row.memberScores.find((candidate) => candidate.reviewer.id === reviewerId);
  return score ? round(weightedMean({ items: score.items.map((item) => ({ weight: Number(item.criterion.weight), value: item.value })) })) : null;
};

/**
 * The columns of the committee's export: the list's columns first (so that readers of older files find
 * them where they were), then what a committee needs to decide — birth date, interview, decision, the
 * mean of each criterion and each member's score — and a link to the application page. Scores the
 * viewer may not see yet (blind scoring, decided by the query through maySeeOtherScores) stay empty.
 */
function columnsFor(rows: readonly ExportRow[], language: string, labels: ExportLabels): Column[] {
  const { t } = labels;
  const scored = (row: ExportRow, value: SpreadsheetCell) => (row.scoresVisible ? value : '');
  const criteria = new Map<number, ExportRow['memberScores'][number]['items'][number]['criterion']>();
  const members = new Map<number, string>();
  for (const row of rows) {
    for (const score of row.memberScores) {
      members.set(score.reviewer.id, score.reviewer.fullName);
      for (const item of score.items) criteria.set(item.criterion.id, item.criterion);
    }
  }
  const header = (key: string) => t(`review:export.${key}`);
  return [
    { header: header('number'), cell: (row) => row.number },
    { header: header('fullName'), cell: (row) => row.fullName },
    { header: header('region'), cell: (row) => localisedName(row.region, language) },
    { header: header('status'), cell: (row) => t(`applicationStatus.${row.status}`) },
    { header: header('submitted'), format: 'date', cell: (row) => ({ date: row.submittedAt }) },
    { header: header('result'), format: 'decimal', cell: (row) => (row.scoresVisible ? (row.resultScore === null ? '' : Number(row.resultScore)) : labels.hiddenScore) },
    { header: header('scores'), format: 'integer', cell: (row) => scored(row, row.scoreCount) },
    { header: header('spread'), format: 'decimal', cell: (row) => scored(row, row.scoreSpread === null ? '' : Number(row.scoreSpread)) },
    { header: header('experienceYears'), format: 'integer', cell: (row) => row.experienceYears },
    { header: header('residenceMonths'), format: 'integer', cell: (row) => row.residenceMonths },
    { header: header('complete'), cell: (row) => t(row.completeAt ? 'review:export.yes' : 'review:export.no') },
    { header: header('email'), cell: (row) => row.email },
    { header: header('phone'), format: 'text', cell: (row) => ({ asText: row.phone }) },
    { header: header('organisation'), cell: (row) => row.organisation },
    { header: header('occupation'), cell: (row) => row.occupation },
    { header: header('birthDate'), format: 'date', cell: (row) => ({ date: row.birthDate }) },
    { header: header('interview'), format: 'dateTime', cell: (row) => (row.interview && !row.interview.cancelledAt ? { date: row.interview.scheduledAt, withTime: true } : '') },
    { header: header('decision'), cell: (row) => (row.decision ? t(`applicationStatus.${row.decision.outcome}`) : '') },
    ...[...criteria.values()]
      .sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id)
      .map((criterion): Column => ({ header: t('review:export.criterion', { name: localisedName(criterion, language) }), format: 'decimal', cell: (row) => scored(row, criterionMean(row, criterion.id)) })),
    ...[...members.entries()]
      .sort((a, b) => compareText(language)(a[1], b[1]) || a[0] - b[0])
      .map(([reviewerId, name]): Column => ({ header: t('review:export.member', { name }), format: 'decimal', cell: (row) => scored(row, memberMean(row, reviewerId)) })),
    { header: header('link'), cell: (row) => ({ text: `${labels.baseUrl}/committee/applications/${row.id}`, hyperlink: `${labels.baseUrl}/committee/applications/${row.id}` }) },
  ];
}

async function tableOf(rows: ExportRows, language: string, labels: ExportLabels) {
  const all: ExportRow[] = [];
  for await (const row of rows) all.push(row);
  const columns = columnsFor(all, language, labels);
  return { columns, cells: all.map((row) => columns.map((column) => column.cell(row))), count: all.length };
}

/** The committee's application list as CSV in the reader's dialect (";" and a decimal comma in ru/kk), formulas neutralised. */
export async function applicationsCsv(rows: ExportRows, language: string, labels: ExportLabels): Promise<{ body: string; count: number }> {
  const { columns, cells, count } = await tableOf(rows, language, labels);
  return { body: csvText([columns.map((column) => column.header), ...cells], { dialect: csvDialectFor(language) }), count };
}

/** The committee's application list as an .xlsx file: real dates and numbers, phones as text, a link per row. */
export async function applicationsWorkbook(rows: ExportRows, language: string, labels: ExportLabels, sheetName: string): Promise<{ body: Buffer; count: number }> {
  const { columns, cells, count } = await tableOf(rows, language, labels);
  const body = await tableWorkbook({ sheetName, headers: columns.map((column) => column.header), formats: columns.map((column) => column.format), rows: cells });
  return { body, count };
}

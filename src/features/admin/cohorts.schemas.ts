import { z } from 'zod';
import { documentKindNames } from '../documents/document-kinds.ts';
import { formFields } from '../../http/form-fields.ts';

const { nullableText, optionalText, optionalEmail, optionalWholeNumber, programmeDate, programmeDateTime, requiredText, wholeNumber } = formFields('admin');

const documentKind = z.enum(documentKindNames as [string, ...string[]], { error: 'admin:cohorts.errors.unknownDocument' });

/** Name, year, window (Asia/Almaty date-times), results day and the documents every applicant must attach. */
export const cohortFormSchema = z
  .object({
    name: requiredText(200),
    year: wholeNumber(2000, 2100, 'admin:cohorts.errors.yearRange'),
    applicationOpensAt: programmeDateTime,
    applicationClosesAt: programmeDateTime,
    resultsAt: programmeDate,
    requiredDocuments: z
      .union([documentKind, z.array(documentKind)], { error: 'admin:cohorts.errors.unknownDocument' })
      .optional()
      .transform((value) => (value === undefined ? [] : [...new Set(Array.isArray(value) ? value : [value])])),
    contactEmail: optionalEmail,
    contactPhone: nullableText(50),
    // Months after the results are published: documents of those not selected deleted, then their applications anonymised.
    documentRetentionMonths: optionalWholeNumber(1, 120, 6, 'admin:cohorts.errors.documentRetentionRange'),
    anonymiseAfterMonths: optionalWholeNumber(1, 240, 24, 'admin:cohorts.errors.anonymiseRange'),
  })
  .superRefine((cohort, context) => {
    if (cohort.anonymiseAfterMonths < cohort.documentRetentionMonths) {
      context.addIssue({ code: 'custom', path: ['anonymiseAfterMonths'], message: 'admin:cohorts.errors.anonymiseBeforeDocuments' });
    }
    if (cohort.applicationClosesAt <= cohort.applicationOpensAt) {
      context.addIssue({ code: 'custom', path: ['applicationClosesAt'], message: 'admin:cohorts.errors.closesBeforeOpens' });
    } else if (cohort.resultsAt < cohort.applicationClosesAt) {
      context.addIssue({ code: 'custom', path: ['resultsAt'], message: 'admin:cohorts.errors.resultsBeforeClose' });
    }
  });

export type CohortForm = z.output<typeof cohortFormSchema>;

/** The languages and scores of a criterion's levels: fields levelsRu_1 … levelsEn_5. */
export const levelLanguages = ['Ru', 'Kk', 'En'] as const;
export const levelScores = [1, 2, 3, 4, 5] as const;
export const levelFieldName = (language: (typeof levelLanguages)[number], score: number) => `levels${language}_${score}`;

/** What each score means, per language: optional, up to 300 characters each. */
function criterionLevelFields() {
  return Object.fromEntries(levelLanguages.flatMap((language) => levelScores.map((score) => [levelFieldName(language, score), optionalText(300)]))) as Record<`levels${(typeof levelLanguages)[number]}_${number}`, ReturnType<typeof optionalText>>;
}

/** One criterion of the interview rubric; every criterion is scored from 1 to 5. */
export const criterionFormSchema = z.object({
  code: z
    .string({ error: 'admin:errors.required' })
    .trim()
    .toLowerCase()
    .min(1, 'admin:errors.required')
    .regex(/^[a-z][a-z0-9_]{1,39}$/, 'admin:rubric.errors.codeFormat'),
  nameRu: requiredText(200),
  nameKk: requiredText(200),
  nameEn: requiredText(200),
  weight: z
    .string({ error: 'admin:errors.required' })
    .trim()
    .min(1, 'admin:errors.required')
    .transform((value) => value.replace(',', '.'))
    .pipe(
      z
        .string()
        .regex(/^\d{1,3}(\.\d{1,2})?$/, 'admin:rubric.errors.weightFormat')
        .refine((value) => Number(value) > 0 && Number(value) <= 100, 'admin:rubric.errors.weightRange'),
    ),
  sortOrder: optionalWholeNumber(0, 999, null, 'admin:errors.sortOrderRange'),
  ...criterionLevelFields(),
});

export type CriterionForm = z.output<typeof criterionFormSchema>;

/** A language's levels of a parsed form as stored (RubricCriterion.levelsRu …): {"1": "…", "5": "…"}, null when none. */
export function levelsOfForm(form: Record<string, unknown>, language: (typeof levelLanguages)[number]): Record<string, string> | null {
  const entries = levelScores.map((score) => [String(score), form[levelFieldName(language, score)]] as const).filter((entry): entry is readonly [string, string] => typeof entry[1] === 'string' && entry[1] !== '');
  return entries.length ? Object.fromEntries(entries) : null;
}

/** The form's level fields filled from a stored criterion. */
export function levelFieldValues(criterion: { levelsRu: unknown; levelsKk: unknown; levelsEn: unknown }): Record<string, string> {
  const values: Record<string, string> = {};
  for (const language of levelLanguages) {
    const stored = criterion[`levels${language}`];
    for (const score of levelScores) {
      const text = stored && typeof stored === 'object' ? (stored as Record<string, unknown>)[String(score)] : undefined;
      values[levelFieldName(language, score)] = typeof text === 'string' ? text : '';
    }
  }
  return values;
}

export const quotaFieldName = (regionId: number) => `quota-${regionId}`;

/** Quotas by region: an empty field means the region takes no part in the cohort. */
export function quotasFormSchema(regionIds: number[]) {
  return z.object(Object.fromEntries(regionIds.map((id) => [quotaFieldName(id), optionalWholeNumber(0, 10_000, null, 'admin:cohorts.errors.quotaRange')])));
}

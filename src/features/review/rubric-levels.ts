/**
 * What each score of a rubric criterion means (RubricCriterion.levelsRu/Kk/En: {"1": "…", "5": "…"}),
 * in the reader's language; a language with no texts falls back to Russian, the default.
 */
export function criterionLevelsIn(criterion: { levelsRu: unknown; levelsKk: unknown; levelsEn: unknown }, language: string): Record<string, string> {
  const pick = (stored: unknown): Record<string, string> => {
    if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {};
    return Object.fromEntries(Object.entries(stored as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== ''));
  };
  const own = pick(language === 'kk' ? criterion.levelsKk : language === 'en' ? criterion.levelsEn : criterion.levelsRu);
  return Object.keys(own).length > 0 ? own : pick(criterion.levelsRu);
}

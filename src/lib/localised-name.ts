/** Picks the name of a record (region, rubric criterion) in the reader's language. */
export function localisedName(record: { nameRu: string; nameKk: string; nameEn: string }, language: string): string {
  if (language === 'kk') return record.nameKk;
  if (language === 'en') return record.nameEn;
  return record.nameRu;
}

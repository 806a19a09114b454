/**
 * Lists of people, groups, trainings and projects are sorted here, in the reader's language, not by the
 * database: its collation differs between PGlite (C, by code point: Ә Ғ Қ Ң Ө Ұ Ү Һ І after Я) and
 * PostgreSQL (the server's locale), and neither knows the Kazakh alphabet (Ғ right after Г, Ұ before Ү,
 * І after Ы). Node's ICU does. Case and accents aside (sensitivity "base"), numbers by value ("№9" before
 * "№10"). A list that is paged in the database keeps its orderBy there, or sorts all its keys here first.
 */
import { languages } from './enum-lists.ts';

const fallbackLanguage = 'ru';
const collators = new Map<string, Intl.Collator>();

/** One collator per language of the portal, made once (any other language is sorted as Russian). */
export function collatorFor(language: string): Intl.Collator {
  const supported = (languages as readonly string[]).includes(language) ? language : fallbackLanguage;
  let collator = collators.get(supported);
  if (!collator) {
    collator = new Intl.Collator(supported, { sensitivity: 'base', numeric: true });
    collators.set(supported, collator);
  }
  return collator;
}

/** Compares two texts in the alphabet of `language`: for `.sort()` and for composing with other keys. */
export function compareText(language: string): (a: string, b: string) => number {
  return collatorFor(language).compare;
}

/**
 * A sorted copy of `items` by `textOf` in the alphabet of `language`; equal texts by `idOf` when given,
 * otherwise in their given order (the sort is stable).
 */
export function sortByText<T>(items: readonly T[], textOf: (item: T) => string, language: string, idOf?: (item: T) => number): T[] {
  const compare = compareText(language);
  return [...items].sort((a, b) => compare(textOf(a), textOf(b)) || (idOf ? idOf(a) - idOf(b) : 0));
}

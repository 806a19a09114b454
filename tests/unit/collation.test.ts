import { describe, expect, it } from 'vitest';
import { collatorFor, compareText, sortByText } from '../../src/lib/collation.ts';

const names = ['Дана', 'Ғалым', 'Гүл', 'Яна', 'Әлия', 'Арман'];

describe('sortByText', () => {
  it('sorts in the Kazakh alphabet for kk: Ә after А, Ғ after Г, all before Я (not by code point)', () => {
    expect(sortByText(names, (name) => name, 'kk')).toEqual(['Арман', 'Әлия', 'Гүл', 'Ғалым', 'Дана', 'Яна']);
    // The code-point order a C-collated database gives, for contrast.
    expect([...names].sort()).toEqual(['Арман', 'Гүл', 'Дана', 'Яна', 'Ғалым', 'Әлия']);
  });

  it('follows the language: Ұ before Ү and І after Ы in Kazakh, the other way in Russian', () => {
    const letters = ['Үміт', 'Ұлан', 'Іңкәр', 'Кира', 'Ыбырай', 'Иван'];
    expect(sortByText(letters, (name) => name, 'kk')).toEqual(['Иван', 'Кира', 'Ұлан', 'Үміт', 'Ыбырай', 'Іңкәр']);
    expect(sortByText(letters, (name) => name, 'ru')).toEqual(['Иван', 'Іңкәр', 'Кира', 'Үміт', 'Ұлан', 'Ыбырай']);
  });

  it('ignores case and accents, and counts numbers as numbers', () => {
    expect(compareText('ru')('алия', 'Алия')).toBe(0);
    expect(sortByText(['Группа 10', 'группа 9', 'Группа 1'], (name) => name, 'ru')).toEqual(['Группа 1', 'группа 9', 'Группа 10']);
  });

  it('breaks ties by id when given, otherwise keeps the given order, and leaves the input as it was', () => {
    const rows = [
      { id: 3, name: 'Дана' },
      { id: 1, name: 'дана' },
      { id: 2, name: 'Арман' },
    ];
    expect(sortByText(rows, (row) => row.name, 'kk', (row) => row.id).map((row) => row.id)).toEqual([2, 1, 3]);
    expect(sortByText(rows, (row) => row.name, 'kk').map((row) => row.id)).toEqual([2, 3, 1]);
    expect(rows.map((row) => row.id)).toEqual([3, 1, 2]);
  });

  it('makes one collator per language, and sorts a language the portal does not have as Russian', () => {
    expect(collatorFor('kk')).toBe(collatorFor('kk'));
    expect(collatorFor('kk')).not.toBe(collatorFor('ru'));
    expect(collatorFor('xx')).toBe(collatorFor('ru'));
    expect(collatorFor('en').resolvedOptions()).toMatchObject({ locale: 'en', sensitivity: 'base', numeric: true });
  });
});

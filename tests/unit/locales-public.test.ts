import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const languages = ['ru', 'kk', 'en'] as const;
type Language = (typeof languages)[number];

function load(lang: Language): unknown {
  const file = fileURLToPath(new URL(`../../locales/${lang}/public.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Flattens nested objects into "a.b.c" → value; arrays and non-string leaves are reported as errors. */
function flatten(node: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    for (const [key, value] of Object.entries(node)) {
      flatten(value, prefix ? `${prefix}.${key}` : key, out);
    }
  } else {
    out.set(prefix, node);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((match) => match[1]).sort();
}

const flat = Object.fromEntries(languages.map((lang) => [lang, flatten(load(lang))])) as Record<
  Language,
  Map<string, unknown>
>;

describe('locales/*/public.json', () => {
  it('has exactly the same key paths in ru, kk and en', () => {
    const reference = [...flat.ru.keys()].sort();
    expect(reference.length).toBeGreaterThan(0);
    for (const lang of languages) {
      expect([...flat[lang].keys()].sort(), lang).toEqual(reference);
    }
  });

  it('contains only non-empty strings (no arrays, numbers or blanks)', () => {
    for (const lang of languages) {
      for (const [key, value] of flat[lang]) {
        expect(typeof value, `${lang}:${key}`).toBe('string');
        expect((value as string).trim(), `${lang}:${key}`).not.toBe('');
      }
    }
  });

  it('has exactly ten FAQ items q1..q10, each with a question and an answer (the date answers also with the cohort\'s dates)', () => {
    const expected = Array.from({ length: 10 }, (_, i) => `q${i + 1}`);
    for (const lang of languages) {
      const items = (load(lang) as { faq: { items: Record<string, Record<string, unknown>> } }).faq.items;
      expect(Object.keys(items).sort(), lang).toEqual([...expected].sort());
      for (const id of expected) {
        const withDates = id === 'q8' || id === 'q9';
        expect(Object.keys(items[id]).sort(), `${lang}:${id}`).toEqual(withDates ? ['answer', 'answerDated', 'question'] : ['answer', 'question']);
      }
    }
  });

  it('uses the same interpolation placeholders for each key in every language', () => {
    for (const [key, value] of flat.ru) {
      const expected = placeholders(String(value));
      for (const lang of languages) {
        expect(placeholders(String(flat[lang].get(key) ?? '')), `${lang}:${key}`).toEqual(expected);
      }
    }
    expect(placeholders(String(flat.ru.get('home.windowNote')))).toEqual(['closes', 'opens']);
  });

  it('writes Kazakh with Kazakh letters', () => {
    const kazakh = [...flat.kk.values()].join(' ');
    expect(kazakh).toMatch(/[әғқңөұүһі]/);
  });
});

import { describe, expect, it } from 'vitest';
import { loadTranslationResources, supportedLanguages } from '../../src/http/i18n.ts';

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

const pluralSuffix = /_(zero|one|two|few|many|other)$/;

/** The keys of a namespace with plural forms counted once ("left_one", "left_few" → "left"). */
function textKeys(paths: string[]): string[] {
  return [...new Set(paths.map((path) => path.replace(pluralSuffix, '')))].sort();
}

describe('translations', () => {
  const resources = loadTranslationResources();
  const namespaces = Object.keys(resources.ru);

  it.each(namespaces)('namespace %s has the same keys in every language', (namespace) => {
    const russian = textKeys(keyPaths(resources.ru[namespace]));
    for (const language of supportedLanguages) {
      expect(textKeys(keyPaths(resources[language][namespace])), `${language}/${namespace}`).toEqual(russian);
    }
  });

  it.each(namespaces)('namespace %s has every plural form each language needs (Russian: one, few, many, other)', (namespace) => {
    for (const language of supportedLanguages) {
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      const paths = keyPaths(resources[language][namespace]);
      const plurals = new Set(paths.filter((path) => pluralSuffix.test(path)).map((path) => path.replace(pluralSuffix, '')));
      for (const key of plurals) {
        for (const category of categories) expect(paths, `${language}/${namespace}:${key}_${category}`).toContain(`${key}_${category}`);
      }
    }
  });

  it('has no empty text', () => {
    for (const language of supportedLanguages) {
      for (const namespace of namespaces) {
        const flat = keyPaths(resources[language][namespace]);
        for (const path of flat) {
          const text = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], resources[language][namespace]);
          expect(typeof text === 'string' && text.trim().length > 0, `${language}/${namespace}:${path}`).toBe(true);
        }
      }
    }
  });
});

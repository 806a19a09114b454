import { describe, expect, it } from 'vitest';
import { loadTranslationResources, supportedLanguages } from '../../src/http/i18n.ts';

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

describe('translations', () => {
  const resources = loadTranslationResources();
  const namespaces = Object.keys(resources.ru);

  it.each(namespaces)('namespace %s has the same keys in every language', (namespace) => {
    const russian = keyPaths(resources.ru[namespace]).sort();
    for (const language of supportedLanguages) {
      expect(keyPaths(resources[language][namespace]).sort(), `${language}/${namespace}`).toEqual(russian);
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

import { describe, expect, it } from 'vitest';
import { createI18n, rememberingTranslator, supportedLanguages, type TranslationTree } from '../../src/http/i18n.ts';

/** Every text key of a namespace, with its text, plural suffixes as written. */
function leaves(tree: TranslationTree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([name, value]) => (typeof value === 'string' ? [[`${prefix}${name}`, value] as [string, string]] : leaves(value, `${prefix}${name}.`)));
}

const counts = [1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 100, 101, 1.5];

describe('the translator of a language', () => {
  it('gives exactly the text i18next gives, for every key of every language, with and without values', async () => {
    const instance = await createI18n();
    let compared = 0;
    for (const language of supportedLanguages) {
      const fast = rememberingTranslator(instance, language) as unknown as (key: string, options?: Record<string, unknown>) => string;
      const full = instance.getFixedT(language) as unknown as (key: string, options?: Record<string, unknown>) => string;
      const bundles = instance.store.data[language] as Record<string, TranslationTree>;
      for (const [namespace, tree] of Object.entries(bundles)) {
        for (const [path, text] of leaves(tree)) {
          const key = `${namespace}:${path.replace(/_(zero|one|two|few|many|other)$/, '')}`;
          const names = [...text.matchAll(/\{\{([A-Za-z0-9_]+)\}\}/g)].map((match) => match[1]).filter((name) => name !== 'count');
          const values = Object.fromEntries(names.map((name) => [name, `«${name}»`]));
          expect(fast(key), key).toBe(full(key));
          expect(fast(key, values), key).toBe(full(key, values));
          // Twice: the second comes from what the first remembered.
          expect(fast(key, values), key).toBe(full(key, values));
          for (const count of counts) expect(fast(key, { ...values, count }), `${key} ${count}`).toBe(full(key, { ...values, count }));
          // A value missing, a number as a value, a default: the same as i18next too.
          if (names.length > 0) {
            expect(fast(key, {}), key).toBe(full(key, {}));
            expect(fast(key, { ...values, [names[0]]: 7 }), key).toBe(full(key, { ...values, [names[0]]: 7 }));
          }
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });
});

describe('the translator of a language, on the page path', () => {
  it('puts values and counts in without going through i18next', async () => {
    const instance = await createI18n();
    let i18nextCalls = 0;
    const getFixedT = instance.getFixedT.bind(instance);
    instance.getFixedT = ((...args: Parameters<typeof getFixedT>) => {
      const fixed = getFixedT(...args);
      return ((...options: unknown[]) => {
        i18nextCalls += 1;
        return (fixed as unknown as (...values: unknown[]) => unknown)(...options);
      }) as unknown as ReturnType<typeof getFixedT>;
    }) as typeof instance.getFixedT;
    const t = rememberingTranslator(instance, 'ru') as unknown as (key: string, options?: Record<string, unknown>) => string;
    expect(t('admin.home.mentors', { count: 1 })).toBe('ментор');
    expect(t('admin.home.mentors', { count: 5 })).toBe('менторов');
    expect(t('apply:form.intro', { name: 'Набор 2027', closes: '1 марта' })).toContain('Набор 2027');
    expect(i18nextCalls).toBe(0);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.ts';
import { loadTranslationResources } from '../../src/http/i18n.ts';

function filesUnder(directory: string, extension: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return filesUnder(full, extension);
    return entry.name.endsWith(extension) ? [full] : [];
  });
}

describe('every literal translation key used in a view or in the code exists', () => {
  const russian = loadTranslationResources().ru;
  const exists = (fullKey: string) => {
    const [namespace, key] = fullKey.includes(':') ? fullKey.split(':') : ['common', fullKey];
    const lookUp = (path: string) => path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], russian[namespace]) !== undefined;
    // A plural text is found under its forms: "left" is "left_one", "left_few"…
    return lookUp(key) || lookUp(`${key}_other`);
  };
  const sources = [...filesUnder(path.join(projectRoot, 'views'), '.ejs'), ...filesUnder(path.join(projectRoot, 'src'), '.ts').filter((file) => !file.includes('generated'))];

  it.each(sources.map((file) => [path.relative(projectRoot, file), file]))('%s', (_name, file) => {
    const text = fs.readFileSync(file, 'utf8');
    const literalKeys = [
      ...[...text.matchAll(/\bt\('([^'+]+)'\s*[,)]/g)].map((match) => match[1]),
      ...[...text.matchAll(/(?:titleKey|messageKey|key): '([a-zA-Z:.]+)'/g)].map((match) => match[1]),
      ...[...text.matchAll(/addFlash\([^,]+, '[a-z]+', '([^']+)'\)/g)].map((match) => match[1]),
      ...[...text.matchAll(/'((?:auth|apply|errors)\.errors?\.[a-zA-Z.]+)'/g)].map((match) => match[1]),
    ];
    const missing = literalKeys.filter((key) => !exists(key));
    expect(missing).toEqual([]);
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.ts';
import { findImportCycles, importGraph, importsIn } from '../helpers/import-graph.ts';

const srcDir = path.join(projectRoot, 'src');
const generatedDir = path.join(srcDir, 'generated');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.startsWith(generatedDir + path.sep))
    .sort();
}

describe('imports of src/', () => {
  it('form no cycle (a feature uses another through its service, never both ways)', async () => {
    const graph = await importGraph(await sourceFiles(srcDir), { exclude: [generatedDir] });
    expect(graph.size).toBeGreaterThan(50);
    const cycles = findImportCycles(graph).map((cycle) => cycle.map((file) => path.relative(projectRoot, file)).join(' → '));
    expect(cycles, `import cycles in src/:\n${cycles.join('\n')}`).toEqual([]);
  });
});

describe('the import reader', () => {
  it('reads static imports and re-exports, and tells type-only ones apart', () => {
    const source = [
      "import fs from 'node:fs';",
      "import { a, b } from './a.ts';",
      "import {",
      "  c,",
      "  type D,",
      "} from '../c.ts';",
      "import type { E } from './e.ts';",
      "import { type F, type G } from './f.ts';",
      "import * as h from './h.ts';",
      "import './side-effect.ts';",
      "export { i } from './i.ts';",
      "export * from './j.ts';",
      "export type { K } from './k.ts';",
      "export const l = 'from \"./not-an-import.ts\"';",
      "// import { m } from './commented.ts';",
      "const n = await import('./dynamic.ts');",
    ].join('\n');
    expect(importsIn(source)).toEqual([
      { specifier: 'node:fs', typeOnly: false },
      { specifier: './a.ts', typeOnly: false },
      { specifier: '../c.ts', typeOnly: false },
      { specifier: './e.ts', typeOnly: true },
      { specifier: './f.ts', typeOnly: true },
      { specifier: './h.ts', typeOnly: false },
      { specifier: './i.ts', typeOnly: false },
      { specifier: './j.ts', typeOnly: false },
      { specifier: './k.ts', typeOnly: true },
      { specifier: './side-effect.ts', typeOnly: false },
    ]);
  });

  it('finds every cycle, printed as a path back to its first file, and none in a tree', () => {
    const graph = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
      ['e', ['e']],
      ['f', ['d']],
    ]);
    expect(findImportCycles(graph)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['e', 'e'],
    ]);
    expect(findImportCycles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });
});

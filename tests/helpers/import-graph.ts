/**
 * The relative imports between our TypeScript files, read from the text (static `import … from`,
 * `import '…'` and `export … from`; dynamic `import()` is not followed). Used by the import-cycle
 * test and by the global setup, which keys the seeded-database dump on the seed's source files.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export interface ImportReference {
  specifier: string;
  /** `import type`, `export type`, or braces holding only `type` names: erased when compiled. */
  typeOnly: boolean;
}

// The part between the keyword and `from` may span lines but holds no `;` or quote.
const importOrExportFrom = /^[ \t]*(import|export)\s+(type\s+)?([^;'"`]*?)\s*from\s*['"]([^'"]+)['"]/gm;
const sideEffectImport = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;

export function importsIn(source: string): ImportReference[] {
  const references: ImportReference[] = [];
  for (const match of source.matchAll(importOrExportFrom)) {
    const [, keyword, typeKeyword, clause, specifier] = match;
    // `export const x = …` and the like: only `export *` and `export { … }` re-export from a module.
    if (keyword === 'export' && !typeKeyword && !/^(\*|\{)/.test(clause)) continue;
    const braces = /^\{([^}]*)\}$/.exec(clause.trim());
    const names = braces ? braces[1].split(',').map((name) => name.trim()).filter(Boolean) : [];
    const onlyTypeNames = names.length > 0 && names.every((name) => name.startsWith('type '));
    references.push({ specifier, typeOnly: Boolean(typeKeyword) || onlyTypeNames });
  }
  for (const match of source.matchAll(sideEffectImport)) references.push({ specifier: match[1], typeOnly: false });
  return references;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then((stat) => stat.isFile(), () => false);
}

/** The file a relative specifier names (`./x.ts`, or `./x.js` compiled from `./x.ts`); null if none. */
async function resolveRelative(fromFile: string, specifier: string): Promise<string | null> {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  const target = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [target, target.replace(/\.js$/, '.ts'), `${target}.ts`, path.join(target, 'index.ts')]) {
    if (await exists(candidate)) return candidate;
  }
  return null;
}

export interface ImportGraphOptions {
  /** Follow `import type` too (default false: they vanish at run time and cannot form a run-time cycle). */
  includeTypeOnly?: boolean;
  /** Files or folders not to enter (e.g. the generated Prisma client). */
  exclude?: string[];
}

/** file → the files it imports (absolute paths), for every file reachable from `entries`. */
export async function importGraph(entries: string[], options: ImportGraphOptions = {}): Promise<Map<string, string[]>> {
  const excluded = (file: string) => (options.exclude ?? []).some((prefix) => file === prefix || file.startsWith(prefix + path.sep));
  const graph = new Map<string, string[]>();
  const queue = entries.map((entry) => path.resolve(entry)).filter((file) => !excluded(file));
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (graph.has(file)) continue;
    const targets: string[] = [];
    graph.set(file, targets);
    if (!/\.[cm]?[jt]s$/.test(file)) continue;
    for (const reference of importsIn(await fs.readFile(file, 'utf8'))) {
      if (reference.typeOnly && !options.includeTypeOnly) continue;
      const target = await resolveRelative(file, reference.specifier);
      if (!target || excluded(target) || targets.includes(target)) continue;
      targets.push(target);
      queue.push(target);
    }
  }
  return graph;
}

/**
 * One cycle per group of files that import each other (a strongly connected component), as the path
 * `[a, b, …, a]`, shortest first from the component's first file in sorted order. Empty: no cycle.
 */
export function findImportCycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm, iterative.
  let counter = 0;
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const targetsOf = (node: string) => (graph.get(node) ?? []).filter((target) => graph.has(target));

  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    lowLink.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = targetsOf(frame.node);
      if (frame.next < targets.length) {
        const target = targets[frame.next++];
        if (!index.has(target)) {
          index.set(target, counter);
          lowLink.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.node, Math.min(lowLink.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        lowLink.set(parent, Math.min(lowLink.get(parent)!, lowLink.get(frame.node)!));
      }
      if (lowLink.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfImport = component.length === 1 && targetsOf(component[0]).includes(component[0]);
        if (component.length > 1 || selfImport) components.push(component.sort());
      }
    }
  }

  // A shortest way round each component, found breadth-first from its first file.
  return components
    .map((component) => {
      const members = new Set(component);
      const first = component[0];
      const previous = new Map<string, string>();
      const queue = [first];
      while (queue.length > 0) {
        const node = queue.shift()!;
        for (const target of targetsOf(node)) {
          if (!members.has(target)) continue;
          if (target === first) {
            const cycle = [first];
            for (let step: string | undefined = node; step !== undefined && step !== first; step = previous.get(step)) cycle.splice(1, 0, step);
            return [...cycle, first];
          }
          if (!previous.has(target)) {
            previous.set(target, node);
            queue.push(target);
          }
        }
      }
      return [first, first];
    })
    .sort((left, right) => left[0].localeCompare(right[0]));
}

import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json, views/, locales/ and prisma/, whatever the working directory,
 * and the same whether this file runs from src/ (tsx) or from the compiled dist/src/.
 */
function findProjectRoot(start: string): string {
  for (let folder = start; ; folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, 'package.json')) && fs.existsSync(path.join(folder, 'views'))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`no project root (package.json next to views/) above ${start}`);
  }
}

export const projectRoot = findProjectRoot(import.meta.dirname);

import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImportRow } from './group-import.parser.ts';

/** The rows of a file between its preview and the confirmation: on the server, not in the session. */
export interface ImportPreview {
  fileName: string;
  rows: ImportRow[];
  validRows: number;
}

/** A preview not confirmed within this time is gone (the coordinator uploads the file again). */
const previewLifetimeMs = 3_600_000;
/** Bigger than any file the import accepts, so it only stops something gone wrong. */
export const maxPreviewBytes = 20 * 1024 * 1024;

/**
 * Previews as files under UPLOAD_DIR/import-previews (outside the public folder, readable by the
 * portal only). The session keeps just the id, so a large sheet does not slow every later page
 * of the coordinator, and old previews are removed whenever a new one is saved.
 */
export function importPreviewStore(uploadDir: string) {
  const directory = path.join(uploadDir, 'import-previews');
  const fileOf = (id: string) => (/^[0-9a-f-]{36}$/.test(id) ? path.join(directory, `${id}.json`) : null);

  async function removeExpired(now: number) {
    const names = await fs.readdir(directory).catch(() => [] as string[]);
    await Promise.all(
      names.map(async (name) => {
        const file = path.join(directory, name);
        const stat = await fs.stat(file).catch(() => null);
        if (stat && now - stat.mtimeMs > previewLifetimeMs) await fs.rm(file, { force: true });
      }),
    );
  }

  return {
    /** Returns the id, or null when the preview is too big to keep. */
    async save(preview: ImportPreview): Promise<string | null> {
      const text = JSON.stringify(preview);
      if (Buffer.byteLength(text) > maxPreviewBytes) return null;
      await fs.mkdir(directory, { recursive: true, mode: 0o700 });
      await removeExpired(Date.now());
      const id = randomUUID();
      await fs.writeFile(fileOf(id)!, text, { mode: 0o600 });
      return id;
    },
    async load(id: string): Promise<ImportPreview | null> {
      const file = fileOf(id);
      if (!file) return null;
      const stat = await fs.stat(file).catch(() => null);
      if (!stat || Date.now() - stat.mtimeMs > previewLifetimeMs) return null;
      return JSON.parse(await fs.readFile(file, 'utf8')) as ImportPreview;
    },
    async update(id: string, preview: ImportPreview): Promise<void> {
      const file = fileOf(id);
      if (file) await fs.writeFile(file, JSON.stringify(preview), { mode: 0o600 });
    },
    async remove(id: string): Promise<void> {
      const file = fileOf(id);
      if (file) await fs.rm(file, { force: true });
    },
  };
}

import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { documentMasterKey, openDocument, type DocumentKeySettings } from './document-encryption.ts';
import type { DocumentStore } from './document-storage.ts';

const extensionOfType: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/**
 * The name a document is served under: the applicant's name with the extension of the type detected
 * on upload (a "report.html" that is a PDF is served as "report.pdf"), never the one they typed.
 */
export function downloadFileName(originalName: string, mimeType: string): string {
  const extension = extensionOfType[mimeType] ?? 'bin';
  const withoutControls = originalName.replace(/[\u0000-\u001f\u007f/\\]/g, '_');
  const dot = withoutControls.lastIndexOf('.');
  const stem = (dot > 0 ? withoutControls.slice(0, dot) : withoutControls).replace(/[.\s]+$/, '').trim();
  return `${stem || 'document'}.${extension}`;
}

/** RFC 5987 encoding of a UTF-8 value (encodeURIComponent leaves ' ( ) * unencoded, which attr-char forbids). */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Content-Disposition with a plain ASCII fallback name and the UTF-8 name in filename* (RFC 6266). */
export function documentDisposition(disposition: 'inline' | 'attachment', originalName: string, mimeType: string): string {
  const name = downloadFileName(originalName, mimeType);
  const extension = name.slice(name.lastIndexOf('.'));
  const asciiStem = name.slice(0, -extension.length).replace(/[^A-Za-z0-9._\-() ]+/g, '_').replace(/^[._ ]+/, '');
  const fallback = `${/[A-Za-z0-9]/.test(asciiStem) ? asciiStem : 'document'}${extension}`;
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${rfc5987(name)}`;
}

export interface StoredDocumentToSend {
  storedName: string;
  originalName: string;
  mimeType: string;
}

/**
 * Streams a stored document from the store to the response, decrypted on the way (never the whole
 * file in memory). Returns false when the file is not there. If the file was altered, its tag fails at
 * the end and the response is aborted before the last chunk.
 */
export async function sendStoredDocument(response: Response, store: DocumentStore, keys: DocumentKeySettings, document: StoredDocumentToSend, disposition: 'inline' | 'attachment'): Promise<boolean> {
  const stored = await store.open(document.storedName);
  if (!stored) return false;
  const opened = await openDocument(stored, documentMasterKey(keys));
  response.setHeader('Content-Type', document.mimeType);
  response.setHeader('Content-Length', String(opened.sizeBytes));
  response.setHeader('Content-Disposition', documentDisposition(disposition, document.originalName, document.mimeType));
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; plugin-types application/pdf; sandbox");
  try {
    await pipeline(opened.stream, response);
  } catch {
    // The tag did not match or the reader went away: the response is already cut off.
    response.destroy();
  }
  return true;
}

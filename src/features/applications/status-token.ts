import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe; only its sha256 is stored, so a database leak reveals no links. */
export function newStatusToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashStatusToken(token) };
}

export function hashStatusToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeStatusToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** The e-mailed link; it carries the applicant's language, so the page opens in it on any device. */
export function statusUrl(baseUrl: string, token: string, language: string): string {
  return `${baseUrl}/status/${token}?lang=${language}`;
}

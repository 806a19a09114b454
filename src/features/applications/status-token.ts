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

export function statusUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/status/${token}`;
}

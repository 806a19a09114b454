import type { RequestHandler } from 'express';

/** PostgreSQL text cannot hold U+0000; such characters are never meaningful in a form, so they go. */
export function withoutNullCharacters(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
  if (Array.isArray(value)) return value.map(withoutNullCharacters);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, withoutNullCharacters(child)]));
  return value;
}

export const stripNullCharactersFromBody: RequestHandler = (request, _response, next) => {
  if (request.body && typeof request.body === 'object') request.body = withoutNullCharacters(request.body);
  next();
};

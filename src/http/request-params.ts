import type { Request } from 'express';
import { NotFoundError } from '../lib/errors.ts';

/** A positive integer from a string (URL parameter, query, form field), or undefined; 0, signs and leading zeros are not ids. */
export function positiveInteger(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,8}$/.test(value)) return undefined;
  return Number(value);
}

/** The numeric id in a URL parameter; anything else is a page that does not exist. */
export function idParam(request: Request, name = 'id'): number {
  const id = positiveInteger(request.params[name]);
  if (id === undefined) throw new NotFoundError(`No such ${name}`);
  return id;
}

import type { Request } from 'express';
import { currentUser } from '../../http/guards.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';

/** A positive integer from a string (URL parameter, query, form field), or undefined. */
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

/** What was typed into a form, to show again after an error (never the CSRF token). */
export function formValues(body: unknown): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (key !== '_csrf') values[key] = value;
  }
  return values;
}

/** The coordinator doing the change (every /admin route requires one). */
export function actorId(request: Request): number {
  return currentUser(request)!.id;
}

/** Field → [before, after] for the fields whose value changed (dates compared by time). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const normalise = (value: unknown): unknown => {
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map(normalise);
    if (value !== null && typeof value === 'object' && typeof (value as { toFixed?: unknown }).toFixed === 'function') return String(value); // Prisma.Decimal
    return value ?? null;
  };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    const from = normalise(before[key]);
    const to = normalise(after[key]);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}

/** Runs a change; a refusal (ConflictError: criterion in use, own account...) becomes its message key. */
export async function attempt<T>(change: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; messageKey: string }> {
  try {
    return { ok: true, value: await change() };
  } catch (error) {
    if (error instanceof ConflictError) return { ok: false, messageKey: error.messageKey };
    throw error;
  }
}

import type { Request } from 'express';
import { currentUser } from '../../http/guards.ts';
import { ConflictError } from '../../lib/errors.ts';

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

import type { z } from 'zod';

/** First message of each field, keyed by the field's name (nested paths joined with dots). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join('.') || '_form';
    errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * The fields of a form that are valid on their own, parsed, when the whole form is not: so that the
 * rules on those fields can be checked in the same round as the format errors of the others.
 */
export function validFieldsOf<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>, input: unknown): Partial<z.output<z.ZodObject<Shape>>> {
  const source = (input ?? {}) as Record<string, unknown>;
  const valid: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const parsed = (field as z.ZodType).safeParse(source[name]);
    if (parsed.success) valid[name] = parsed.data;
  }
  return valid as Partial<z.output<z.ZodObject<Shape>>>;
}

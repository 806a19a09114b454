/** Every value of a list field as strings: several checkboxes post an array, one a string, none nothing. */
export function listValue(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item): item is string => typeof item === 'string');
}

/** What was typed into a form, to show again after an error: every field but the CSRF token; list fields always as arrays. */
export function formValues(body: unknown, listFields: readonly string[] = []): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (key !== '_csrf') values[key] = value;
  }
  for (const field of listFields) values[field] = listValue(values[field]);
  return values;
}

/** The named text fields of a form as strings ('' when absent or not text). */
export function textValues<Field extends string>(body: unknown, fields: readonly Field[]): Record<Field, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  const values = {} as Record<Field, string>;
  for (const field of fields) {
    const value = source[field];
    values[field] = typeof value === 'string' ? value : '';
  }
  return values;
}

/** Field name → message key, shown next to the field. */
export type FieldErrors = Record<string, string>;

/** What a service answers to a submitted form: done (with what it made), or the problems to show next to the fields. */
export type FormResult<Made = object> = ({ ok: true } & Made) | { ok: false; errors: FieldErrors };

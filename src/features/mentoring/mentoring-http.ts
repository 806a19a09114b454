/** Small request helpers shared by the mentoring handlers. */
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { formatDate, formatDateTime } from '../../lib/dates.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { positiveInteger } from '../../http/request-params.ts';
import { calendarDateParam, monthParam, parseMonthParam } from './month-rules.ts';

/** A YYYY-MM route parameter, or 404. */
export function monthRouteParam(request: Request, name = 'month'): Date {
  const month = parseMonthParam(request.params[name]);
  if (!month) throw new NotFoundError(`Bad month ${String(request.params[name])}`);
  return month;
}

const idQuery = z.unknown().transform((value) => positiveInteger(value)).optional();
const monthQuery = z
  .string()
  .transform((value) => parseMonthParam(value) ?? undefined)
  .optional()
  .catch(undefined);

/** Filters of the coordinator pages (region, mentor or "none", period); anything malformed is ignored. */
export const coordinatorFilterSchema = z.object({
  region: idQuery,
  mentor: z.unknown().transform((value) => (value === 'none' ? ('none' as const) : positiveInteger(value))).optional(),
  from: monthQuery,
  to: monthQuery,
  month: monthQuery,
});

export type CoordinatorFilter = z.output<typeof coordinatorFilterSchema>;

export function coordinatorFilter(request: Request): CoordinatorFilter {
  return coordinatorFilterSchema.parse(request.query ?? {});
}

/** The filter as a query string (for links that keep it, e.g. the Excel export). */
export function filterQuery(filter: CoordinatorFilter): string {
  const query = new URLSearchParams();
  if (filter.region) query.set('region', String(filter.region));
  if (filter.mentor) query.set('mentor', String(filter.mentor));
  if (filter.from) query.set('from', monthParam(filter.from));
  if (filter.to) query.set('to', monthParam(filter.to));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** Helpers every mentoring view uses. */
export const mentoringLocals: RequestHandler = (_request, response, next) => {
  Object.assign(response.locals, { formatDate, formatDateTime, monthParam, calendarDateParam });
  next();
};

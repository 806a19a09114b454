/** Small request helpers shared by the mentoring handlers. */
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { formatDate, formatDayAndMonth, formatDateTime, toProgrammeTime } from '../../lib/dates.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { positiveInteger } from '../../http/request-params.ts';
import { calendarDateParam, monthParam, parseMonthParam } from './month-rules.ts';
import { linkPieces } from './protocol-links.ts';

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
  /** The compliance grid's "only missing" / "only late": the groups with at least one such month. */
  state: z.enum(['missing', 'late']).optional().catch(undefined),
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
  if (filter.state) query.set('state', filter.state);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** A period that ends before it starts: refused with a message next to the "to" field. */
export function isReversedPeriod(filter: CoordinatorFilter): boolean {
  return Boolean(filter.from && filter.to && filter.to.getTime() < filter.from.getTime());
}

/** The time of day in Almaty, "22:41" (the same 24-hour form in the three languages). */
export function formatTimeOfDay(date: Date): string {
  return toProgrammeTime(date).toFormat('HH:mm');
}

/** When a protocol was last saved: the time for today ("22:41"), the date and time for an earlier day. */
export function savedAtLabel(date: Date, language: string, now = new Date()): string {
  return toProgrammeTime(date).hasSame(toProgrammeTime(now), 'day') ? formatTimeOfDay(date) : formatDateTime(date, language);
}

/** The path of the request without its query: what a kept form is filed under. */
export function requestPathname(request: Request): string {
  return new URL(request.originalUrl, 'http://portal.invalid').pathname;
}

/** Helpers every mentoring view uses. Every mentoring page shows personal data: never cached. */
export const mentoringLocals: RequestHandler = (_request, response, next) => {
  response.set('Cache-Control', 'no-store');
  Object.assign(response.locals, { formatDate, formatDayAndMonth, formatDateTime, formatTimeOfDay, savedAtLabel, monthParam, calendarDateParam, linkPieces });
  next();
};

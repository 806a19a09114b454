/**
 * Calendar rules of mentoring, all in Asia/Almaty. A "month" is the first day of a calendar month as a
 * UTC-midnight Date (how @db.Date columns store it); a "session date" is a calendar day stored the same way.
 */
import { monthStartOf, monthsFrom, programmeCalendarDay, programmeDayStartsAt } from '../../lib/dates.ts';

/** How a programme month looks from the mentor's side. */
export type MonthState = 'submitted' | 'draft' | 'returned' | 'missing' | 'due' | 'upcoming';

export function monthStateOf(month: Date, currentMonth: Date, protocolStatus: string | undefined): MonthState {
  if (protocolStatus === 'SUBMITTED') return 'submitted';
  if (protocolStatus === 'RETURNED') return 'returned';
  if (protocolStatus === 'DRAFT') return 'draft';
  if (month.getTime() === currentMonth.getTime()) return 'due';
  return month < currentMonth ? 'missing' : 'upcoming';
}

/**
 * How a month looks on the coordinator's compliance grid: "late" is a protocol first submitted after
 * its month had ended; "outside" is a month that is not part of the group's programme.
 */
export type ComplianceState = 'submitted' | 'late' | 'draft' | 'returned' | 'missing' | 'due' | 'upcoming' | 'outside';
export const complianceStates: readonly ComplianceState[] = ['submitted', 'late', 'returned', 'draft', 'due', 'missing', 'upcoming', 'outside'];

export interface ProgrammePeriod {
  programmeStartMonth: Date;
  programmeMonths: number;
}

export interface ProtocolTiming {
  status: string;
  submittedAt: Date | null;
}

/**
 * The one state of a month, for the mentor's pages as for the coordinator's grid (late is late for
 * both); "outside" is decided by the grid, which also shows months outside a group's programme.
 */
export function complianceStateOf(month: Date, currentMonth: Date, protocol: ProtocolTiming | undefined | null): ComplianceState {
  if (protocol?.status === 'SUBMITTED') return protocol.submittedAt && isLate(month, protocol.submittedAt) ? 'late' : 'submitted';
  return monthStateOf(month, currentMonth, protocol?.status);
}

/** "2026-03" → 2026-03-01 (UTC midnight); null for anything else. */
export function parseMonthParam(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (year < 2000 || year > 2100 || month < 1 || month > 12) return null;
  return new Date(Date.UTC(year, month - 1, 1));
}

/** 2026-03-01 → "2026-03" (the form of the month in URLs and in import files). */
export function monthParam(month: Date): string {
  return month.toISOString().slice(0, 7);
}

export function addMonths(month: Date, count: number): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + count, 1));
}

/** Whole months from `from` to `to` (0 when equal, negative when `to` is earlier). */
export function monthsBetween(from: Date, to: Date): number {
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
}

export function programmeMonthsOf(period: ProgrammePeriod): Date[] {
  return monthsFrom(period.programmeStartMonth, period.programmeMonths);
}

export function programmeLastMonth(period: ProgrammePeriod): Date {
  return addMonths(period.programmeStartMonth, period.programmeMonths - 1);
}

export function isProgrammeMonth(period: ProgrammePeriod, month: Date): boolean {
  const offset = monthsBetween(period.programmeStartMonth, month);
  return offset >= 0 && offset < period.programmeMonths;
}

/** "2026-03-14" → 2026-03-14 (UTC midnight); null when it is not a real calendar day. */
export function parseCalendarDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

export function calendarDateParam(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** True when the calendar day lies in that calendar month. */
export function isDateInMonth(date: Date, month: Date): boolean {
  return date.getUTCFullYear() === month.getUTCFullYear() && date.getUTCMonth() === month.getUTCMonth();
}

/** True when the calendar day lies in one of the months of the group's programme. */
export function isDateInProgramme(date: Date, period: ProgrammePeriod): boolean {
  return isProgrammeMonth(period, new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)));
}

/** Today's calendar day in Almaty (UTC midnight). */
export function todayInProgramme(now: Date): Date {
  return programmeCalendarDay(now);
}

/** The first and last calendar day of a month (for the date field's min and max). */
export function monthBounds(month: Date): { first: Date; last: Date } {
  return { first: month, last: new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0)) };
}

/** The instant the month ends: midnight in Almaty at the start of the next month. */
export function monthEndsAt(month: Date): Date {
  return programmeDayStartsAt(addMonths(month, 1));
}

/** Submitted after the month had ended. */
export function isLate(month: Date, submittedAt: Date): boolean {
  return submittedAt.getTime() >= monthEndsAt(month).getTime();
}

/** Days left in the current Almaty month, today included (1 on the last day). */
export function daysLeftInMonth(now: Date): number {
  const today = programmeCalendarDay(now);
  return monthBounds(today).last.getUTCDate() - today.getUTCDate() + 1;
}

/** Reminders go out during the last `daysBeforeMonthEnd` days of the month. */
export function isReminderWindow(now: Date, daysBeforeMonthEnd: number): boolean {
  return daysLeftInMonth(now) <= daysBeforeMonthEnd;
}

export { monthStartOf };

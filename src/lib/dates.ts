import { DateTime } from 'luxon';

/** Every date is shown and reasoned about in the programme's time zone. */
export const programmeTimeZone = 'Asia/Almaty';

export function toProgrammeTime(date: Date): DateTime {
  return DateTime.fromJSDate(date, { zone: programmeTimeZone });
}

export function formatDate(date: Date, language: string): string {
  const text = toProgrammeTime(date).setLocale(language).toLocaleString(DateTime.DATE_FULL);
  // Russian appends "г."; sentences that end with a date would then end in "г..".
  return language === 'ru' ? text.replace(/ г\.$/, '') : text;
}

export function formatDateTime(date: Date, language: string): string {
  return toProgrammeTime(date).setLocale(language).toLocaleString(DateTime.DATETIME_MED);
}

/** First day of the month containing `date`, in Asia/Almaty, as a UTC-midnight date (how @db.Date columns store it). */
export function monthStartOf(date: Date): Date {
  const local = toProgrammeTime(date);
  return new Date(Date.UTC(local.year, local.month - 1, 1));
}

/** `months` calendar months starting at `startMonth` (a @db.Date first-of-month). */
export function monthsFrom(startMonth: Date, months: number): Date[] {
  return Array.from({ length: months }, (_, index) => new Date(Date.UTC(startMonth.getUTCFullYear(), startMonth.getUTCMonth() + index, 1)));
}

export function formatMonth(month: Date, language: string): string {
  return DateTime.fromJSDate(month, { zone: 'utc' }).setLocale(language).toFormat('LLLL yyyy');
}

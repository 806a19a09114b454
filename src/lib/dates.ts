import { DateTime } from 'luxon';

/** Every date is shown and reasoned about in the programme's time zone. */
export const programmeTimeZone = 'Asia/Almaty';

export function toProgrammeTime(date: Date): DateTime {
  return DateTime.fromJSDate(date, { zone: programmeTimeZone });
}

// One Intl formatter per language and style, made once: the same text as luxon's
// toLocaleString(DATE_FULL / DATETIME_MED), without building a DateTime for every date on a page.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(language: string, style: 'date' | 'dateTime'): Intl.DateTimeFormat {
  const key = `${language}|${style}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language, { ...(style === 'date' ? DateTime.DATE_FULL : DateTime.DATETIME_MED), timeZone: programmeTimeZone });
    formatters.set(key, formatter);
  }
  return formatter;
}

export function formatDate(date: Date, language: string): string {
  const text = formatterFor(language, 'date').format(date);
  // Russian appends "г."; sentences that end with a date would then end in "г..".
  return language === 'ru' ? text.replace(/ г\.$/, '') : text;
}

export function formatDateTime(date: Date, language: string): string {
  return formatterFor(language, 'dateTime').format(date);
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

// A month's name depends on the month and the language only: remembered (a few dozen entries).
const monthNames = new Map<string, string>();
export function formatMonth(month: Date, language: string): string {
  const key = `${month.getTime()}|${language}`;
  let name = monthNames.get(key);
  if (name === undefined) {
    name = DateTime.fromJSDate(month, { zone: 'utc' }).setLocale(language).toFormat('LLLL yyyy');
    if (monthNames.size < 5_000) monthNames.set(key, name);
  }
  return name;
}

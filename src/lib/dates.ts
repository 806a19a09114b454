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

const dayAndMonthFormatters = new Map<string, Intl.DateTimeFormat>();
/** Day and month name ("30 ноября", "30 November"), in the region's form of each language. */
export function formatDayAndMonth(date: Date, language: string): string {
  let formatter = dayAndMonthFormatters.get(language);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language === 'kk' ? 'kk-KZ' : language === 'en' ? 'en-GB' : 'ru-RU', { day: 'numeric', month: 'long', timeZone: programmeTimeZone });
    dayAndMonthFormatters.set(language, formatter);
  }
  return formatter.format(date);
}

/** The Almaty calendar day of an instant, as a UTC-midnight date (how @db.Date columns store it). */
export function programmeCalendarDay(date: Date): Date {
  const local = toProgrammeTime(date);
  return new Date(Date.UTC(local.year, local.month - 1, local.day));
}

/** The instant a calendar day (a UTC-midnight date) begins in Almaty. */
export function programmeDayStartsAt(day: Date): Date {
  return DateTime.fromObject({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() }, { zone: programmeTimeZone }).toJSDate();
}

/**
 * Date and time typed into a form as Almaty wall-clock time: "2027-03-15T09:00" is 2027-03-15T04:00:00Z.
 * Browsers send date and datetime-local inputs in ISO form; the day-first form people type
 * (15.03.2027 09:00) is accepted too, for browsers that show a plain text field.
 */
export function parseProgrammeDateTime(value: string): Date | null {
  const text = value.trim().replace(/\s+/g, ' ');
  let parsed: DateTime;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(text)) parsed = DateTime.fromISO(text.replace(' ', 'T'), { zone: programmeTimeZone });
  else if (/^\d{1,2}\.\d{1,2}\.\d{4},? \d{1,2}:\d{2}$/.test(text)) parsed = DateTime.fromFormat(text.replace(',', ''), 'd.M.yyyy H:mm', { zone: programmeTimeZone });
  else return null;
  return parsed.isValid ? parsed.toJSDate() : null;
}

/** The start of a day typed into a form, in Almaty ("2027-05-10" → 2027-05-09T19:00:00Z). */
export function parseProgrammeDate(value: string): Date | null {
  const text = value.trim();
  let parsed: DateTime;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) parsed = DateTime.fromISO(text, { zone: programmeTimeZone });
  else if (/^\d{1,2}\.\d{1,2}\.\d{4}$/.test(text)) parsed = DateTime.fromFormat(text, 'd.M.yyyy', { zone: programmeTimeZone });
  else return null;
  return parsed.isValid ? parsed.startOf('day').toJSDate() : null;
}

/** The instant a typed day ends in Almaty, i.e. the start of the next day. */
export function endOfProgrammeDate(value: string): Date | null {
  const start = parseProgrammeDate(value);
  return start ? DateTime.fromJSDate(start, { zone: programmeTimeZone }).plus({ days: 1 }).toJSDate() : null;
}

/** Value for <input type="datetime-local">, in Almaty. */
export function toDateTimeInputValue(date: Date): string {
  return toProgrammeTime(date).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** Value for <input type="date">, in Almaty. */
export function toDateInputValue(date: Date): string {
  return toProgrammeTime(date).toFormat('yyyy-MM-dd');
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

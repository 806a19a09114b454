import { DateTime } from 'luxon';
import { programmeTimeZone, toProgrammeTime } from '../../lib/dates.ts';

/**
 * Dates typed into admin forms are Asia/Almaty wall-clock times: "2027-03-15T09:00" is stored as
 * 2027-03-15T04:00:00Z. Browsers send date and datetime-local inputs in ISO form; the day-first form
 * people type (15.03.2027 09:00) is accepted too, for browsers that show a plain text field.
 */
export function parseProgrammeDateTime(value: string): Date | null {
  const text = value.trim().replace(/\s+/g, ' ');
  let parsed: DateTime;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(text)) parsed = DateTime.fromISO(text.replace(' ', 'T'), { zone: programmeTimeZone });
  else if (/^\d{1,2}\.\d{1,2}\.\d{4},? \d{1,2}:\d{2}$/.test(text)) parsed = DateTime.fromFormat(text.replace(',', ''), 'd.M.yyyy H:mm', { zone: programmeTimeZone });
  else return null;
  return parsed.isValid ? parsed.toJSDate() : null;
}

/** The start of a day in Asia/Almaty ("2027-05-10" → 2027-05-09T19:00:00Z). */
export function parseProgrammeDate(value: string): Date | null {
  const text = value.trim();
  let parsed: DateTime;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) parsed = DateTime.fromISO(text, { zone: programmeTimeZone });
  else if (/^\d{1,2}\.\d{1,2}\.\d{4}$/.test(text)) parsed = DateTime.fromFormat(text, 'd.M.yyyy', { zone: programmeTimeZone });
  else return null;
  return parsed.isValid ? parsed.startOf('day').toJSDate() : null;
}

/** Value for <input type="datetime-local">. */
export function toDateTimeInputValue(date: Date): string {
  return toProgrammeTime(date).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** Value for <input type="date">. */
export function toDateInputValue(date: Date): string {
  return toProgrammeTime(date).toFormat('yyyy-MM-dd');
}

/** The instant a day ends in Asia/Almaty, i.e. the start of the next day. */
export function endOfProgrammeDate(value: string): Date | null {
  const start = parseProgrammeDate(value);
  return start ? DateTime.fromJSDate(start, { zone: programmeTimeZone }).plus({ days: 1 }).toJSDate() : null;
}

import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../src/http/display-preferences.ts';
import { formatDayAndMonth, monthStartOf, monthsFrom, programmeCalendarDay, programmeDayStartsAt } from '../../src/lib/dates.ts';
import { monthStateOf } from '../../src/features/mentoring/mentor-home.service.ts';

describe('safeReturnPath', () => {
  it.each([
    ['/faq', '/faq'],
    ['/apply?x=1', '/apply?x=1'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
  ])('%j → %s', (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });
});

describe('months in Asia/Almaty', () => {
  it('puts 31 Dec 20:00 UTC into January (it is already 1 Jan in Almaty)', () => {
    expect(monthStartOf(new Date('2026-12-31T20:00:00Z')).toISOString().slice(0, 10)).toBe('2027-01-01');
    expect(monthStartOf(new Date('2026-12-31T17:00:00Z')).toISOString().slice(0, 10)).toBe('2026-12-01');
  });

  it('lists programme months across a year boundary', () => {
    expect(monthsFrom(new Date('2026-11-01T00:00:00Z'), 3).map((month) => month.toISOString().slice(0, 7))).toEqual(['2026-11', '2026-12', '2027-01']);
  });

  it('names the state of each month for the mentor', () => {
    const current = new Date('2026-11-01T00:00:00Z');
    expect(monthStateOf(new Date('2026-10-01T00:00:00Z'), current, undefined)).toBe('missing');
    expect(monthStateOf(current, current, undefined)).toBe('due');
    expect(monthStateOf(new Date('2026-12-01T00:00:00Z'), current, undefined)).toBe('upcoming');
    expect(monthStateOf(new Date('2026-10-01T00:00:00Z'), current, 'SUBMITTED')).toBe('submitted');
    expect(monthStateOf(current, current, 'DRAFT')).toBe('draft');
  });
});

describe('formatDate', () => {
  it('shows dates in Asia/Almaty, without the Russian "г." that would double a full stop', async () => {
    const { formatDate } = await import('../../src/lib/dates.ts');
    expect(formatDate(new Date('2026-12-24T20:00:00Z'), 'ru')).toBe('25 декабря 2026');
    expect(formatDate(new Date('2026-12-24T20:00:00Z'), 'en')).toBe('December 25, 2026');
  });
});

describe('days in Asia/Almaty', () => {
  it('gives the Almaty calendar day of an instant and the instant a day begins there', () => {
    expect(programmeCalendarDay(new Date('2026-12-31T19:30:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(programmeCalendarDay(new Date('2026-12-31T18:30:00Z')).toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(programmeDayStartsAt(new Date('2027-01-01T00:00:00Z')).toISOString()).toBe('2026-12-31T19:00:00.000Z');
  });

  it('names the day and month of a deadline in each language, in Almaty time', () => {
    const lastMoment = new Date('2026-11-30T18:59:59.999Z');
    expect(formatDayAndMonth(lastMoment, 'ru')).toBe('30 ноября');
    expect(formatDayAndMonth(lastMoment, 'kk')).toBe('30 қараша');
    expect(formatDayAndMonth(lastMoment, 'en')).toBe('30 November');
    expect(formatDayAndMonth(new Date('2026-11-30T19:00:00Z'), 'ru')).toBe('1 декабря');
  });
});

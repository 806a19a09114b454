import { describe, expect, it } from 'vitest';
import {
  complianceStateOf, daysLeftInMonth, isDateInMonth, isDateInProgramme, isLate, isProgrammeMonth, isReminderWindow,
  monthEndsAt, monthStateOf, parseCalendarDate, parseMonthParam, programmeMonthsOf,
} from '../../src/features/mentoring/month-rules.ts';
import { checkProtocol, type ProtocolFormValues } from '../../src/features/mentoring/protocol.schemas.ts';

const month = (value: string) => parseMonthParam(value)!;
const day = (value: string) => parseCalendarDate(value)!;
const group = { programmeStartMonth: month('2026-09'), programmeMonths: 6 }; // September to February

describe('months and calendar days', () => {
  it('reads YYYY-MM and refuses anything else', () => {
    expect(parseMonthParam('2026-03')?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    for (const bad of ['2026-13', '2026-3', '26-03', '2026-03-01', '', undefined, 'abcd-ef']) expect(parseMonthParam(bad)).toBeNull();
  });

  it('refuses calendar days that do not exist', () => {
    expect(parseCalendarDate('2026-02-29')).toBeNull();
    expect(parseCalendarDate('2028-02-29')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseCalendarDate('2026-04-31')).toBeNull();
  });

  it('lists the programme months across the year boundary', () => {
    expect(programmeMonthsOf(group).map((entry) => entry.toISOString().slice(0, 7))).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02']);
    expect(isProgrammeMonth(group, month('2026-08'))).toBe(false);
    expect(isProgrammeMonth(group, month('2027-02'))).toBe(true);
    expect(isProgrammeMonth(group, month('2027-03'))).toBe(false);
  });
});

describe('a session date', () => {
  it('must fall in the calendar month of the protocol', () => {
    expect(isDateInMonth(day('2026-10-01'), month('2026-10'))).toBe(true);
    expect(isDateInMonth(day('2026-10-31'), month('2026-10'))).toBe(true);
    expect(isDateInMonth(day('2026-11-01'), month('2026-10'))).toBe(false);
    expect(isDateInMonth(day('2026-09-30'), month('2026-10'))).toBe(false);
  });

  it('must fall inside the group programme', () => {
    expect(isDateInProgramme(day('2026-09-01'), group)).toBe(true);
    expect(isDateInProgramme(day('2027-02-28'), group)).toBe(true);
    expect(isDateInProgramme(day('2026-08-31'), group)).toBe(false);
    expect(isDateInProgramme(day('2027-03-01'), group)).toBe(false);
  });
});

describe('month states', () => {
  const current = month('2026-11');
  it('for the mentor', () => {
    expect(monthStateOf(month('2026-10'), current, undefined)).toBe('missing');
    expect(monthStateOf(current, current, undefined)).toBe('due');
    expect(monthStateOf(month('2026-12'), current, undefined)).toBe('upcoming');
    expect(monthStateOf(month('2026-10'), current, 'SUBMITTED')).toBe('submitted');
    expect(monthStateOf(month('2026-10'), current, 'DRAFT')).toBe('draft');
    expect(monthStateOf(current, current, 'RETURNED')).toBe('returned');
  });

  it('"late" is a protocol submitted after its month ended in Almaty', () => {
    const october = month('2026-10');
    // The month ends at midnight in Almaty (UTC+5): 31 October 19:00 UTC.
    expect(monthEndsAt(october).toISOString()).toBe('2026-10-31T19:00:00.000Z');
    expect(isLate(october, new Date('2026-10-31T18:59:59Z'))).toBe(false);
    expect(isLate(october, new Date('2026-10-31T19:00:00Z'))).toBe(true);
    expect(complianceStateOf(october, current, { status: 'SUBMITTED', submittedAt: new Date('2026-10-20T10:00:00Z') })).toBe('submitted');
    expect(complianceStateOf(october, current, { status: 'SUBMITTED', submittedAt: new Date('2026-11-02T10:00:00Z') })).toBe('late');
    expect(complianceStateOf(october, current, { status: 'DRAFT', submittedAt: null })).toBe('draft');
    expect(complianceStateOf(october, current, undefined)).toBe('missing');
  });
});

describe('the reminder window', () => {
  it('opens in the last N days of the Almaty month', () => {
    // 26 November, 00:30 in Almaty = 25 November 19:30 UTC: 5 days left (26…30).
    expect(daysLeftInMonth(new Date('2026-11-25T19:30:00Z'))).toBe(5);
    expect(isReminderWindow(new Date('2026-11-25T19:30:00Z'), 5)).toBe(true);
    expect(isReminderWindow(new Date('2026-11-25T18:30:00Z'), 5)).toBe(false);
    expect(isReminderWindow(new Date('2026-11-30T12:00:00Z'), 1)).toBe(true);
    expect(isReminderWindow(new Date('2026-11-01T12:00:00Z'), 5)).toBe(false);
  });
});

describe('checking a protocol', () => {
  const context = { month: month('2026-10'), period: group, participantIds: [11, 12, 13], today: day('2026-11-05') };
  const complete: ProtocolFormValues = {
    sessionDate: '2026-10-14', format: 'IN_PERSON', place: 'Молодёжный центр', durationMinutes: '90', attendance: ['11', '12'],
    issuesRaised: 'Бюджет', solutions: 'Смета', nextSteps: 'Закупки', notes: '', version: '',
  };

  it('accepts a complete protocol for submission', () => {
    const checked = checkProtocol(complete, context, true);
    expect(checked.errors).toEqual({});
    expect(checked.data.sessionDate?.toISOString()).toBe('2026-10-14T00:00:00.000Z');
    expect(checked.data.attendanceIds).toEqual([11, 12]);
  });

  it('needs every content field to submit, but not for a draft', () => {
    const empty: ProtocolFormValues = { ...complete, sessionDate: '', format: '', place: '', durationMinutes: '', attendance: [], issuesRaised: '', solutions: '', nextSteps: '' };
    expect(Object.keys(checkProtocol(empty, context, true).errors).sort()).toEqual(['attendance', 'durationMinutes', 'format', 'issuesRaised', 'nextSteps', 'place', 'sessionDate', 'solutions']);
    expect(checkProtocol(empty, context, false).errors).toEqual({});
  });

  it('keeps valid fields of a draft and marks the invalid ones (undefined = leave the saved value)', () => {
    const checked = checkProtocol({ ...complete, sessionDate: '2026-11-02', durationMinutes: 'полтора часа', attendance: ['11', '99'] }, context, false);
    expect(checked.errors).toEqual({ sessionDate: 'mentoring:errors.dateOutsideMonth', durationMinutes: 'mentoring:errors.durationInvalid', attendance: 'mentoring:errors.attendanceUnknown' });
    expect(checked.data.sessionDate).toBeUndefined();
    expect(checked.data.durationMinutes).toBeUndefined();
    expect(checked.data.issuesRaised).toBe('Бюджет');
    expect(checked.data.attendanceIds).toEqual([11]);
  });

  it('refuses a date outside the programme and a session in the future on submission', () => {
    const before = { ...context, month: month('2026-09'), period: { programmeStartMonth: month('2026-10'), programmeMonths: 6 } };
    expect(checkProtocol({ ...complete, sessionDate: '2026-09-10' }, before, false).errors.sessionDate).toBe('mentoring:errors.dateOutsideProgramme');
    expect(checkProtocol({ ...complete, sessionDate: '2026-10-20' }, { ...context, today: day('2026-10-15') }, true).errors.sessionDate).toBe('mentoring:errors.dateInFuture');
    expect(checkProtocol({ ...complete, sessionDate: '2026-10-20' }, { ...context, today: day('2026-10-15') }, false).errors).toEqual({});
  });
});

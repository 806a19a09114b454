import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildInterviewCalendar, foldLine } from '../../src/features/review/interview-calendar.ts';

const octets = (line: string) => Buffer.byteLength(line, 'utf8');

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return { calendar, event: calendar.getFirstSubcomponent('vevent')! };
}

const longPlace = 'г. Астана, проспект Мангилик Ел, 55/20, Дворец молодёжи, кабинет 305 (третий этаж)';

describe('interview .ics (RFC 5545 / 5546)', () => {
  it('folds every line at 75 octets without splitting a UTF-8 character', () => {
    const line = `LOCATION:${longPlace}`;
    expect(octets(line)).toBeGreaterThan(75);
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) expect(octets(part)).toBeLessThanOrEqual(75);
    // Unfolding (CRLF + one space removed) gives the line back, character for character.
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(folded).not.toContain('\uFFFD');
  });

  it('is a request with an organizer, an attendee, a summary and a description a parser reads back', () => {
    const text = buildInterviewCalendar({
      method: 'REQUEST',
      uid: 'interview-7@mentors.zhas.kz',
      sequence: 2,
      start: new Date('2026-12-10T05:00:00Z'),
      durationMinutes: 45,
      summary: 'Собеседование Zhas: заявка ZM-1',
      description: `Место: ${longPlace}\nДлительность: 45 мин`,
      place: longPlace,
      videoLink: '',
      organizer: { name: 'Программа Zhas', email: 'astana@zhas.kz' },
      attendees: [{ name: 'Кандидат, "Первый"', email: 'candidate@example.kz', role: 'REQ-PARTICIPANT', language: 'ru' }],
    });
    for (const line of text.split('\r\n')) expect(octets(line), line).toBeLessThanOrEqual(75);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const { calendar, event } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBeTruthy();
    expect(event.getFirstPropertyValue('uid')).toBe('interview-7@mentors.zhas.kz');
    expect(event.getFirstPropertyValue('sequence')).toBe(2);
    expect(event.getFirstPropertyValue('dtstamp')).toBeTruthy();
    expect(String(event.getFirstPropertyValue('dtstart'))).toBe('2026-12-10T05:00:00Z');
    expect(String(event.getFirstPropertyValue('dtend'))).toBe('2026-12-10T05:45:00Z');
    expect(event.getFirstPropertyValue('location')).toBe(longPlace);
    expect(event.getFirstPropertyValue('summary')).toBe('Собеседование Zhas: заявка ZM-1');
    expect(event.getFirstPropertyValue('description')).toBe(`Место: ${longPlace}\nДлительность: 45 мин`);
    const organizer = event.getFirstProperty('organizer')!;
    expect(organizer.getFirstValue()).toBe('mailto:astana@zhas.kz');
    const attendees = event.getAllProperties('attendee');
    expect(attendees).toHaveLength(1);
    expect(attendees[0].getFirstValue()).toBe('mailto:candidate@example.kz');
    expect(attendees[0].getParameter('cn')).toBe('Кандидат, Первый');
    expect(attendees[0].getParameter('partstat')).toBe('NEEDS-ACTION');
    expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('is a cancellation with METHOD:CANCEL and STATUS:CANCELLED', () => {
    const text = buildInterviewCalendar({
      method: 'CANCEL',
      uid: 'interview-7@mentors.zhas.kz',
      sequence: 3,
      start: new Date('2026-12-10T05:00:00Z'),
      durationMinutes: 30,
      summary: 'Zhas interview; application ZM-1, Astana',
      description: 'Cancelled',
      place: '',
      videoLink: 'https://meet.example.kz/zhas?room=1',
      organizer: { name: 'Zhas', email: 'no-reply@zhas.local' },
      attendees: [{ name: 'Candidate', email: 'candidate@example.kz', role: 'REQ-PARTICIPANT', language: 'en' }],
    });
    const { calendar, event } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.getFirstPropertyValue('sequence')).toBe(3);
    expect(event.getFirstPropertyValue('summary')).toBe('Zhas interview; application ZM-1, Astana');
    expect(event.getFirstPropertyValue('location')).toBe('https://meet.example.kz/zhas?room=1');
    expect(event.getFirstPropertyValue('url')).toBe('https://meet.example.kz/zhas?room=1');
  });
});

/**
 * The interview's calendar invitation (RFC 5545 iCalendar, RFC 5546 iTIP): METHOD:REQUEST when it is
 * set or moved, METHOD:CANCEL with the same UID and a higher SEQUENCE when it is called off. Built by
 * hand rather than with a library, because the one used before folded lines by characters: a Cyrillic
 * LOCATION came out at 81 octets. Lines are folded at 75 octets, never inside a UTF-8 character.
 */

export interface CalendarPerson {
  name: string;
  email: string;
}

export interface InterviewCalendarInput {
  method: 'REQUEST' | 'CANCEL';
  uid: string;
  /** Interview.revision for a request; revision + 1 for its cancellation. */
  sequence: number;
  start: Date;
  durationMinutes: number;
  summary: string;
  description: string;
  place: string;
  videoLink: string;
  organizer: CalendarPerson;
  attendees: (CalendarPerson & { role: 'REQ-PARTICIPANT' | 'OPT-PARTICIPANT'; language: string })[];
  /** DTSTAMP: when this version of the event was made. */
  now?: Date;
}

const maxLineOctets = 75;

/** A UTC date-time in the basic form, 20261210T050000Z. */
function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n|\r/g, '\\n');
}

/** A parameter value (RFC 5545 §3.2), quoted; a double quote cannot be written at all, so it is dropped. */
function parameterValue(value: string): string {
  return `"${value.replace(/["\r\n]/g, '')}"`;
}

/** Folds one content line into lines of at most 75 octets (RFC 5545 §3.1), never splitting a character. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let currentOctets = 0;
  for (const character of line) {
    const octets = encoder.encode(character).length;
    // Continuation lines start with a space, which counts towards their 75 octets.
    const limit = parts.length === 0 ? maxLineOctets : maxLineOctets - 1;
    if (currentOctets + octets > limit) {
      parts.push(current);
      current = '';
      currentOctets = 0;
    }
    current += character;
    currentOctets += octets;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function person(property: 'ORGANIZER' | 'ATTENDEE', who: CalendarPerson, parameters: string[] = []): string {
  return `${property};${[`CN=${parameterValue(who.name)}`, ...parameters].join(';')}:mailto:${who.email}`;
}

/** The .ics text, lines ending in CRLF. */
export function buildInterviewCalendar(input: InterviewCalendarInput): string {
  const cancelled = input.method === 'CANCEL';
  const end = new Date(input.start.getTime() + input.durationMinutes * 60_000);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Zhas Project//Mentor portal//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${input.method}`,
    'BEGIN:VEVENT',
    `UID:${input.uid}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTAMP:${utcStamp(input.now ?? new Date())}`,
    `DTSTART:${utcStamp(input.start)}`,
    `DTEND:${utcStamp(end)}`,
    `SUMMARY:${escapeText(input.summary)}`,
    `DESCRIPTION:${escapeText(input.description)}`,
    ...(input.place || input.videoLink ? [`LOCATION:${escapeText(input.place || input.videoLink)}`] : []),
    ...(input.videoLink ? [`URL:${input.videoLink}`] : []),
    person('ORGANIZER', input.organizer),
    ...input.attendees.map((attendee) =>
      person('ATTENDEE', attendee, [`ROLE=${attendee.role}`, ...(cancelled ? [] : ['PARTSTAT=NEEDS-ACTION', 'RSVP=TRUE']), `LANGUAGE=${attendee.language}`]),
    ),
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

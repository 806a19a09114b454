import { describe, expect, it } from 'vitest';
import { birthDateFromIin, hasValidIinChecksum, iinProblem, makeIin } from '../../src/lib/iin.ts';

describe('IIN check digit', () => {
  it('accepts a number whose first weighted sum gives the digit (9+4+6+21+11 = 51, 51 mod 11 = 7)', () => {
    expect(hasValidIinChecksum('900101300017')).toBe(true);
    expect(hasValidIinChecksum('900101300018')).toBe(false);
  });

  it('uses the second weight set when the first sum gives 10 (153 mod 11 = 10, then 151 mod 11 = 8)', () => {
    expect(hasValidIinChecksum('850315400608')).toBe(true);
    expect(hasValidIinChecksum('850315400600')).toBe(false);
  });

  it('refuses a prefix for which both sums give 10 (no such IIN is issued)', () => {
    for (let digit = 0; digit <= 9; digit += 1) expect(hasValidIinChecksum(`85031540061${digit}`)).toBe(false);
  });

  it.each(['', '12345678901', '1234567890123', '90010130001a', ' 900101300017'])('refuses %j as not 12 digits', (value) => {
    expect(iinProblem(value)).toBe('format');
  });
});

describe('IIN date of birth', () => {
  it('reads the century from the seventh digit', () => {
    expect(birthDateFromIin('900101300017')?.toISOString().slice(0, 10)).toBe('1990-01-01');
    expect(birthDateFromIin('050607500000')?.toISOString().slice(0, 10)).toBe('2005-06-07');
  });

  it('refuses impossible dates and centuries', () => {
    expect(iinProblem('901301300010')).toBe('birthDate');
    expect(iinProblem('900230300010')).toBe('birthDate');
    expect(iinProblem('900101700010')).toBe('birthDate');
  });

  it('makes valid numbers for any date (used by the demo data)', () => {
    const iin = makeIin(new Date(Date.UTC(1987, 10, 23)), true, 42);
    expect(iinProblem(iin)).toBeNull();
    expect(iin.slice(0, 7)).toBe('8711234');
  });
});

/**
 * The Kazakh individual identification number (IIN, ЖСН): 12 digits, YYMMDD of birth, a digit for
 * century and sex, four serial digits and a check digit (mod 11 with a second weight set on 10).
 */
const firstWeights = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const secondWeights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The check digit for the first 11 digits, or null when no valid IIN can end them. */
export function iinCheckDigit(first11: string): number | null {
  const digits = [...first11].map(Number);
  const first = digits.reduce((sum, digit, index) => sum + digit * firstWeights[index], 0) % 11;
  if (first !== 10) return first;
  const second = digits.reduce((sum, digit, index) => sum + digit * secondWeights[index], 0) % 11;
  return second === 10 ? null : second;
}

export function hasValidIinChecksum(iin: string): boolean {
  if (!/^\d{12}$/.test(iin)) return false;
  return iinCheckDigit(iin.slice(0, 11)) === Number(iin[11]);
}

/** The date of birth encoded in an IIN (UTC midnight), or null when the digits are not a real date. */
export function birthDateFromIin(iin: string): Date | null {
  if (!/^\d{12}$/.test(iin)) return null;
  const centuryDigit = Number(iin[6]);
  const century = centuryDigit === 1 || centuryDigit === 2 ? 1800 : centuryDigit === 3 || centuryDigit === 4 ? 1900 : centuryDigit === 5 || centuryDigit === 6 ? 2000 : null;
  if (century === null) return null;
  const year = century + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

export type IinProblem = 'format' | 'checksum' | 'birthDate';

/** Why an IIN is not acceptable, or null when it is a well-formed IIN with a real date of birth. */
export function iinProblem(iin: string): IinProblem | null {
  if (!/^\d{12}$/.test(iin)) return 'format';
  if (birthDateFromIin(iin) === null) return 'birthDate';
  if (!hasValidIinChecksum(iin)) return 'checksum';
  return null;
}

/** Builds a valid IIN for a date of birth (used by the demo seed and tests). */
export function makeIin(birthDate: Date, female: boolean, serial: number): string {
  const year = birthDate.getUTCFullYear();
  const centuryBase = year >= 2000 ? 5 : year >= 1900 ? 3 : 1;
  const datePart = `${String(year % 100).padStart(2, '0')}${String(birthDate.getUTCMonth() + 1).padStart(2, '0')}${String(birthDate.getUTCDate()).padStart(2, '0')}`;
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    const first11 = `${datePart}${centuryBase + (female ? 1 : 0)}${String((serial + attempt) % 10_000).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return `${first11}${check}`;
  }
  throw new Error('no valid IIN for this date');
}

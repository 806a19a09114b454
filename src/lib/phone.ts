import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A Kazakh phone number in the form +7XXXXXXXXXX, from whatever people type: "8 701 123 45 67",
 * "+7 (701) 123-45-67", "7011234567". Null when it is not a valid number of Kazakhstan.
 */
export function normaliseKazakhPhone(input: string): string | null {
  const trimmed = input.trim();
  if (!/^[+\d\s()-]{10,20}$/.test(trimmed)) return null;
  // People write the trunk prefix 8 instead of +7; libphonenumber treats it as such for KZ.
  const phone = parsePhoneNumberFromString(trimmed, 'KZ');
  if (!phone || phone.country !== 'KZ' || !phone.isValid()) return null;
  return phone.number;
}

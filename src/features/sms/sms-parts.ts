/**
 * How many SMS parts a text takes (what the operator bills). Text written only in the GSM-7 alphabet
 * goes 160 characters in one SMS, 153 a part when split; anything else (Cyrillic, Kazakh letters, an
 * em dash, emoji) makes the whole message UCS-2: 70 characters in one SMS, 67 a part when split.
 */

const gsm7Basic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Sent as an escape plus a character: two septets each. */
const gsm7Extension = new Set('^{}\\[~]|€\f');

export function isGsm7(text: string): boolean {
  for (const character of text) if (!gsm7Basic.has(character) && !gsm7Extension.has(character)) return false;
  return true;
}

/** Parts for the sizes of each character (septets or UTF-16 units); a character is never split between parts. */
function partsFor(sizes: number[], single: number, perPart: number): number {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > perPart) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return parts;
}

/** The number of SMS parts of a text (an empty text is still one SMS). */
export function smsParts(text: string): number {
  const characters = [...text];
  if (isGsm7(text)) return partsFor(characters.map((character) => (gsm7Extension.has(character) ? 2 : 1)), 160, 153);
  return partsFor(characters.map((character) => character.length), 70, 67);
}

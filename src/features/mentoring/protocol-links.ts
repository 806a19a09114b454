/**
 * Web addresses in a protocol's text (a meeting link, a shared folder) shown as links. The text is
 * split into plain and link pieces; the view prints both escaped, so only http and https addresses
 * ever become an href, and nothing the mentor typed becomes markup.
 */
export type TextPiece = { text: string; href?: undefined } | { text: string; href: string };

// Stops at spaces, quotes and angle brackets; punctuation closing a sentence is trimmed after.
const addressPattern = /\bhttps?:\/\/[^\s<>"'«»]+/gi;
const count = (text: string, character: string) => text.split(character).length - 1;

/** Without the sentence's punctuation at its end; a ")" stays when it closes one opened inside the address. */
function withoutTrailingPunctuation(address: string): string {
  let result = address;
  for (;;) {
    const last = result.at(-1) ?? '';
    if ('.,;:!?]}…'.includes(last) && last !== '') result = result.slice(0, -1);
    else if (last === ')' && count(result, ')') > count(result, '(')) result = result.slice(0, -1);
    else return result;
  }
}

export function linkPieces(text: string | null | undefined): TextPiece[] {
  const source = text ?? '';
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const match of source.matchAll(addressPattern)) {
    const address = withoutTrailingPunctuation(match[0]);
    let href: string | null = null;
    try {
      const url = new URL(address);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname) href = address;
    } catch {
      href = null;
    }
    if (!href) continue;
    const start = match.index;
    if (start > last) pieces.push({ text: source.slice(last, start) });
    pieces.push({ text: address, href });
    last = start + address.length;
  }
  if (last < source.length) pieces.push({ text: source.slice(last) });
  return pieces;
}

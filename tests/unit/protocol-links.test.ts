import { describe, expect, it } from 'vitest';
import { linkPieces } from '../../src/features/mentoring/protocol-links.ts';

describe('linkPieces', () => {
  it('makes http and https addresses links, leaving the sentence around them as text', () => {
    expect(linkPieces('Запись: https://meet.example.kz/abc?x=1&y=2, план — http://example.kz/plan.')).toEqual([
      { text: 'Запись: ' },
      { text: 'https://meet.example.kz/abc?x=1&y=2', href: 'https://meet.example.kz/abc?x=1&y=2' },
      { text: ', план — ' },
      { text: 'http://example.kz/plan', href: 'http://example.kz/plan' },
      { text: '.' },
    ]);
  });

  it('never links another scheme, and stops at quotes and angle brackets', () => {
    expect(linkPieces('javascript:alert(1) data:text/html,x ftp://example.kz')).toEqual([{ text: 'javascript:alert(1) data:text/html,x ftp://example.kz' }]);
    expect(linkPieces('"https://a.kz/x"<b>')).toEqual([{ text: '"' }, { text: 'https://a.kz/x', href: 'https://a.kz/x' }, { text: '"<b>' }]);
    expect(linkPieces('(см. https://ru.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      { text: '(см. ' },
      { text: 'https://ru.wikipedia.org/wiki/Foo_(bar)', href: 'https://ru.wikipedia.org/wiki/Foo_(bar)' },
      { text: ')' },
    ]);
    expect(linkPieces(null)).toEqual([]);
    expect(linkPieces('https://')).toEqual([{ text: 'https://' }]);
  });
});

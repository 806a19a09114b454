import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

/**
 * zxcvbn-ts (a maintained port of Dropbox's estimator) with its common-password and English
 * dictionaries and keyboard layouts. Without translations it names its warnings by key, and the
 * portal words them itself in three languages (admin:setPassword.weak.*).
 */
const estimator = new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...english.dictionary }, graphs: common.adjacencyGraphs });

/** 3 of 4: "safely unguessable" against an online attacker, as zxcvbn puts it. */
export const minimumPasswordScore = 3;

const knownWarnings = new Set([
  'straightRow', 'keyPattern', 'simpleRepeat', 'extendedRepeat', 'sequences', 'recentYears', 'dates', 'topTen', 'topHundred',
  'common', 'similarToCommon', 'wordByItself', 'namesByThemselves', 'commonNames', 'userInputs', 'pwned',
]);

/**
 * Null for a strong enough password; otherwise the message key saying what makes it guessable. The
 * person's own e-mail and name count as guessable words.
 */
export function passwordWeakness(password: string, personal: string[]): string | null {
  const words = personal.flatMap((text) => text.toLowerCase().split(/[\s@.]+/)).filter((word) => word.length >= 3);
  const result = estimator.check(password, [...personal, ...words, 'zhas', 'mentor', 'ментор']);
  if (result.score >= minimumPasswordScore) return null;
  const warning = result.feedback.warning;
  return `admin:setPassword.weak.${warning && knownWarnings.has(warning) ? warning : 'generic'}`;
}

import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * zxcvbn-ts (a maintained port of Dropbox's estimator) with its common-password and English
 * dictionaries and keyboard layouts. Without translations it names its warnings by key, and the
 * portal words them itself in three languages (admin:setPassword.weak.*). Its dictionaries (some
 * 50 MB once loaded) are loaded when a password is first set, not by every portal process at start.
 */
let estimator: Promise<ZxcvbnFactory> | undefined;
function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]).then(
    ([core, common, english]) => new core.ZxcvbnFactory({ dictionary: { ...common.dictionary, ...english.dictionary }, graphs: common.adjacencyGraphs }),
  );
  return estimator;
}

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
export async function passwordWeakness(password: string, personal: string[]): Promise<string | null> {
  const words = personal.flatMap((text) => text.toLowerCase().split(/[\s@.]+/)).filter((word) => word.length >= 3);
  const result = (await loadEstimator()).check(password, [...personal, ...words, 'zhas', 'mentor', 'ментор']);
  if (result.score >= minimumPasswordScore) return null;
  const warning = result.feedback.warning;
  return `admin:setPassword.weak.${warning && knownWarnings.has(warning) ? warning : 'generic'}`;
}

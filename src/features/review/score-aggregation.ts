/** One member's score: criterion weights and the 1-5 values given. */
export interface MemberScore {
  items: { weight: number; value: number }[];
}

/** A member's weighted mean over the rubric: Σ(weight·value) / Σ(weight). */
export function weightedMean(score: MemberScore): number {
  const totalWeight = score.items.reduce((sum, item) => sum + item.weight, 0);
  if (totalWeight === 0) return 0;
  return score.items.reduce((sum, item) => sum + item.weight * item.value, 0) / totalWeight;
}

export interface CandidateResult {
  /** Mean of the members' weighted means, or null with no scores. */
  result: number | null;
  count: number;
  /** Highest minus lowest member's weighted mean. */
  spread: number | null;
}

export function candidateResult(scores: MemberScore[]): CandidateResult {
  if (scores.length === 0) return { result: null, count: 0, spread: null };
  const means = scores.map(weightedMean);
  return {
    result: means.reduce((sum, mean) => sum + mean, 0) / means.length,
    count: means.length,
    spread: Math.max(...means) - Math.min(...means),
  };
}

/** Members disagree a lot when their weighted means are this far apart on the 1-5 scale. */
export const largeDisagreement = 1.5;

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

import { describe, expect, it } from 'vitest';
import { candidateResult, round, weightedMean, type MemberScore } from '../../src/features/review/score-aggregation.ts';

// The demo rubric's weights: youth experience 0.3, communication, motivation, vulnerable groups 0.2 each, trips 0.1.
const weights = [0.3, 0.2, 0.2, 0.2, 0.1];
const scored = (...values: number[]): MemberScore => ({ items: values.map((value, index) => ({ weight: weights[index], value })) });

describe('weightedMean', () => {
  it('weighs each criterion: 0.3·5 + 0.2·4 + 0.2·3 + 0.2·2 + 0.1·1 = 3.4', () => {
    expect(weightedMean(scored(5, 4, 3, 2, 1))).toBeCloseTo(3.4, 10);
  });

  it('divides by the total weight when the weights do not add up to 1: (2·5 + 1·2) / 3 = 4', () => {
    expect(weightedMean({ items: [{ weight: 2, value: 5 }, { weight: 1, value: 2 }] })).toBeCloseTo(4, 10);
  });

  it('is not the plain mean: a 5 on the heaviest criterion counts more than a 5 on the lightest', () => {
    const strongWhereItMatters = weightedMean(scored(5, 3, 3, 3, 1));
    const strongOnTrips = weightedMean(scored(1, 3, 3, 3, 5));
    expect(strongWhereItMatters).toBeCloseTo(3.4, 10);
    expect(strongOnTrips).toBeCloseTo(2.6, 10);
  });

  it('is 0 when there is nothing to weigh', () => {
    expect(weightedMean({ items: [] })).toBe(0);
    expect(weightedMean({ items: [{ weight: 0, value: 5 }] })).toBe(0);
  });
});

describe('candidateResult', () => {
  it('has no result and no spread before anyone scored', () => {
    expect(candidateResult([])).toEqual({ result: null, count: 0, spread: null });
  });

  it('is the mean of the members’ weighted means, with the spread between the highest and the lowest', () => {
    // Weighted means 3.4, 4.0 and 2.0.
    const { result, count, spread } = candidateResult([scored(5, 4, 3, 2, 1), scored(4, 4, 4, 4, 4), scored(2, 2, 2, 2, 2)]);
    expect(count).toBe(3);
    expect(result).toBeCloseTo(9.4 / 3, 10);
    expect(spread).toBeCloseTo(2, 10);
  });

  it('has a spread of 0 with one member, and the member’s weighted mean as the result', () => {
    expect(candidateResult([scored(5, 4, 3, 2, 1)])).toEqual({ result: expect.closeTo(3.4, 10), count: 1, spread: 0 });
  });

  it('does not depend on the order of the members', () => {
    const members = [scored(1, 2, 3, 4, 5), scored(5, 5, 4, 4, 3), scored(3, 3, 3, 3, 3)];
    const forwards = candidateResult(members);
    const backwards = candidateResult([...members].reverse());
    expect(backwards.result).toBeCloseTo(forwards.result!, 10);
    expect(backwards.spread).toBeCloseTo(forwards.spread!, 10);
  });
});

describe('round', () => {
  it('rounds to two digits by default, half up', () => {
    expect(round(9.4 / 3)).toBe(3.13);
    expect(round(3.125)).toBe(3.13);
    expect(round(3.124)).toBe(3.12);
    expect(round(4)).toBe(4);
  });

  it('takes the number of digits', () => {
    expect(round(3.4567, 1)).toBe(3.5);
    expect(round(3.4567, 3)).toBe(3.457);
    expect(round(3.4567, 0)).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { allowedTransitions, canMove, canWithdraw } from '../../src/features/applications/application-status.ts';
import { ApplicationStatus } from '../../src/generated/prisma/enums.ts';

const statuses = Object.values(ApplicationStatus);

describe('application status transitions', () => {
  it('names the moves of every status', () => {
    expect(Object.keys(allowedTransitions).sort()).toEqual([...statuses].sort());
  });

  it('allows exactly these moves', () => {
    const allowed = statuses.flatMap((from) => statuses.filter((to) => canMove(from, to)).map((to) => `${from} → ${to}`));
    expect(allowed.sort()).toEqual(
      [
        'SUBMITTED → SCREENING',
        'SUBMITTED → WITHDRAWN',
        'SCREENING → INCOMPLETE',
        'SCREENING → INTERVIEW',
        'SCREENING → REJECTED',
        'SCREENING → WITHDRAWN',
        'INCOMPLETE → SCREENING',
        'INCOMPLETE → REJECTED',
        'INCOMPLETE → WITHDRAWN',
        'INTERVIEW → SCORED',
        'INTERVIEW → REJECTED',
        'INTERVIEW → WITHDRAWN',
        'SCORED → SELECTED',
        'SCORED → RESERVE',
        'SCORED → REJECTED',
        'SCORED → WITHDRAWN',
        'RESERVE → SELECTED',
        'RESERVE → REJECTED',
      ].sort(),
    );
  });

  it('refuses to skip a stage: no interview without screening, no decision without scores', () => {
    expect(canMove('SUBMITTED', 'INTERVIEW')).toBe(false);
    expect(canMove('SUBMITTED', 'SELECTED')).toBe(false);
    expect(canMove('INTERVIEW', 'SELECTED')).toBe(false);
    expect(canMove('INCOMPLETE', 'INTERVIEW')).toBe(false);
  });

  it('never goes back to an earlier stage, except an incomplete application back to screening', () => {
    expect(canMove('SCREENING', 'SUBMITTED')).toBe(false);
    expect(canMove('SCORED', 'INTERVIEW')).toBe(false);
    expect(canMove('INCOMPLETE', 'SCREENING')).toBe(true);
    for (const status of statuses) expect(canMove(status, status), `${status} → itself`).toBe(false);
  });

  it('makes a decision or a withdrawal final, but not the reserve list', () => {
    for (const final of ['SELECTED', 'REJECTED', 'WITHDRAWN'] as const) {
      expect(allowedTransitions[final], final).toEqual([]);
    }
    expect(canMove('SELECTED', 'REJECTED')).toBe(false);
    expect(canMove('REJECTED', 'SCREENING')).toBe(false);
    expect(canMove('RESERVE', 'SELECTED')).toBe(true);
  });

  it('reaches every status from a submitted application', () => {
    const reached = new Set<string>(['SUBMITTED']);
    const queue: ApplicationStatus[] = ['SUBMITTED'];
    while (queue.length > 0) {
      for (const next of allowedTransitions[queue.shift()!]) {
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    expect([...reached].sort()).toEqual([...statuses].sort());
  });
});

describe('canWithdraw', () => {
  it('lets the applicant withdraw until the committee decides', () => {
    expect(statuses.filter(canWithdraw).sort()).toEqual(['INCOMPLETE', 'INTERVIEW', 'SCORED', 'SCREENING', 'SUBMITTED']);
  });

  it('refuses once decided (selected, reserve, rejected) or already withdrawn', () => {
    for (const status of ['SELECTED', 'RESERVE', 'REJECTED', 'WITHDRAWN'] as const) expect(canWithdraw(status), status).toBe(false);
  });
});

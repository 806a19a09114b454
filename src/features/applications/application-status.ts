import type { ApplicationStatus } from '../../generated/prisma/enums.ts';

/**
 * The only moves an application may make: screening may find it incomplete and back,
 * interviewed candidates are scored, then decided. The applicant may withdraw until the decision.
 */
export const allowedTransitions: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  SUBMITTED: ['SCREENING', 'WITHDRAWN'],
  SCREENING: ['INCOMPLETE', 'INTERVIEW', 'REJECTED', 'WITHDRAWN'],
  INCOMPLETE: ['SCREENING', 'REJECTED', 'WITHDRAWN'],
  INTERVIEW: ['SCORED', 'REJECTED', 'WITHDRAWN'],
  SCORED: ['SELECTED', 'RESERVE', 'REJECTED', 'WITHDRAWN'],
  RESERVE: ['SELECTED', 'REJECTED'],
  SELECTED: [],
  REJECTED: [],
  WITHDRAWN: [],
};

export function canMove(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return allowedTransitions[from].includes(to);
}

export function canWithdraw(status: ApplicationStatus): boolean {
  return canMove(status, 'WITHDRAWN');
}

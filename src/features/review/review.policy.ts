import type { ApplicationStatus } from '../../generated/prisma/enums.ts';
import type { SessionUser } from '../../http/guards.ts';

/**
 * Who may see and change which application: committee members only those of their regions (any
 * other answers 404, whatever the URL says); chairs decide and schedule in their regions; the
 * coordinator sees and decides everywhere.
 */
export function reviewableRegionIds(user: SessionUser): number[] | 'all' {
  if (user.role === 'COORDINATOR') return 'all';
  if (user.role === 'COMMITTEE') return user.committeeRegions.map((membership) => membership.regionId);
  return [];
}

export function canReviewRegion(user: SessionUser, regionId: number): boolean {
  const regions = reviewableRegionIds(user);
  return regions === 'all' || regions.includes(regionId);
}

export function chairsRegion(user: SessionUser, regionId: number): boolean {
  if (user.role === 'COORDINATOR') return true;
  return user.role === 'COMMITTEE' && user.committeeRegions.some((membership) => membership.regionId === regionId && membership.isChair);
}

/** Scores are given by committee members of the region (the coordinator organises, not scores). */
export function scoresInRegion(user: SessionUser, regionId: number): boolean {
  return user.role === 'COMMITTEE' && user.committeeRegions.some((membership) => membership.regionId === regionId);
}

/** A Prisma `where` fragment limiting applications to the user's regions. */
export function regionScope(user: SessionUser): { regionId?: { in: number[] } } {
  const regions = reviewableRegionIds(user);
  return regions === 'all' ? {} : { regionId: { in: regions } };
}

/** The chair may ask for a missing or unreadable document while the application is being screened. */
export function mayRequestDocument(status: ApplicationStatus): boolean {
  return status === 'SUBMITTED' || status === 'SCREENING' || status === 'INCOMPLETE';
}

/** Scoring is open while the candidate is interviewed or scored, once an interview exists. */
const scorableStatuses: readonly ApplicationStatus[] = ['INTERVIEW', 'SCORED'];

export function isOpenForScoring(application: { status: ApplicationStatus; hasInterview: boolean }): boolean {
  return application.hasInterview && scorableStatuses.includes(application.status);
}

/** A member of the region without a conflict scores an application that is open for scoring. */
export function canScore(user: SessionUser, application: { regionId: number; status: ApplicationStatus; hasInterview: boolean }, hasConflict: boolean): boolean {
  return scoresInRegion(user, application.regionId) && !hasConflict && isOpenForScoring(application);
}

/**
 * Blind scoring: the other members' scores of an application (each score, their mean, count or
 * spread) are shown to a member only after they submitted their own, never with a declared
 * conflict; the coordinator sees them unless conflicted.
 */
export function maySeeOtherScores(user: SessionUser, reviewer: { hasOwnScore: boolean; hasConflict: boolean }): boolean {
  return !reviewer.hasConflict && (user.role === 'COORDINATOR' || reviewer.hasOwnScore);
}

import type { Prisma } from '../../generated/prisma/client.ts';
import type { ApplicationStatus, DocumentCheckStatus, DocumentKind } from '../../generated/prisma/enums.ts';
import { documentKindNames } from '../documents/document-kinds.ts';
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

/**
 * The document gate before the interview: the required kinds (all eight) that do not yet have a file
 * with every current file accepted. Pass the current files only (not the replaced ones).
 */
export function documentsNotAccepted(documents: readonly { kind: DocumentKind; checkStatus: DocumentCheckStatus }[]): DocumentKind[] {
  return documentKindNames.filter((kind) => {
    const files = documents.filter((document) => document.kind === kind);
    return files.length === 0 || files.some((document) => document.checkStatus !== 'ACCEPTED');
  });
}

/** The interview has taken place: its start time has passed, or the chair marked it held. */
export function interviewHasTakenPlace(interview: { scheduledAt: Date; heldAt: Date | null } | null, now: Date = new Date()): boolean {
  if (!interview) return false;
  return interview.heldAt !== null || interview.scheduledAt.getTime() <= now.getTime();
}

/** When scoring opens: the interview's start (or the moment the chair marked it held, if earlier). */
export function scoringOpensAt(interview: { scheduledAt: Date; heldAt: Date | null } | null): Date | null {
  if (!interview) return null;
  return interview.heldAt && interview.heldAt < interview.scheduledAt ? interview.heldAt : interview.scheduledAt;
}

/**
 * Scoring is open while the candidate is at the interview stage and the interview has taken place.
 * It closes when the chair closes it (SCORED, also when every member has scored) or the application
 * is decided, rejected or withdrawn.
 */
export function isOpenForScoring(application: { status: ApplicationStatus; interview: { scheduledAt: Date; heldAt: Date | null } | null }, now: Date = new Date()): boolean {
  return application.status === 'INTERVIEW' && interviewHasTakenPlace(application.interview, now);
}

/** Statuses in which scoring is over: the scores are final and no longer blind. */
export const scoringClosedStatuses: readonly ApplicationStatus[] = ['SCORED', 'SELECTED', 'RESERVE', 'REJECTED', 'WITHDRAWN'];

export function isScoringClosed(status: ApplicationStatus): boolean {
  return scoringClosedStatuses.includes(status);
}

/** A member of the region without a conflict scores an application that is open for scoring. */
export function canScore(user: SessionUser, application: { regionId: number; status: ApplicationStatus; interview: { scheduledAt: Date; heldAt: Date | null } | null }, hasConflict: boolean, now: Date = new Date()): boolean {
  return scoresInRegion(user, application.regionId) && !hasConflict && isOpenForScoring(application, now);
}

/**
 * Blind scoring, the one rule for every page, export and chart: the other members' scores of an
 * application (each score, their mean, count or spread) are shown to a member only once they have
 * submitted their own or the application's scoring is closed, and never with a declared conflict;
 * the coordinator (who does not score) sees them unless conflicted. Chairs are members here.
 */
export function maySeeOtherScores(user: SessionUser, reviewer: { hasOwnScore: boolean; hasConflict: boolean; status: ApplicationStatus }): boolean {
  if (reviewer.hasConflict) return false;
  return user.role === 'COORDINATOR' || reviewer.hasOwnScore || isScoringClosed(reviewer.status);
}

/** The facts maySeeOtherScores needs, as a Prisma `select` on Application: only this user's own rows. */
export function scoreVisibilitySelect(user: SessionUser) {
  return {
    status: true,
    scores: { where: { reviewerId: user.id }, select: { id: true } },
    conflicts: { where: { userId: user.id }, select: { userId: true } },
  } as const;
}

/** maySeeOtherScores for a row loaded with scoreVisibilitySelect. */
export function maySeeOtherScoresOf(user: SessionUser, row: { status: ApplicationStatus; scores: unknown[]; conflicts: unknown[] }): boolean {
  return maySeeOtherScores(user, { hasOwnScore: row.scores.length > 0, hasConflict: row.conflicts.length > 0, status: row.status });
}

/**
 * maySeeOtherScores as a Prisma `where` on Application, for sorting, filtering and counting by score
 * in the database (tests/http/review-blind-scoring.test.ts checks both forms agree on every surface).
 */
export function otherScoresVisibleWhere(user: SessionUser): Prisma.ApplicationWhereInput {
  const noConflict: Prisma.ApplicationWhereInput = { conflicts: { none: { userId: user.id } } };
  if (user.role === 'COORDINATOR') return noConflict;
  return { AND: [noConflict, { OR: [{ scores: { some: { reviewerId: user.id } } }, { status: { in: [...scoringClosedStatuses] } }] }] };
}

/** The values of the list's documents filter: every application is under exactly one of them. */
export const documentsStates = ['complete', 'toCheck', 'missing'] as const;
export type DocumentsState = (typeof documentsStates)[number];

/**
 * The documents of an application as the checks see them, the one rule of the documents filter: of
 * the kinds the cohort requires, `missing` when a kind has no current file or a current file was
 * rejected or marked missing; `complete` when every current file of every required kind is accepted;
 * otherwise `toCheck` (files wait for a check). Pass the current files only (not the replaced ones).
 * documentsStateWhere is the same rule as a Prisma `where`.
 */
export function documentsStateOf(requiredKinds: readonly DocumentKind[], documents: readonly { kind: DocumentKind; checkStatus: DocumentCheckStatus }[]): DocumentsState {
  const filesOf = (kind: DocumentKind) => documents.filter((document) => document.kind === kind);
  const kindMissing = (kind: DocumentKind) => filesOf(kind).length === 0 || filesOf(kind).some((document) => document.checkStatus === 'REJECTED' || document.checkStatus === 'MISSING');
  if (requiredKinds.some(kindMissing)) return 'missing';
  if (requiredKinds.every((kind) => filesOf(kind).every((document) => document.checkStatus === 'ACCEPTED'))) return 'complete';
  return 'toCheck';
}

/** documentsStateOf as a Prisma `where` on Application, for the list and the exports. */
export function documentsStateWhere(requiredKinds: readonly DocumentKind[], state: DocumentsState): Prisma.ApplicationWhereInput {
  const missing: Prisma.ApplicationWhereInput = {
    OR: requiredKinds.flatMap((kind) => [
      { documents: { none: { kind, replacedAt: null } } },
      { documents: { some: { kind, replacedAt: null, checkStatus: { in: ['REJECTED', 'MISSING'] as DocumentCheckStatus[] } } } },
    ]),
  };
  const complete: Prisma.ApplicationWhereInput = {
    AND: requiredKinds.flatMap((kind) => [{ documents: { some: { kind, replacedAt: null } } }, { documents: { none: { kind, replacedAt: null, checkStatus: { not: 'ACCEPTED' as DocumentCheckStatus } } } }]),
  };
  if (state === 'missing') return missing;
  if (state === 'complete') return complete;
  return { AND: [{ NOT: missing }, { NOT: complete }] };
}

/** How long after submitting a file still counts as sent with the application (not uploaded again). */
const uploadedWithApplicationWithinMs = 60_000;

/**
 * A document uploaded again, waiting for a check: a current file not yet checked that the applicant
 * sent after submitting, from the status page (it replaced a file of its kind, kept with replacedAt,
 * or was added later). `replaced`: the application's replaced files.
 */
export function isReuploadToCheck(
  document: { kind: DocumentKind; checkStatus: DocumentCheckStatus; uploadedAt: Date; replacedAt: Date | null },
  application: { submittedAt: Date },
  replaced: readonly { kind: DocumentKind }[],
): boolean {
  if (document.replacedAt !== null || document.checkStatus !== 'PENDING') return false;
  return replaced.some((old) => old.kind === document.kind) || document.uploadedAt.getTime() > application.submittedAt.getTime() + uploadedWithApplicationWithinMs;
}

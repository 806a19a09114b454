import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { ApplicationStatus } from '../../generated/prisma/enums.ts';
import type { SessionUser } from '../../http/guards.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { changeStatus } from '../applications/application-status.service.ts';
import { canScore, chairsRegion, interviewHasTakenPlace, isOpenForScoring, isScoringClosed, maySeeOtherScores, scoresInRegion, scoringOpensAt } from './review.policy.ts';
import { findReviewableApplication, requireChair } from './reviewable-application.ts';
import { candidateResult, round } from './score-aggregation.ts';

type Tx = Prisma.TransactionClient;

/** What the application page needs of the application itself (already loaded by loadApplicationPage). */
export interface ScoredApplication {
  id: number;
  regionId: number;
  status: ApplicationStatus;
  interview: { scheduledAt: Date; heldAt: Date | null } | null;
  conflicts: { user: { id: number } }[];
}

/**
 * The scoring part of the application page: one query for the scores, the rest from the loaded
 * application. Blind scoring: a member sees the others' scores only after submitting their own,
 * and never with a conflict; the others' scores are dropped here, before the view sees them.
 */
export async function scoringView(prisma: PrismaClient, user: SessionUser, application: ScoredApplication) {
  const scores = await prisma.score.findMany({ where: { applicationId: application.id }, include: { reviewer: { select: { id: true, fullName: true } }, items: true }, orderBy: { submittedAt: 'asc' } });
  const hasConflict = application.conflicts.some((conflict) => conflict.user.id === user.id);
  const ownScore = scores.find((score) => score.reviewerId === user.id) ?? null;
  const maySeeOthers = maySeeOtherScores(user, { hasOwnScore: ownScore !== null, hasConflict, status: application.status });
  const isChair = chairsRegion(user, application.regionId);
  return {
    hasConflict,
    /** For the chair: whose score was revised after the others' were shown to them (no values). */
    revisedAfterSeeing: isChair ? scores.filter((score) => score.revisedAfterSeeingOthersAt !== null).map((score) => ({ name: score.reviewer.fullName, at: score.revisedAfterSeeingOthersAt! })) : [],
    canScore: canScore(user, application, hasConflict),
    /** Why scoring is not open now: no interview yet, the interview still ahead (opensAt), or closed. */
    notOpenBecause: isOpenForScoring(application) ? null : application.status === 'INTERVIEW' ? (application.interview ? 'interviewAhead' : 'noInterview') : isScoringClosed(application.status) ? 'closed' : 'noInterview',
    opensAt: scoringOpensAt(application.interview),
    interviewTookPlace: interviewHasTakenPlace(application.interview),
    ownScore,
    scores: maySeeOthers ? scores : [],
    maySeeOthers,
  };
}

/** Recomputes the stored result (weighted mean over members, count, spread) from the Score rows. */
export async function refreshResult(tx: Tx, applicationId: number) {
  const scores = await tx.score.findMany({ where: { applicationId }, include: { items: { include: { criterion: { select: { weight: true } } } } } });
  const result = candidateResult(scores.map((score) => ({ items: score.items.map((item) => ({ weight: Number(item.criterion.weight), value: item.value })) })));
  await tx.application.update({
    where: { id: applicationId },
    data: { resultScore: result.result === null ? null : round(result.result, 3), scoreCount: result.count, scoreSpread: result.spread === null ? null : round(result.spread, 3) },
  });
  return result;
}

/**
 * How far scoring has got: scores given, and how many are expected (the region's active committee
 * members without a conflict on this application), with the names of those still to score.
 */
export async function scoringProgress(tx: Tx | PrismaClient, applicationId: number, regionId: number) {
  const [members, conflicts, scores] = await Promise.all([
    tx.committeeMembership.findMany({ where: { regionId, user: { isActive: true, role: 'COMMITTEE' } }, select: { userId: true, user: { select: { fullName: true } } } }),
    tx.conflictOfInterest.findMany({ where: { applicationId }, select: { userId: true } }),
    tx.score.findMany({ where: { applicationId }, select: { reviewerId: true } }),
  ]);
  const conflicted = new Set(conflicts.map((row) => row.userId));
  const scored = new Set(scores.map((row) => row.reviewerId));
  const expectedMembers = members.filter((member) => !conflicted.has(member.userId));
  return {
    scored: scores.length,
    expected: expectedMembers.length,
    missing: expectedMembers.filter((member) => !scored.has(member.userId)).map((member) => member.user.fullName),
  };
}

/**
 * A member's score on every criterion of the cohort's rubric, with a comment. Revising it is allowed
 * only while scoring is open, audited with the old and new values; a revision made once other
 * members' scores were there to see is marked (Score.revisedAfterSeeingOthersAt) for the chair.
 * When every member of the region without a conflict has scored, scoring closes (SCORED).
 */
export async function submitScore(prisma: PrismaClient, user: SessionUser, applicationId: number, values: Record<string, unknown>, comment: string) {
  const application = await findReviewableApplication(prisma, user, applicationId);
  if (!scoresInRegion(user, application.regionId)) throw new ForbiddenError('only committee members of the region score');
  const criteria = await prisma.rubricCriterion.findMany({ where: { cohortId: application.cohortId }, orderBy: { sortOrder: 'asc' } });
  const fieldErrors: Record<string, string> = {};
  const items = criteria.map((criterion) => {
    const value = Number(values[`criterion_${criterion.id}`]);
    if (!Number.isInteger(value) || value < criterion.minScore || value > criterion.maxScore) fieldErrors[`criterion_${criterion.id}`] = 'review:errors.scoreRange';
    return { criterionId: criterion.id, value };
  });
  if (comment.length > 2000) fieldErrors.comment = 'review:errors.tooLong';
  if (Object.keys(fieldErrors).length > 0) throw new ValidationError('invalid score', fieldErrors);

  await prisma.$transaction(async (tx) => {
    const current = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { status: true, interview: { select: { scheduledAt: true, heldAt: true } } } });
    if (await tx.conflictOfInterest.findUnique({ where: { applicationId_userId: { applicationId, userId: user.id } } })) {
      throw new ForbiddenError('a member with a declared conflict of interest does not score');
    }
    if (!isOpenForScoring(current)) throw new ConflictError('not open for scoring', 'review:errors.scoringClosed');
    const previous = await tx.score.findUnique({ where: { applicationId_reviewerId: { applicationId, reviewerId: user.id } }, include: { items: true } });
    // With a score of their own, the member was shown every other score there is (blind scoring).
    const afterSeeingOthers = previous !== null && (await tx.score.count({ where: { applicationId, reviewerId: { not: user.id } } })) > 0;
    const score = previous
      ? await tx.score.update({ where: { id: previous.id }, data: { comment: comment || null, ...(afterSeeingOthers ? { revisedAfterSeeingOthersAt: new Date() } : {}) } })
      : await tx.score.create({ data: { applicationId, reviewerId: user.id, comment: comment || null } });
    await tx.scoreItem.deleteMany({ where: { scoreId: score.id } });
    await tx.scoreItem.createMany({ data: items.map((item) => ({ scoreId: score.id, ...item })) });
    await recordAudit(tx, {
      actorId: user.id,
      action: previous ? 'score.changed' : 'score.submitted',
      entityType: 'Application',
      entityId: applicationId,
      details: {
        values: items,
        ...(previous ? { previous: previous.items.map((item) => ({ criterionId: item.criterionId, value: item.value })), previousComment: previous.comment ?? '', comment, afterSeeingOthers } : {}),
      },
    });
    const result = await refreshResult(tx, applicationId);
    if (current.status === 'INTERVIEW') {
      const progress = await scoringProgress(tx, applicationId, application.regionId);
      if (result.count >= progress.expected) await changeStatus(tx, applicationId, { actorId: null, to: 'SCORED', comment: 'all members have scored' });
    }
  });
}

/** Once decided (or withdrawn), an application's result is final: a conflict declared now would move it. */
const finalStatuses: readonly ApplicationStatus[] = ['SELECTED', 'RESERVE', 'REJECTED', 'WITHDRAWN'];

/**
 * A member declares a conflict of interest, with a reason; a score they gave before is withdrawn with
 * it. After the decision it is refused, so the decided result cannot move.
 */
export async function declareConflict(prisma: PrismaClient, user: SessionUser, applicationId: number, reason: string) {
  await findReviewableApplication(prisma, user, applicationId);
  if (!reason) throw new ValidationError('a conflict needs a reason', { conflictReason: 'review:conflicts.reasonRequired' });
  await prisma.$transaction(async (tx) => {
    const application = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { status: true, decision: { select: { id: true } } } });
    if (application.decision || finalStatuses.includes(application.status)) throw new ConflictError('decided', 'review:conflicts.afterDecision');
    const existing = await tx.conflictOfInterest.findUnique({ where: { applicationId_userId: { applicationId, userId: user.id } } });
    if (existing) return;
    await tx.conflictOfInterest.create({ data: { applicationId, userId: user.id, reason } });
    // A conflict declared after scoring withdraws that score: it must not shape the result.
    const withdrawn = await tx.score.deleteMany({ where: { applicationId, reviewerId: user.id } });
    if (withdrawn.count > 0) await refreshResult(tx, applicationId);
    await recordAudit(tx, { actorId: user.id, action: 'conflict.declared', entityType: 'Application', entityId: applicationId, details: { reason, scoreWithdrawn: withdrawn.count > 0 } });
  });
}

/** The chair lifts a conflict declared by mistake (not their own: that is for the coordinator); audited with what was declared. */
export async function liftConflictOfInterest(prisma: PrismaClient, user: SessionUser, applicationId: number, memberId: number) {
  await requireChair(prisma, user, applicationId);
  if (memberId === user.id && user.role !== 'COORDINATOR') throw new ForbiddenError('a chair does not lift their own conflict');
  await prisma.$transaction(async (tx) => {
    const conflict = await tx.conflictOfInterest.findUnique({ where: { applicationId_userId: { applicationId, userId: memberId } } });
    if (!conflict) throw new NotFoundError();
    await tx.conflictOfInterest.delete({ where: { applicationId_userId: { applicationId, userId: memberId } } });
    await recordAudit(tx, { actorId: user.id, action: 'conflict.lifted', entityType: 'Application', entityId: applicationId, details: { userId: memberId, reason: conflict.reason ?? '', declaredAt: conflict.declaredAt.toISOString() } });
  });
}

/** A member with a declared conflict neither opens nor checks the application's documents. */
export async function requireNoConflict(prisma: PrismaClient | Tx, user: SessionUser, applicationId: number) {
  if (await prisma.conflictOfInterest.findUnique({ where: { applicationId_userId: { applicationId, userId: user.id } } })) {
    throw new ForbiddenError('a member with a declared conflict of interest does not see the documents');
  }
}

import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { ApplicationStatus } from '../../generated/prisma/enums.ts';
import type { SessionUser } from '../../http/guards.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { changeStatus } from '../applications/application-status.service.ts';
import { canScore, isOpenForScoring, maySeeOtherScores, scoresInRegion } from './review.policy.ts';
import { findReviewableApplication } from './reviewable-application.ts';
import { candidateResult, round } from './score-aggregation.ts';

type Tx = Prisma.TransactionClient;

/** What the application page needs of the application itself (already loaded by loadApplicationPage). */
export interface ScoredApplication {
  id: number;
  regionId: number;
  status: ApplicationStatus;
  interview: object | null;
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
  const maySeeOthers = maySeeOtherScores(user, { hasOwnScore: ownScore !== null, hasConflict });
  return {
    hasConflict,
    canScore: canScore(user, { regionId: application.regionId, status: application.status, hasInterview: application.interview !== null }, hasConflict),
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
 * A member's score on every criterion of the cohort's rubric, with a comment. Changing it later is
 * allowed (until the decision) and audited with the old values. When every member of the region
 * without a conflict has scored, the application moves to SCORED.
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
    const current = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { status: true, interview: { select: { id: true } } } });
    if (!isOpenForScoring({ status: current.status, hasInterview: current.interview !== null })) throw new ConflictError('not open for scoring', 'review:errors.scoringClosed');
    if (await tx.conflictOfInterest.findUnique({ where: { applicationId_userId: { applicationId, userId: user.id } } })) {
      throw new ForbiddenError('a member with a declared conflict of interest does not score');
    }
    const previous = await tx.score.findUnique({ where: { applicationId_reviewerId: { applicationId, reviewerId: user.id } }, include: { items: true } });
    const score = previous
      ? await tx.score.update({ where: { id: previous.id }, data: { comment: comment || null } })
      : await tx.score.create({ data: { applicationId, reviewerId: user.id, comment: comment || null } });
    await tx.scoreItem.deleteMany({ where: { scoreId: score.id } });
    await tx.scoreItem.createMany({ data: items.map((item) => ({ scoreId: score.id, ...item })) });
    await recordAudit(tx, {
      actorId: user.id,
      action: previous ? 'score.changed' : 'score.submitted',
      entityType: 'Application',
      entityId: applicationId,
      details: { values: items, ...(previous ? { previous: previous.items.map((item) => ({ criterionId: item.criterionId, value: item.value })) } : {}) },
    });
    const result = await refreshResult(tx, applicationId);
    if (current.status === 'INTERVIEW') {
      const members = await tx.committeeMembership.findMany({ where: { regionId: application.regionId, user: { isActive: true, role: 'COMMITTEE' } }, select: { userId: true } });
      const conflicted = new Set((await tx.conflictOfInterest.findMany({ where: { applicationId }, select: { userId: true } })).map((row) => row.userId));
      const expected = members.filter((member) => !conflicted.has(member.userId)).length;
      if (result.count >= expected) await changeStatus(tx, applicationId, { actorId: null, to: 'SCORED', comment: 'all members have scored' });
    }
  });
}

/** A member declares a conflict of interest; a score they gave before is withdrawn with it. */
export async function declareConflict(prisma: PrismaClient, user: SessionUser, applicationId: number, reason: string) {
  await findReviewableApplication(prisma, user, applicationId);
  await prisma.$transaction(async (tx) => {
    const existing = await tx.conflictOfInterest.findUnique({ where: { applicationId_userId: { applicationId, userId: user.id } } });
    if (existing) return;
    await tx.conflictOfInterest.create({ data: { applicationId, userId: user.id, reason: reason || null } });
    // A conflict declared after scoring withdraws that score: it must not shape the result.
    const withdrawn = await tx.score.deleteMany({ where: { applicationId, reviewerId: user.id } });
    if (withdrawn.count > 0) await refreshResult(tx, applicationId);
    await recordAudit(tx, { actorId: user.id, action: 'conflict.declared', entityType: 'Application', entityId: applicationId, details: { reason: reason || undefined, scoreWithdrawn: withdrawn.count > 0 } });
  });
}

import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { SessionUser } from '../../http/guards.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { changeStatus } from '../applications/application-status.service.ts';
import { cancelInterviewIfScheduled } from './interviews.service.ts';
import { requireChair } from './reviewable-application.ts';
import { canReviewRegion, chairsRegion, maySeeOtherScores } from './review.policy.ts';
import { largeDisagreement } from './score-aggregation.ts';

export interface DecisionInput {
  outcome: 'SELECTED' | 'RESERVE' | 'REJECTED';
  quotaOverride: boolean;
  overrideReason: string;
  /** Why an earlier decision is changed (required for a correction). */
  changeReason?: string;
  /** Sent by the confirmation page: a rejection or a selection over the quota asks first. */
  confirmed?: boolean;
}

const decidedStatuses = ['SELECTED', 'RESERVE', 'REJECTED'] as const;

/**
 * A rejection or a selection over the quota is shown first with what it will do (the handler renders
 * review/confirm-decision); nothing has been written when this is thrown.
 */
export class DecisionNeedsConfirmation extends Error {
  constructor(
    readonly summary: { outcome: DecisionInput['outcome']; previous: DecisionInput['outcome'] | null; overQuota: boolean; selected: number; quota: number },
  ) {
    super('the decision needs a confirmation');
  }
}

/**
 * Selected / reserve / rejected by the region's chair or the coordinator. Never more selected than
 * the region's quota, unless the decider says so explicitly with a reason (audited). The quota row is
 * locked for the transaction so two chairs deciding at once cannot both take the last place.
 * Until the cohort's results are published a decision can be changed with a reason (audited with the
 * old and new outcome, within the same quota rules); after that it is final.
 */
export async function decide(prisma: PrismaClient, user: SessionUser, applicationId: number, input: DecisionInput) {
  const application = await requireChair(prisma, user, applicationId);
  await prisma.$transaction(async (tx) => {
    const quotaRows = await tx.$queryRaw<{ quota: number }[]>`SELECT quota FROM "CohortRegionQuota" WHERE "cohortId" = ${application.cohortId} AND "regionId" = ${application.regionId} FOR UPDATE`;
    const quota = quotaRows[0]?.quota ?? 0;
    const [cohort, current] = await Promise.all([
      tx.cohort.findUniqueOrThrow({ where: { id: application.cohortId }, select: { resultsPublishedAt: true } }),
      tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { status: true, decision: { select: { outcome: true } } } }),
    ]);
    const previous = current.decision && (decidedStatuses as readonly string[]).includes(current.status) ? current.decision.outcome : null;
    if (previous) {
      if (cohort.resultsPublishedAt) throw new ConflictError('results are published', 'review:errors.decisionPublished');
      if (previous === input.outcome) throw new ValidationError('same outcome', { outcome: 'review:errors.sameOutcome' });
      if (!input.changeReason) throw new ValidationError('a change needs a reason', { changeReason: 'review:errors.changeReasonRequired' });
    }
    let overrideUsed = false;
    let selected = 0;
    if (input.outcome === 'SELECTED') {
      selected = await tx.application.count({ where: { cohortId: application.cohortId, regionId: application.regionId, status: 'SELECTED', id: { not: applicationId } } });
      if (selected >= quota) {
        if (!input.quotaOverride) throw new ValidationError('quota reached', { outcome: 'review:errors.quotaFull' });
        if (!input.overrideReason) throw new ValidationError('override needs a reason', { overrideReason: 'review:errors.overrideReasonRequired' });
        overrideUsed = true;
      }
    }
    if ((input.outcome === 'REJECTED' || overrideUsed) && !input.confirmed) throw new DecisionNeedsConfirmation({ outcome: input.outcome, previous, overQuota: overrideUsed, selected, quota });
    const from = previous
      ? await changeStatus(tx, applicationId, {
          actorId: user.id,
          to: input.outcome,
          comment: input.changeReason,
          // A correction moves between the decided statuses, which the workflow itself never does.
          allowedFrom: decidedStatuses,
          auditDetails: (status) => ({ from: status, to: input.outcome, comment: input.changeReason, decisionChanged: true }),
        })
      : await changeStatus(tx, applicationId, { actorId: user.id, to: input.outcome });
    if (input.outcome === 'REJECTED') await cancelInterviewIfScheduled(tx, applicationId, user.id);
    const overrideData = { quotaOverride: overrideUsed, overrideReason: overrideUsed ? input.overrideReason : null };
    if (previous) {
      await tx.decision.update({ where: { applicationId }, data: { outcome: input.outcome, decidedById: user.id, ...overrideData, changeReason: input.changeReason, changedAt: new Date() } });
    } else {
      await tx.decision.upsert({
        where: { applicationId },
        create: { applicationId, outcome: input.outcome, decidedById: user.id, ...overrideData },
        update: { outcome: input.outcome, decidedById: user.id, ...overrideData, decidedAt: new Date() },
      });
    }
    if (previous) {
      await recordAudit(tx, {
        actorId: user.id,
        action: 'decision.changed',
        entityType: 'Application',
        entityId: applicationId,
        details: { from: previous, to: input.outcome, reason: input.changeReason ?? '', quota, ...(overrideUsed ? { quotaOverride: true, overrideReason: input.overrideReason } : {}) },
      });
    }
    if (!previous || overrideUsed) {
      await recordAudit(tx, {
        actorId: user.id,
        action: overrideUsed ? 'decision.quota_override' : 'decision.made',
        entityType: 'Application',
        entityId: applicationId,
        details: { outcome: input.outcome, from, quota, ...(overrideUsed ? { reason: input.overrideReason } : {}) },
      });
    }
  });
}

const rankedStatuses = ['INTERVIEW', 'SCORED', 'SELECTED', 'RESERVE', 'REJECTED'] as const;

/**
 * The region's candidates by result, with the quota line, in two queries. Blind scoring: candidates
 * whose scores the user may not see yet (maySeeOtherScores) get no rank, result, count or spread and
 * are listed after the ranked ones in the order they applied, so their place reveals nothing. The
 * chair sees who declared a conflict of interest on each candidate.
 */
export async function regionRanking(prisma: PrismaClient, user: SessionUser, regionId: number, cohortId: number) {
  if (!canReviewRegion(user, regionId)) throw new NotFoundError();
  const [region, quota, members, candidates] = await Promise.all([
    prisma.region.findUnique({ where: { id: regionId } }),
    prisma.cohortRegionQuota.findUnique({ where: { cohortId_regionId: { cohortId, regionId } } }),
    // The members who score here, as scoringProgress counts them.
    prisma.committeeMembership.findMany({ where: { regionId, user: { isActive: true, role: 'COMMITTEE' } }, select: { userId: true } }),
    prisma.application.findMany({
      where: { cohortId, regionId, status: { in: [...rankedStatuses] }, scoreCount: { gt: 0 } },
      orderBy: [{ resultScore: { sort: 'desc', nulls: 'last' } }, { scoreSpread: 'asc' }, { submittedAt: 'asc' }],
      select: {
        id: true,
        number: true,
        fullName: true,
        status: true,
        submittedAt: true,
        resultScore: true,
        scoreCount: true,
        scoreSpread: true,
        decision: { select: { quotaOverride: true } },
        scores: { where: { reviewerId: user.id }, select: { id: true } },
        conflicts: { orderBy: { declaredAt: 'asc' }, select: { userId: true, reason: true, user: { select: { fullName: true } } } },
      },
    }),
  ]);
  if (!region) throw new NotFoundError();
  const isChair = chairsRegion(user, regionId);
  const selected = candidates.filter((candidate) => candidate.status === 'SELECTED').length;
  const rows = candidates.map(({ scores, conflicts, ...candidate }) => ({
    ...candidate,
    scoresVisible: maySeeOtherScores(user, { hasOwnScore: scores.length > 0, hasConflict: conflicts.some((conflict) => conflict.userId === user.id), status: candidate.status }),
    conflicts: isChair ? conflicts.map((conflict) => ({ name: conflict.user.fullName, reason: conflict.reason })) : [],
    // The scores that can come: the region's members without a conflict on this candidate.
    expectedScores: members.filter((member) => !conflicts.some((conflict) => conflict.userId === member.userId)).length,
  }));
  const ranked = rows.filter((row) => row.scoresVisible);
  // A tie at the quota line: the last place inside the quota and the first outside have the same result.
  // Only among the ranked rows, so a hidden score plays no part (blind scoring).
  const quotaValue = quota?.quota ?? 0;
  const lineResult = quotaValue > 0 && ranked.length > quotaValue && ranked[quotaValue - 1].resultScore !== null && Number(ranked[quotaValue - 1].resultScore) === Number(ranked[quotaValue].resultScore) ? Number(ranked[quotaValue - 1].resultScore) : null;
  const hidden = rows.filter((row) => !row.scoresVisible).sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || a.id - b.id);
  return {
    region,
    quota: quota?.quota ?? 0,
    selected,
    rankedCount: ranked.length,
    candidates: [
      ...ranked.map((candidate, index) => ({
        ...candidate,
        rank: (index + 1) as number | null,
        result: candidate.resultScore === null ? null : Number(candidate.resultScore),
        spread: candidate.scoreSpread === null ? null : Number(candidate.scoreSpread),
        largeDisagreement: candidate.scoreSpread !== null && Number(candidate.scoreSpread) >= largeDisagreement,
        tieAtQuotaLine: lineResult !== null && candidate.resultScore !== null && Number(candidate.resultScore) === lineResult,
        fewerScoresThanMembers: candidate.scoreCount < candidate.expectedScores,
      })),
      ...hidden.map((candidate) => ({ ...candidate, rank: null, resultScore: null, scoreCount: 0, scoreSpread: null, result: null, spread: null, largeDisagreement: false, tieAtQuotaLine: false, fewerScoresThanMembers: false, expectedScores: 0 })),
    ],
  };
}

import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { SessionUser } from '../../http/guards.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { changeStatus } from '../applications/application-status.service.ts';
import { requireChair } from './reviewable-application.ts';
import { canReviewRegion, chairsRegion, maySeeOtherScores } from './review.policy.ts';
import { largeDisagreement } from './score-aggregation.ts';

export interface DecisionInput {
  outcome: 'SELECTED' | 'RESERVE' | 'REJECTED';
  quotaOverride: boolean;
  overrideReason: string;
}

/**
 * Selected / reserve / rejected by the region's chair or the coordinator. Never more selected than
 * the region's quota, unless the decider says so explicitly with a reason (audited). The quota row is
 * locked for the transaction so two chairs deciding at once cannot both take the last place.
 */
export async function decide(prisma: PrismaClient, user: SessionUser, applicationId: number, input: DecisionInput) {
  const application = await requireChair(prisma, user, applicationId);
  await prisma.$transaction(async (tx) => {
    const quotaRows = await tx.$queryRaw<{ quota: number }[]>`SELECT quota FROM "CohortRegionQuota" WHERE "cohortId" = ${application.cohortId} AND "regionId" = ${application.regionId} FOR UPDATE`;
    const quota = quotaRows[0]?.quota ?? 0;
    let overrideUsed = false;
    if (input.outcome === 'SELECTED') {
      const selected = await tx.application.count({ where: { cohortId: application.cohortId, regionId: application.regionId, status: 'SELECTED' } });
      if (selected >= quota) {
        if (!input.quotaOverride) throw new ValidationError('quota reached', { outcome: 'review:errors.quotaFull' });
        if (!input.overrideReason) throw new ValidationError('override needs a reason', { overrideReason: 'review:errors.overrideReasonRequired' });
        overrideUsed = true;
      }
    }
    const from = await changeStatus(tx, applicationId, { actorId: user.id, to: input.outcome });
    await tx.decision.upsert({
      where: { applicationId },
      create: { applicationId, outcome: input.outcome, decidedById: user.id, quotaOverride: overrideUsed, overrideReason: overrideUsed ? input.overrideReason : null },
      update: { outcome: input.outcome, decidedById: user.id, quotaOverride: overrideUsed, overrideReason: overrideUsed ? input.overrideReason : null, decidedAt: new Date() },
    });
    await recordAudit(tx, {
      actorId: user.id,
      action: overrideUsed ? 'decision.quota_override' : 'decision.made',
      entityType: 'Application',
      entityId: applicationId,
      details: { outcome: input.outcome, from, quota, ...(overrideUsed ? { reason: input.overrideReason } : {}) },
    });
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
  const [region, quota, candidates] = await Promise.all([
    prisma.region.findUnique({ where: { id: regionId } }),
    prisma.cohortRegionQuota.findUnique({ where: { cohortId_regionId: { cohortId, regionId } } }),
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
  }));
  const ranked = rows.filter((row) => row.scoresVisible);
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
      })),
      ...hidden.map((candidate) => ({ ...candidate, rank: null, resultScore: null, scoreCount: 0, scoreSpread: null, result: null, spread: null, largeDisagreement: false })),
    ],
  };
}

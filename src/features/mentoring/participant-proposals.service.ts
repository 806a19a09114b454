/**
 * A mentor proposes a new participant for her group; the coordinator confirms (the IIN checks of the
 * participant form apply again) or refuses. A proposal is proposedById set and confirmedAt empty.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../db/unique-violation.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { ageFromIin, type ParticipantForm } from './group.schemas.ts';
import { registeredIins } from './groups.service.ts';
import { pendingProposal } from './participant-scope.ts';
import { findMentorGroup } from './protocols.service.ts';

export type ProposalResult = { ok: true } | { ok: false; errors: Record<string, string> };

const iinTaken: ProposalResult = { ok: false, errors: { iin: 'mentoring:errors.iinRegistered' } };

/** The mentor's own group only (404 otherwise); an IIN registered anywhere (or proposed) is refused. */
export async function proposeParticipant(prisma: PrismaClient, mentorId: number, groupId: number, form: ParticipantForm, now = new Date()): Promise<ProposalResult> {
  await findMentorGroup(prisma, mentorId, groupId);
  if ((await registeredIins(prisma, [form.iin])).size > 0) return iinTaken;
  try {
    await prisma.$transaction(async (tx) => {
      const created = await tx.groupParticipant.create({
        data: { groupId, fullName: form.fullName, iin: form.iin, age: form.age ?? ageFromIin(form.iin, now), contact: form.contact, proposedById: mentorId },
        select: { id: true },
      });
      await recordAudit(tx, { actorId: mentorId, action: 'participant.proposed', entityType: 'GroupParticipant', entityId: created.id, details: { groupId } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return iinTaken;
    throw error;
  }
  return { ok: true };
}

/** The mentor's proposals still waiting for the coordinator (names only: the IIN stays with the coordinator). */
export function pendingProposalsOf(prisma: PrismaClient, groupId: number) {
  return prisma.groupParticipant.findMany({ where: { groupId, ...pendingProposal }, orderBy: [{ id: 'asc' }], select: { id: true, fullName: true, age: true, contact: true } });
}

async function findProposal(prisma: PrismaClient, groupId: number, participantId: number) {
  const proposal = await prisma.groupParticipant.findFirst({ where: { id: participantId, groupId, ...pendingProposal } });
  if (!proposal) throw new NotFoundError(`No pending proposal ${participantId} in group ${groupId}`);
  return proposal;
}

/** Confirms a pending proposal; refused when its IIN is (meanwhile) held by another participant. */
export async function confirmProposal(prisma: PrismaClient, actorId: number, groupId: number, participantId: number, now = new Date()): Promise<{ ok: boolean }> {
  const proposal = await findProposal(prisma, groupId, participantId);
  if (proposal.iin && (await registeredIins(prisma, [proposal.iin], proposal.id)).size > 0) return { ok: false };
  await prisma.$transaction(async (tx) => {
    const updated = await tx.groupParticipant.updateMany({ where: { id: proposal.id, ...pendingProposal }, data: { confirmedAt: now } });
    if (updated.count === 0) throw new NotFoundError(`Proposal ${proposal.id} is no longer pending`);
    await recordAudit(tx, { actorId, action: 'participant.proposal_confirmed', entityType: 'GroupParticipant', entityId: proposal.id, details: { groupId, proposedById: proposal.proposedById } });
  });
  return { ok: true };
}

export async function refuseProposal(prisma: PrismaClient, actorId: number, groupId: number, participantId: number): Promise<void> {
  const proposal = await findProposal(prisma, groupId, participantId);
  await prisma.$transaction(async (tx) => {
    await tx.groupParticipant.delete({ where: { id: proposal.id } });
    await recordAudit(tx, { actorId, action: 'participant.proposal_refused', entityType: 'GroupParticipant', entityId: proposal.id, details: { groupId, proposedById: proposal.proposedById, fullName: proposal.fullName } });
  });
}

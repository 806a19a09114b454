/**
 * A participant a mentor proposed is not in the group until the coordinator confirms it: every list,
 * count and attendance of a group's participants takes only the confirmed ones (those the coordinator
 * added have neither proposedById nor confirmedAt). A pending proposal still holds its IIN, so that the
 * same person is not registered twice while it waits.
 */
import type { Prisma } from '../../generated/prisma/client.ts';

export const inGroupParticipant = { OR: [{ proposedById: null }, { confirmedAt: { not: null } }] } satisfies Prisma.GroupParticipantWhereInput;

export const pendingProposal = { proposedById: { not: null }, confirmedAt: null } satisfies Prisma.GroupParticipantWhereInput;

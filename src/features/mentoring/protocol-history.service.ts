/**
 * The history of a protocol, the same for its mentor and the coordinator: each submission, return (with
 * the coordinator's comment) and resubmission, from the audit entries that recorded them.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';

const historyActions = ['protocol.submitted', 'protocol.returned', 'protocol.resubmitted'] as const;
export type ProtocolHistoryAction = (typeof historyActions)[number];

export interface ProtocolHistoryEntry {
  /** "submitted", "returned" or "resubmitted": the key of its label. */
  kind: 'submitted' | 'returned' | 'resubmitted';
  at: Date;
  actorName: string | null;
  comment: string | null;
}

export async function protocolHistory(prisma: PrismaClient, protocolId: number | null | undefined): Promise<ProtocolHistoryEntry[]> {
  if (!protocolId) return [];
  const entries = await prisma.auditLogEntry.findMany({
    where: { entityType: 'SessionProtocol', entityId: String(protocolId), action: { in: [...historyActions] } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { action: true, createdAt: true, details: true, actor: { select: { fullName: true } } },
  });
  return entries.map((entry) => {
    const details = (entry.details ?? {}) as Record<string, unknown>;
    return {
      kind: entry.action.slice('protocol.'.length) as ProtocolHistoryEntry['kind'],
      at: entry.createdAt,
      actorName: entry.actor?.fullName ?? null,
      comment: entry.action === 'protocol.returned' && typeof details.comment === 'string' ? details.comment : null,
    };
  });
}

import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface AuditEvent {
  /** Null for the applicant (who has no account) or the system. */
  actorId: number | null;
  /** Dotted verb, e.g. "application.submitted", "document.viewed", "score.changed". */
  action: string;
  entityType: string;
  entityId: string | number;
  details?: Prisma.InputJsonValue;
}

/** Who did what and when; written in the same transaction as the change it records. */
export async function recordAudit(db: Db, event: AuditEvent): Promise<void> {
  await db.auditLogEntry.create({
    data: { actorId: event.actorId, action: event.action, entityType: event.entityType, entityId: String(event.entityId), details: event.details },
  });
}

import type { Prisma } from '../../generated/prisma/client.ts';
import type { ApplicationStatus } from '../../generated/prisma/enums.ts';
import { ConflictError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { canMove } from './application-status.ts';

type Tx = Prisma.TransactionClient;

export interface StatusChange {
  /** Who moves it: a staff user's id, or null for the applicant or the system. */
  actorId: number | null;
  to: ApplicationStatus;
  comment?: string;
  /** Fields set together with the status (completeAt, withdrawnAt…). */
  data?: Prisma.ApplicationUpdateManyMutationInput;
  auditAction?: string;
  /** What the audit entry records; by default where from, where to and the comment. */
  auditDetails?: (from: ApplicationStatus) => Prisma.InputJsonValue;
  /** The message key shown when the move is not allowed (or lost a race). */
  refusalMessageKey?: string;
  /** A move with its own rule (a decision corrected before publishing): the statuses it may come from, instead of the workflow's transitions. */
  allowedFrom?: readonly ApplicationStatus[];
}

/**
 * The one place an application's status changes: only along allowed transitions, recorded in the
 * status history and the audit log. The condition on the old status makes a concurrent change win
 * cleanly instead of being overwritten. Returns the status it moved from.
 */
export async function changeStatus(tx: Tx, applicationId: number, change: StatusChange): Promise<ApplicationStatus> {
  const { actorId, to, comment, data = {}, auditAction = 'application.status_changed', refusalMessageKey = 'review:errors.transitionNotAllowed' } = change;
  const auditDetails = change.auditDetails ?? ((from: ApplicationStatus) => ({ from, to, comment: comment || undefined }));
  const current = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { status: true } });
  const allowed = change.allowedFrom ? change.allowedFrom.includes(current.status) && current.status !== to : canMove(current.status, to);
  if (!allowed) throw new ConflictError(`transition ${current.status} → ${to} is not allowed`, refusalMessageKey);
  const updated = await tx.application.updateMany({ where: { id: applicationId, status: current.status }, data: { status: to, ...data } });
  if (updated.count !== 1) throw new ConflictError('status changed meanwhile', refusalMessageKey);
  await tx.applicationStatusChange.create({ data: { applicationId, fromStatus: current.status, toStatus: to, changedById: actorId, comment: comment || null } });
  await recordAudit(tx, { actorId, action: auditAction, entityType: 'Application', entityId: applicationId, details: auditDetails(current.status) });
  return current.status;
}

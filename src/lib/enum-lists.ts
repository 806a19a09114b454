/**
 * The values of the schema's enums as lists, in the schema's order, for filters, choices and checks.
 * Derived from the generated Prisma enums, so a value added to prisma/schema.prisma appears everywhere.
 */
import { ApplicationStatus, DecisionOutcome, DocumentCheckStatus, Locale, OutboxStatus, ProtocolStatus, SessionFormat, TrainingPhase, UserRole } from '../generated/prisma/enums.ts';

export const applicationStatuses: readonly ApplicationStatus[] = Object.values(ApplicationStatus);
export const decisionOutcomes: readonly DecisionOutcome[] = Object.values(DecisionOutcome);
export const documentCheckStatuses: readonly DocumentCheckStatus[] = Object.values(DocumentCheckStatus);
/** The languages of the portal, its e-mails and its users. */
export const languages: readonly Locale[] = Object.values(Locale);
export const outboxStatuses: readonly OutboxStatus[] = Object.values(OutboxStatus);
export const protocolStatuses: readonly ProtocolStatus[] = Object.values(ProtocolStatus);
export const sessionFormats: readonly SessionFormat[] = Object.values(SessionFormat);
export const trainingPhases: readonly TrainingPhase[] = Object.values(TrainingPhase);
export const userRoles: readonly UserRole[] = Object.values(UserRole);

/** Every list, for the views (given to each page by src/http/page-locals.ts). */
export const enumLists = {
  applicationStatuses,
  decisionOutcomes,
  documentCheckStatuses,
  languages,
  outboxStatuses,
  protocolStatuses,
  sessionFormats,
  trainingPhases,
  userRoles,
};

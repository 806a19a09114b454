import type { PrismaClient } from '../../generated/prisma/client.ts';
import { noNames, referencesOf, type AuditNames } from './audit-labels.ts';

/**
 * The names behind the ids a page of the log mentions: one query per kind of record (at most seven,
 * whatever the page size), none per row.
 */
export async function resolveAuditNames(prisma: PrismaClient, entries: readonly { entityType: string; entityId: string; details: unknown }[]): Promise<AuditNames> {
  const references = referencesOf(entries);
  const names = noNames();
  const ids = (set: Set<number>) => [...set];
  const [users, applications, criteria, documents, cohorts, regions, groups] = await Promise.all([
    references.users.size ? prisma.user.findMany({ where: { id: { in: ids(references.users) } }, select: { id: true, fullName: true } }) : [],
    references.applications.size ? prisma.application.findMany({ where: { id: { in: ids(references.applications) } }, select: { id: true, number: true } }) : [],
    references.criteria.size ? prisma.rubricCriterion.findMany({ where: { id: { in: ids(references.criteria) } }, select: { id: true, nameRu: true, nameKk: true, nameEn: true } }) : [],
    references.documents.size ? prisma.applicationDocument.findMany({ where: { id: { in: [...references.documents].filter((id) => /^[0-9a-f-]{36}$/i.test(id)) } }, select: { id: true, kind: true } }) : [],
    references.cohorts.size ? prisma.cohort.findMany({ where: { id: { in: ids(references.cohorts) } }, select: { id: true, name: true } }) : [],
    references.regions.size ? prisma.region.findMany({ where: { id: { in: ids(references.regions) } }, select: { id: true, nameRu: true, nameKk: true, nameEn: true } }) : [],
    references.groups.size ? prisma.youthGroup.findMany({ where: { id: { in: ids(references.groups) } }, select: { id: true, name: true } }) : [],
  ]);
  for (const user of users) names.users.set(user.id, user.fullName);
  for (const application of applications) names.applications.set(application.id, application.number);
  for (const criterion of criteria) names.criteria.set(criterion.id, criterion);
  for (const document of documents) names.documents.set(document.id, document.kind);
  for (const cohort of cohorts) names.cohorts.set(cohort.id, cohort.name);
  for (const region of regions) names.regions.set(region.id, region);
  for (const group of groups) names.groups.set(group.id, group.name);
  return names;
}

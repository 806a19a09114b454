/**
 * The audit log in words: an action in the reader's language (its raw key when no translation exists
 * yet, so a new action is never hidden), and the records and values of its details by name (an
 * application's number, a person's name, a criterion, a document kind) instead of ids and UUIDs.
 * Pure: the names come from resolveAuditNames (audit-names.ts), a few queries per page.
 */
import { formatDateTime } from '../../lib/dates.ts';
import { localisedName } from '../../lib/localised-name.ts';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

interface LocalisedName {
  nameRu: string;
  nameKk: string;
  nameEn: string;
}

/** The names behind the ids one page of the log mentions. */
export interface AuditNames {
  users: Map<number, string>;
  applications: Map<number, string>;
  criteria: Map<number, LocalisedName>;
  /** A document's id (a UUID) → its kind. */
  documents: Map<string, string>;
  cohorts: Map<number, string>;
  regions: Map<number, LocalisedName>;
  groups: Map<number, string>;
}

export const noNames = (): AuditNames => ({ users: new Map(), applications: new Map(), criteria: new Map(), documents: new Map(), cohorts: new Map(), regions: new Map(), groups: new Map() });

const actionKey = /^[a-z_]+\.[a-z_]+$/;

export function auditActionLabel(t: Translate, action: string): string {
  return actionKey.test(action) ? t(`admin:audit.actions.${action}`, { defaultValue: action }) : action;
}

function detailKeyLabel(t: Translate, key: string): string {
  return /^[A-Za-z]+$/.test(key) ? t(`admin:audit.detailKeys.${key}`, { defaultValue: key }) : key;
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;
const statusNames = new Set(['SUBMITTED', 'SCREENING', 'INCOMPLETE', 'INTERVIEW', 'SCORED', 'SELECTED', 'RESERVE', 'REJECTED', 'WITHDRAWN']);
const documentKindName = /^[A-Z][A-Z_]+$/;

const asId = (value: unknown): number | null => {
  const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(id) ? id : null;
};

/** The ids a page's entries mention, by kind, for one query per kind. */
export function referencesOf(entries: readonly { entityType: string; entityId: string; details: unknown }[]) {
  const references = { users: new Set<number>(), applications: new Set<number>(), criteria: new Set<number>(), documents: new Set<string>(), cohorts: new Set<number>(), regions: new Set<number>(), groups: new Set<number>() };
  const add = (set: Set<number>, value: unknown) => {
    const id = asId(value);
    if (id !== null) set.add(id);
  };
  const entitySets: Record<string, Set<number>> = { User: references.users, Application: references.applications, Cohort: references.cohorts, Region: references.regions, YouthGroup: references.groups };
  for (const entry of entries) {
    if (entitySets[entry.entityType]) add(entitySets[entry.entityType], entry.entityId);
    const details = entry.details;
    if (!details || typeof details !== 'object' || Array.isArray(details)) continue;
    const record = details as Record<string, unknown>;
    for (const key of ['userId', 'mentorId']) add(references.users, record[key]);
    if (Array.isArray(record.trainers)) record.trainers.forEach((id) => add(references.users, id));
    add(references.applications, record.applicationId);
    add(references.criteria, record.criterionId);
    add(references.regions, record.regionId);
    add(references.groups, record.groupId);
    if (Array.isArray(record.groups)) record.groups.forEach((id) => add(references.groups, id));
    if (typeof record.documentId === 'string') references.documents.add(record.documentId);
    for (const key of ['values', 'previous']) {
      if (Array.isArray(record[key])) for (const item of record[key] as unknown[]) if (item && typeof item === 'object') add(references.criteria, (item as { criterionId?: unknown }).criterionId);
    }
  }
  return references;
}

export interface AuditReader {
  t: Translate;
  language: string;
  names: AuditNames;
}

function kindLabel(reader: AuditReader, kind: string): string {
  return reader.t(`documents.kinds.${kind}`, { defaultValue: kind });
}

function valueText(reader: AuditReader, key: string, value: unknown): string {
  const { t, names, language } = reader;
  const named = <K>(map: Map<K, string>, id: K | null, fallback: unknown) => (id !== null && map.has(id) ? map.get(id)! : `#${String(fallback)}`);
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return t(value ? 'admin:audit.yes' : 'admin:audit.no');
  switch (key) {
    case 'userId':
    case 'mentorId':
      return named(names.users, asId(value), value);
    case 'applicationId':
      return named(names.applications, asId(value), value);
    case 'groupId':
      return named(names.groups, asId(value), value);
    case 'regionId': {
      const region = names.regions.get(asId(value) ?? -1);
      return region ? localisedName(region, language) : `#${String(value)}`;
    }
    case 'criterionId': {
      const criterion = names.criteria.get(asId(value) ?? -1);
      return criterion ? localisedName(criterion, language) : `#${String(value)}`;
    }
    case 'documentId': {
      const kind = typeof value === 'string' ? names.documents.get(value) : undefined;
      return kind ? kindLabel(reader, kind) : t('admin:audit.detailKeys.documentId');
    }
    case 'kind':
      return typeof value === 'string' ? kindLabel(reader, value) : String(value);
    case 'trainers':
      if (Array.isArray(value)) return value.map((id) => named(names.users, asId(id), id)).join(', ');
      break;
    case 'groups':
      if (Array.isArray(value)) return value.map((id) => named(names.groups, asId(id), id)).join(', ');
      break;
    case 'kinds':
    case 'notAccepted':
      if (Array.isArray(value)) return value.map((kind) => (typeof kind === 'string' ? kindLabel(reader, kind) : String(kind))).join(', ');
      break;
    case 'values':
    case 'previous':
      if (Array.isArray(value))
        return value
          .map((item) => {
            const { criterionId, value: given } = (item ?? {}) as { criterionId?: unknown; value?: unknown };
            return `${valueText(reader, 'criterionId', criterionId)}: ${String(given)}`;
          })
          .join(', ');
      break;
  }
  if (typeof value === 'string') {
    if (isoInstant.test(value)) return formatDateTime(new Date(value), language);
    if (statusNames.has(value) && ['from', 'to', 'outcome', 'status'].includes(key)) return t(`applicationStatus.${value}`);
    if (key === 'checkStatus' && documentKindName.test(value)) return t(`apply:documentCheck.${value}`, { defaultValue: value });
    return value;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined && inner !== null && inner !== '')
      .map(([innerKey, inner]) => `${detailKeyLabel(t, innerKey)}: ${valueText(reader, innerKey, inner)}`)
      .join(', ');
  }
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** "label: value; label: value" in the reader's language — readable in a table cell and wraps at the spaces. */
export function describeDetails(details: unknown, reader: AuditReader): string {
  if (details === null || details === undefined) return '';
  if (typeof details !== 'object' || Array.isArray(details)) return JSON.stringify(details);
  const record = details as Record<string, unknown>;
  return Object.entries(record)
    .filter(([key, value]) => value !== undefined && !(key === 'documentId' && typeof record.kind === 'string' && !reader.names.documents.has(String(value))))
    .filter(([key]) => !(key === 'kind' && typeof record.documentId === 'string' && reader.names.documents.has(record.documentId)))
    .map(([key, value]) => `${detailKeyLabel(reader.t, key)}: ${valueText(reader, key, value)}`)
    .join('; ');
}

/** The record an entry is about, by name where the log knows one ("Заявка ZM-2026-00042", a person's name). */
export function entityLabel(entry: { entityType: string; entityId: string }, reader: AuditReader): string {
  const { t, names, language } = reader;
  const id = asId(entry.entityId) ?? -1;
  switch (entry.entityType) {
    case 'Application':
      return t('admin:audit.applicationLabel', { number: names.applications.get(id) ?? `#${entry.entityId}` });
    case 'User':
      if (names.users.has(id)) return names.users.get(id)!;
      break;
    case 'Cohort':
      if (names.cohorts.has(id)) return names.cohorts.get(id)!;
      break;
    case 'Region':
      if (names.regions.has(id)) return localisedName(names.regions.get(id)!, language);
      break;
    case 'YouthGroup':
      if (names.groups.has(id)) return names.groups.get(id)!;
      break;
    case 'Route':
      return `${t('admin:audit.entityTypes.Route')} ${entry.entityId}`;
  }
  const type = /^[A-Za-z]+$/.test(entry.entityType) ? t(`admin:audit.entityTypes.${entry.entityType}`, { defaultValue: entry.entityType }) : entry.entityType;
  return t('admin:audit.entityLabel', { type, id: entry.entityId });
}

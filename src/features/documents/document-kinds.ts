import type { DocumentKind } from '../../generated/prisma/enums.ts';

/** The eight kinds in the FAQ's order, each with how many files one application may attach. */
export const documentKinds: { kind: DocumentKind; maxFiles: number }[] = [
  { kind: 'ID_CARD', maxFiles: 1 },
  { kind: 'EDUCATION_DIPLOMA', maxFiles: 2 },
  { kind: 'YOUTH_WORK_CERTIFICATE', maxFiles: 3 },
  { kind: 'RESIDENCE_PROOF', maxFiles: 1 },
  { kind: 'POLICE_CLEARANCE', maxFiles: 1 },
  { kind: 'NARCOLOGY_STATEMENT', maxFiles: 1 },
  { kind: 'PSYCHIATRY_STATEMENT', maxFiles: 1 },
  { kind: 'RECOMMENDATION_LETTER', maxFiles: 3 },
];

export const documentKindNames = documentKinds.map((entry) => entry.kind);

export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && (documentKindNames as string[]).includes(value);
}

export function maxFilesOf(kind: DocumentKind): number {
  return documentKinds.find((entry) => entry.kind === kind)?.maxFiles ?? 1;
}

/** Only these, recognised by their content (magic bytes), never by the file's name. */
export const acceptedMimeTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;

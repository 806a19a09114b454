import { randomUUID } from 'node:crypto';

/** Every stored document is named <uuid>.bin by the portal; nothing else is ever read or written in a store. */
const storedNamePattern = /^[0-9a-f-]{36}\.bin$/;

export function newStoredName(): string {
  return `${randomUUID()}.bin`;
}

export function isStoredName(name: string): boolean {
  return storedNamePattern.test(name);
}

/** Refuses any name that is not one the portal made, so nothing can step outside the store's folder or prefix. */
export function assertStoredName(storedName: string): string {
  if (!isStoredName(storedName)) throw new Error('invalid stored document name');
  return storedName;
}

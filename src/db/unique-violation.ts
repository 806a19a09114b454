import { Prisma } from '../generated/prisma/client.ts';

/** A write refused by a unique index (Prisma's P2002): the caller answers it as "already taken", not as an error. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

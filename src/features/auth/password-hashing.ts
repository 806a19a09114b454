import argon2 from 'argon2';

/** The argon2id cost parameters a hash is made with; argon2 writes them into the hash itself. */
export interface PasswordHashing {
  /** KiB of memory per hash. */
  memoryCost: number;
  /** Passes over that memory. */
  timeCost: number;
  parallelism: number;
}

// argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes): memory-hard, so that stolen hashes
// are costly to guess even on GPUs.
// Written out so that a change of the library's defaults cannot weaken the portal's hashes unnoticed.
export const productionPasswordHashing: Readonly<PasswordHashing> = Object.freeze({ memoryCost: 65_536, timeCost: 3, parallelism: 4 });

/**
 * Every account the portal creates is hashed with the production parameters. Only code that writes
 * throwaway accounts (the test helpers) passes cheaper ones; verifyPassword reads them from the hash.
 */
export function hashPassword(password: string, hashing: PasswordHashing = productionPasswordHashing): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...hashing });
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password).catch(() => false);
}

// Compared against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;
export async function spendTimeLikeAVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password-only-for-timing');
  await verifyPassword(await dummyHash, password);
}

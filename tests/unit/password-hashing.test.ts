import { describe, expect, it } from 'vitest';
import { hashPassword, productionPasswordHashing, verifyPassword } from '../../src/features/auth/password-hashing.ts';
import { argon2ParametersOf, hashTestPassword, testPasswordHashing } from '../helpers/demo-seed.ts';

describe('password hashing', () => {
  it('hashes with argon2id, 64 MiB, 3 passes, 4 lanes unless told otherwise', async () => {
    expect(productionPasswordHashing).toEqual({ memoryCost: 65_536, timeCost: 3, parallelism: 4 });
    expect(Object.isFrozen(productionPasswordHashing)).toBe(true);
    const hash = await hashPassword('correct horse battery staple');
    expect(argon2ParametersOf(hash)).toEqual({ type: 'argon2id', memoryCost: 65_536, timeCost: 3, parallelism: 4 });
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
  });

  it('verifies a hash made with the cheap test parameters too, since the hash carries them', async () => {
    const hash = await hashTestPassword('zhas-demo-2026');
    expect(argon2ParametersOf(hash)).toEqual({ type: 'argon2id', ...testPasswordHashing });
    expect(testPasswordHashing.memoryCost).toBeLessThan(productionPasswordHashing.memoryCost);
    expect(await verifyPassword(hash, 'zhas-demo-2026')).toBe(true);
    expect(await verifyPassword(hash, 'zhas-demo-2025')).toBe(false);
  });

  it('answers false, not an error, for a stored value that is not a hash', async () => {
    expect(await verifyPassword('', 'anything')).toBe(false);
    expect(await verifyPassword('plain-text-password', 'plain-text-password')).toBe(false);
  });
});

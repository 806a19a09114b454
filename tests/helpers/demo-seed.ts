/**
 * The demo data of prisma/demo-data.ts as the tests write it: the same rows, but the accounts' argon2
 * hash made with cheap parameters (a login in a test then costs ~2 ms instead of ~200 ms of CPU and
 * 64 MiB). The portal verifies either kind, since argon2 stores the parameters in the hash.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword, type PasswordHashing } from '../../src/features/auth/password-hashing.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { toProgrammeTime } from '../../src/lib/dates.ts';
import { projectRoot } from '../../src/project-root.ts';
import { seedDemoData } from '../../prisma/demo-data.ts';
import { importGraph } from './import-graph.ts';

/** For accounts that only tests create; never used by the portal itself. */
export const testPasswordHashing: Readonly<PasswordHashing> = Object.freeze({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

export function hashTestPassword(password: string): Promise<string> {
  return hashPassword(password, testPasswordHashing);
}

/** seedDemoData with test-cost password hashes. */
export function seedTestDemoData(prisma: PrismaClient, now: Date = new Date()): Promise<{ seeded: boolean }> {
  return seedDemoData(prisma, { now, passwordHashing: testPasswordHashing });
}

/**
 * The demo depends on the day it is written (the cohort's window, the programme's months, the ages
 * and the year in names): a seeded dump stands in for a fresh seed only on the same UTC day and the
 * same day in Almaty.
 */
export function demoSeedDay(now: Date = new Date()): string {
  return `${now.toISOString().slice(0, 10)}_${toProgrammeTime(now).toISODate()}`;
}

/** A digest of every source file the test seed runs (found by following its imports) and of the schema. */
export async function demoSeedSourceFingerprint(): Promise<string> {
  const generated = path.join(projectRoot, 'src', 'generated');
  const graph = await importGraph([fileURLToPath(import.meta.url)], { includeTypeOnly: true, exclude: [generated] });
  const files = [...graph.keys(), path.join(projectRoot, 'prisma', 'schema.prisma')].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(path.relative(projectRoot, file)).update('\0').update(await fs.readFile(file)).update('\0');
  return hash.digest('hex');
}

/** The cost parameters written in an argon2 hash (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
export function argon2ParametersOf(hash: string): PasswordHashing & { type: string } {
  const match = /^\$(argon2(?:id|i|d))\$v=\d+\$([^$]+)\$/.exec(hash);
  if (!match) throw new Error(`not an argon2 hash: ${hash.slice(0, 20)}…`);
  const values = Object.fromEntries(match[2].split(',').map((pair) => pair.split('=')));
  return { type: match[1], memoryCost: Number(values.m), timeCost: Number(values.t), parallelism: Number(values.p) };
}

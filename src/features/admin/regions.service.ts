import type { PrismaClient } from '../../generated/prisma/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit-log.service.ts';
import { changedFields } from './admin-request.ts';
import type { RegionForm } from './regions.schemas.ts';
import { isUniqueViolation } from '../../db/unique-violation.ts';
import type { FormResult } from '../../lib/form-result.ts';

/** Every region in display order, with how many committee members and applications it has. */
export function listRegions(prisma: PrismaClient) {
  return prisma.region.findMany({
    orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }],
    include: { _count: { select: { memberships: true, applications: true } } },
  });
}

export async function findRegion(prisma: PrismaClient, regionId: number) {
  const region = await prisma.region.findUnique({ where: { id: regionId } });
  if (!region) throw new NotFoundError('No such region');
  return region;
}

export async function createRegion(prisma: PrismaClient, form: RegionForm, actorId: number): Promise<FormResult<{ id: number }>> {
  try {
    return await prisma.$transaction(async (tx): Promise<FormResult<{ id: number }>> => {
      if (await tx.region.findUnique({ where: { code: form.code }, select: { id: true } })) return { ok: false, errors: { code: 'admin:regions.errors.codeTaken' } };
      const last = await tx.region.aggregate({ _max: { sortOrder: true } });
      const data = { ...form, sortOrder: form.sortOrder ?? (last._max.sortOrder ?? -1) + 1 };
      const region = await tx.region.create({ data });
      await recordAudit(tx, { actorId, action: 'region.created', entityType: 'Region', entityId: region.id, details: data });
      return { ok: true as const, id: region.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { code: 'admin:regions.errors.codeTaken' } };
    throw error;
  }
}

export async function updateRegion(prisma: PrismaClient, regionId: number, form: RegionForm, actorId: number): Promise<FormResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await tx.region.findUnique({ where: { id: regionId } });
      if (!before) throw new NotFoundError('No such region');
      const clash = await tx.region.findUnique({ where: { code: form.code }, select: { id: true } });
      if (clash && clash.id !== regionId) return { ok: false, errors: { code: 'admin:regions.errors.codeTaken' } };
      const data = { ...form, sortOrder: form.sortOrder ?? before.sortOrder };
      const changes = changedFields(before, data);
      if (Object.keys(changes).length === 0) return { ok: true as const };
      await tx.region.update({ where: { id: regionId }, data });
      await recordAudit(tx, { actorId, action: 'region.updated', entityType: 'Region', entityId: regionId, details: { changes } as Prisma.InputJsonValue });
      return { ok: true as const };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { code: 'admin:regions.errors.codeTaken' } };
    throw error;
  }
}

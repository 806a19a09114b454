import type { RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { addFlash } from '../../http/flash.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { formValues } from '../../http/form-values.ts';
import { idParam } from '../../http/request-params.ts';
import { actorId } from './admin-request.ts';
import { regionFormSchema } from './regions.schemas.ts';
import { createRegion, findRegion, listRegions, updateRegion } from './regions.service.ts';

export function regionHandlers(prisma: PrismaClient) {
  function renderForm(response: Response, status: number, locals: { regionId: number | null; values: Record<string, unknown>; errors: Record<string, string> }) {
    response.status(status).render('admin/region-form', { titleKey: locals.regionId ? 'admin:regions.editTitle' : 'admin:regions.newTitle', ...locals });
  }

  const list: RequestHandler = async (_request, response) => {
    response.render('admin/regions-list', { titleKey: 'admin:regions.title', regions: await listRegions(prisma) });
  };

  const showNew: RequestHandler = (_request, response) => {
    renderForm(response, 200, { regionId: null, values: { isActive: 'yes' }, errors: {} });
  };

  const create: RequestHandler = async (request, response) => {
    const values = formValues(request.body);
    const parsed = regionFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderForm(response, 422, { regionId: null, values, errors: fieldErrorsOf(parsed.error) });
    const result = await createRegion(prisma, parsed.data, actorId(request));
    if (!result.ok) return renderForm(response, 422, { regionId: null, values, errors: result.errors });
    addFlash(request, 'success', 'admin:regions.flash.created');
    response.redirect(303, '/admin/regions');
  };

  const showEdit: RequestHandler = async (request, response) => {
    const region = await findRegion(prisma, idParam(request));
    renderForm(response, 200, {
      regionId: region.id,
      values: { code: region.code, nameRu: region.nameRu, nameKk: region.nameKk, nameEn: region.nameEn, isActive: region.isActive ? 'yes' : undefined, sortOrder: String(region.sortOrder), contactEmail: region.contactEmail ?? '', contactPhone: region.contactPhone ?? '' },
      errors: {},
    });
  };

  const update: RequestHandler = async (request, response) => {
    const region = await findRegion(prisma, idParam(request));
    const values = formValues(request.body);
    const parsed = regionFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderForm(response, 422, { regionId: region.id, values, errors: fieldErrorsOf(parsed.error) });
    const result = await updateRegion(prisma, region.id, parsed.data, actorId(request));
    if (!result.ok) return renderForm(response, 422, { regionId: region.id, values, errors: result.errors });
    addFlash(request, 'success', 'admin:regions.flash.updated');
    response.redirect(303, '/admin/regions');
  };

  return { list, showNew, create, showEdit, update };
}

import type { Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { formatDate } from '../../lib/dates.ts';
import { localisedName } from '../../lib/localised-name.ts';
import { findByStatusToken } from './status-page.service.ts';

/**
 * The printable confirmation of a submission, at /status/:token/confirmation: where the form leads
 * right after sending (so a reload or a language switch shows it again) and linked from the status page.
 * Returns false when the link no longer works (withdrawn or expired).
 */
export async function renderConfirmation(prisma: PrismaClient, response: Response, token: string): Promise<boolean> {
  const application = await findByStatusToken(prisma, token);
  if (!application) return false;
  const language = response.locals.lang as string;
  response.set('Cache-Control', 'no-store');
  response.render('applications/confirmation', {
    titleKey: 'apply:confirmation.title',
    number: application.number,
    email: application.email,
    submittedOn: formatDate(application.submittedAt, language),
    regionName: localisedName(application.region, language),
    cohortName: application.cohort.name,
    statusPath: `/status/${token}`,
  });
  return true;
}

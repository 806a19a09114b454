import type { RequestHandler } from 'express';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { currentUser } from '../../http/guards.ts';
import { formatDayAndMonth, parseProgrammeDate, programmeTimeZone, toProgrammeTime } from '../../lib/dates.ts';
import { localisedName } from '../../lib/localised-name.ts';
import { reviewableRegions } from './application-list.service.ts';
import { interviewCalendarWeek } from './interviews.service.ts';

function queryText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** GET /committee/interviews?week=yyyy-mm-dd&regionId=n: the week's interviews, day by day. */
export function interviewCalendarHandler(prisma: PrismaClient): RequestHandler {
  return async (request, response) => {
    const user = currentUser(request)!;
    const regionText = queryText(request.query.regionId);
    // A region id that is not a number is no region the user reviews: 404, like another region's.
    const regionId = regionText === undefined ? undefined : /^\d{1,9}$/.test(regionText) ? Number(regionText) : -1;
    const week = queryText(request.query.week);
    const [calendar, regions] = await Promise.all([interviewCalendarWeek(prisma, user, { week, regionId }), reviewableRegions(prisma, user)]);
    const regionNames = new Map(regions.map((region) => [region.id, localisedName(region, response.locals.lang)]));
    const weekHref = (day: string) => `/committee/interviews?${new URLSearchParams({ week: day, ...(regionId !== undefined ? { regionId: String(regionId) } : {}) }).toString()}`;
    response.render('review/interview-calendar', {
      titleKey: 'review:calendar.title',
      ...calendar,
      regions,
      regionId,
      regionNames,
      weekHref,
      dayLabel: (day: string) => {
        const date = parseProgrammeDate(day)!;
        const weekday = new Intl.DateTimeFormat(response.locals.lang, { weekday: 'long', timeZone: programmeTimeZone }).format(date);
        return `${weekday}, ${formatDayAndMonth(date, response.locals.lang)}`;
      },
      timeOf: (date: Date) => toProgrammeTime(date).toFormat('HH:mm'),
    });
  };
}

/** What the shared pager (views/partials/_pager.ejs) shows; pageCount is null when the list is not counted. */
export interface Pager {
  page: number;
  pageCount: number | null;
  hasPrevious: boolean;
  hasNext: boolean;
}

/** One page of a counted list: the rows to fetch (skip, take) and the pager. */
export interface CountedPage extends Pager {
  pageCount: number;
  total: number;
  skip: number;
  take: number;
}

/** A requested page as a whole number from 1; anything else (NaN, 0, negative) is the first page. */
function wholePage(requested: number | undefined): number {
  return Number.isFinite(requested) ? Math.max(1, Math.floor(requested!)) : 1;
}

/** The requested page of `total` rows, clamped to 1..pageCount; an empty list has one (empty) page. */
export function countedPage(requested: number | undefined, total: number, pageSize: number): CountedPage {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(wholePage(requested), pageCount);
  return { page, pageCount, total, skip: (page - 1) * pageSize, take: pageSize, hasPrevious: page > 1, hasNext: page < pageCount };
}

/**
 * One page of a list too large to count: fetch `take` rows (one more than the page); `finish` keeps the
 * page's rows and knows from the extra one whether another page follows.
 */
export function uncountedPage(requested: number | undefined, pageSize: number) {
  const page = wholePage(requested);
  return {
    skip: (page - 1) * pageSize,
    take: pageSize + 1,
    finish<T>(rows: T[]): { rows: T[]; pager: Pager } {
      return { rows: rows.slice(0, pageSize), pager: { page, pageCount: null, hasPrevious: page > 1, hasNext: rows.length > pageSize } };
    },
  };
}

/** The pager of a list with nothing to show (e.g. a filter that did not validate). */
export const firstPageOnly: Pager = { page: 1, pageCount: 1, hasPrevious: false, hasNext: false };

/**
 * Links to the pages of a list: the path with the current filters kept (empty ones left out) and the
 * page set; page 1 has no page parameter.
 */
export function pageHrefs(path: string, query: Record<string, string | number | null | undefined>): (page: number) => string {
  return (page) => {
    const parameters = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (key !== 'page' && value !== undefined && value !== null && value !== '') parameters.set(key, String(value));
    if (page > 1) parameters.set('page', String(page));
    const search = parameters.toString();
    return search ? `${path}?${search}` : path;
  };
}

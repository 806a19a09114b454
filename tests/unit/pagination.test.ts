import { describe, expect, it } from 'vitest';
import { countedPage, pageHrefs, uncountedPage } from '../../src/lib/pagination.ts';

describe('countedPage', () => {
  it('gives the rows of the requested page', () => {
    expect(countedPage(2, 120, 50)).toEqual({ page: 2, pageCount: 3, total: 120, skip: 50, take: 50, hasPrevious: true, hasNext: true });
  });

  it('clamps a page past the end to the last page', () => {
    const last = countedPage(9, 120, 50);
    expect(last).toMatchObject({ page: 3, pageCount: 3, skip: 100, hasPrevious: true, hasNext: false });
    expect(countedPage(3, 120, 50)).toEqual(last);
  });

  it('has no next page when the last page is exactly full', () => {
    expect(countedPage(2, 100, 50)).toMatchObject({ page: 2, pageCount: 2, skip: 50, hasNext: false });
  });

  it('turns a missing, zero, negative, fractional or NaN page into a page in range', () => {
    for (const requested of [undefined, 0, -3, Number.NaN, Number.NEGATIVE_INFINITY]) expect(countedPage(requested, 120, 50).page, String(requested)).toBe(1);
    expect(countedPage(2.7, 120, 50).page).toBe(2);
  });

  it('gives an empty list one page and no links', () => {
    expect(countedPage(5, 0, 50)).toEqual({ page: 1, pageCount: 1, total: 0, skip: 0, take: 50, hasPrevious: false, hasNext: false });
  });
});

describe('uncountedPage', () => {
  it('fetches one row more than the page and tells from it whether another page follows', () => {
    const slice = uncountedPage(2, 3);
    expect(slice).toMatchObject({ skip: 3, take: 4 });
    expect(slice.finish([1, 2, 3, 4])).toEqual({ rows: [1, 2, 3], pager: { page: 2, pageCount: null, hasPrevious: true, hasNext: true } });
    expect(slice.finish([1, 2, 3])).toEqual({ rows: [1, 2, 3], pager: { page: 2, pageCount: null, hasPrevious: true, hasNext: false } });
  });

  it('starts at the first page and has no links for an empty list', () => {
    const slice = uncountedPage(undefined, 50);
    expect(slice).toMatchObject({ skip: 0, take: 51 });
    expect(slice.finish([])).toEqual({ rows: [], pager: { page: 1, pageCount: null, hasPrevious: false, hasNext: false } });
  });
});

describe('pageHrefs', () => {
  it('keeps the filters, leaves out empty ones and sets the page (none for page 1)', () => {
    const href = pageHrefs('/admin/audit', { action: 'score.submitted', actor: '', from: undefined, to: null, q: 'а б&c', page: 7 });
    expect(href(2)).toBe('/admin/audit?action=score.submitted&q=%D0%B0+%D0%B1%26c&page=2');
    expect(href(1)).toBe('/admin/audit?action=score.submitted&q=%D0%B0+%D0%B1%26c');
  });

  it('gives the bare path for the first page of an unfiltered list', () => {
    expect(pageHrefs('/admin/outbox', { status: undefined })(1)).toBe('/admin/outbox');
    expect(pageHrefs('/admin/outbox', {})(3)).toBe('/admin/outbox?page=3');
  });
});

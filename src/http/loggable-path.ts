/** The path of a URL as it may appear in logs: no query string, no secret token of a status or set-password link. */
export function loggablePath(url: string): string {
  return url
    .split('?')[0]
    .replace(/^\/status\/(?!(?:lost-link|withdrawn)(?:\/|$))[^/]+/i, '/status/:token')
    .replace(/^\/account\/set-password\/[^/]+/i, '/account/set-password/:token')
    .replace(/^\/apply\/continue\/[^/]+/i, '/apply/continue/:token');
}

/** The path of a URL as it may appear in logs: no query string, no secret status-link token. */
export function loggablePath(url: string): string {
  return url.split('?')[0].replace(/^\/status\/[^/]+/, '/status/:token');
}

/**
 * The secret tokens in e-mailed links (status page, set-password, draft continue link). Written as a
 * regular expression that PostgreSQL's regexp_replace and JavaScript read alike.
 */
export const secretLinkPattern = '(/status/|/account/set-password/|/apply/continue/)[A-Za-z0-9_-]{16,}';

/**
 * A message as the coordinator's outbox page shows it: whatever its state, no working secret link
 * (a pending or failed message still holds its tokens, for the sending).
 */
export function maskSecretLinks(text: string): string {
  return text.replace(new RegExp(secretLinkPattern, 'g'), '$1[…]');
}

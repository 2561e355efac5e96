/**
 * Values that look like credentials. A release's config is public to anyone
 * who can read the release, so such a value under a key not listed in
 * `secret-keys` is refused. Patterns follow the token formats the issuers
 * document (GitHub's prefixed tokens, AWS key IDs, npm, Slack, ...).
 */

const PATTERNS: readonly [kind: string, pattern: RegExp | ((value: string) => boolean)][] = [
  ['a GitHub token', /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/],
  ['an AWS access key ID', /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/],
  ['an AWS secret access key', looksLikeAwsSecret],
  ['an npm token', /\bnpm_[A-Za-z0-9]{36}\b/],
  ['a private key', /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/],
  ['a JSON Web Token', /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}/],
  ['a URL with a password', /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i],
  ['a Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ['a Stripe secret key', /\b[sr]k_live_[A-Za-z0-9]{16,}/],
  ['a Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/],
  ['a GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}/],
];

/** What kind of credential the value looks like, or undefined. */
export function credentialKind(value: string): string | undefined {
  for (const [kind, pattern] of PATTERNS) {
    if (typeof pattern === 'function' ? pattern(value) : pattern.test(value)) return kind;
  }
  return undefined;
}

// 40 base64 characters with mixed case and a digit, as a whole value: AWS
// secret keys have no prefix, so only a bare value of exactly that shape counts
// (a 40-hex commit SHA has no upper case, so it passes).
function looksLikeAwsSecret(value: string): boolean {
  const trimmed = value.trim();
  return /^[A-Za-z0-9/+]{40}$/.test(trimmed) && /[A-Z]/.test(trimmed) && /[a-z]/.test(trimmed) && /[0-9]/.test(trimmed);
}

/**
 * The `WWW-Authenticate` challenge of a registry's 401 (RFC 7235):
 * `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/a:pull"`
 * or `Basic realm="…"`.
 */
export interface Challenge {
  scheme: 'bearer' | 'basic' | 'other';
  params: Record<string, string>;
}

export function parseChallenge(header: string | null): Challenge | undefined {
  if (header === null) return undefined;
  const match = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const schemeName = (match[1] as string).toLowerCase();
  const scheme = schemeName === 'bearer' || schemeName === 'basic' ? schemeName : 'other';
  const params: Record<string, string> = {};
  const param = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/gy;
  const text = match[2] as string;
  let found: RegExpExecArray | null;
  while (param.lastIndex < text.length && (found = param.exec(text)) !== null) {
    const value = found[2] !== undefined ? found[2].replace(/\\(.)/g, '$1') : (found[3] ?? '');
    params[(found[1] as string).toLowerCase()] = value;
  }
  return { scheme, params };
}

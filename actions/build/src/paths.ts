import path from 'node:path';

/** Whether `child` is `parent` or below it (lexically; links are not resolved). */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** The part of a pattern before its first wildcard segment: the folder its matches can be in. */
export function searchPath(pattern: string): string {
  const segments = pattern.split(path.sep);
  const wildcard = segments.findIndex((segment) => /[*?[\]{}]/.test(segment));
  return wildcard === -1 ? pattern : segments.slice(0, wildcard).join(path.sep) || path.sep;
}

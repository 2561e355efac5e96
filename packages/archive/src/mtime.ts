import { ConfigurationError } from '@build-release-run/contract';

/**
 * The mtime written on every entry. SOURCE_DATE_EPOCH (reproducible-builds.org)
 * when the job sets it, so tools that show dates can show a meaningful one;
 * otherwise 0 (1970-01-01), so the archive depends on nothing but content.
 */
export function archiveMtime(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['SOURCE_DATE_EPOCH'];
  if (raw === undefined || raw.trim() === '') return 0;
  const value = raw.trim();
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new ConfigurationError(
      `SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC; got '${raw}'. Unset it to use 0.`,
    );
  }
  return Number(value);
}

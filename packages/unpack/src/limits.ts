/**
 * The caps that stop an archive bomb, their defaults, and how a user-facing
 * input sets them (deploy's max-entries and max-unpacked-size). The defaults
 * here are the action.yml defaults; a test holds the two together.
 */
import { ConfigurationError, formatBytes, parseByteSize } from '@build-release-run/contract';
import type { TarLimits } from './tar-reader.ts';

export const DEFAULT_LIMITS: TarLimits = {
  maxEntries: 1_000_000,
  // A hosted runner has about 14 GB of free disk; a build that expands past 16 GiB cannot be deployed there anyway.
  maxBytes: 16 * 1024 ** 3,
};

/** An entry-count cap from an input; empty text is the default. */
export function parseEntryLimit(inputName: string, text: string): number {
  const trimmed = text.trim();
  if (trimmed === '') return DEFAULT_LIMITS.maxEntries;
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(
      `Input '${inputName}' must be a whole number of archive entries, at least 1; got '${trimmed.slice(0, 40)}'. ` +
        `Leave it unset for the default (${DEFAULT_LIMITS.maxEntries}).`,
    );
  }
  return value;
}

/** A size cap from an input ('16GiB', '500MB', or bytes); empty text is the default. */
export function parseSizeLimit(inputName: string, text: string): number {
  const trimmed = text.trim();
  if (trimmed === '') return DEFAULT_LIMITS.maxBytes;
  const value = parseByteSize(trimmed);
  if (value === undefined || value < 1) {
    throw new ConfigurationError(
      `Input '${inputName}' must be a size such as 16GiB, 500MB or a number of bytes; got '${trimmed.slice(0, 40)}'. ` +
        `Leave it unset for the default (${formatBytes(DEFAULT_LIMITS.maxBytes)}).`,
    );
  }
  return value;
}

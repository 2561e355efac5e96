/**
 * Generates packages/release-format/src/generated/manifest-validators.js
 * (packages/release-format/src/manifest-validators-source.ts says why).
 *
 *   node scripts/manifest-validators.ts          regenerate the file
 *   node scripts/manifest-validators.ts --check  fail if the file is stale
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { manifestValidatorsSource } from '@build-release-run/release-format/manifest-validators-source';

export const VALIDATORS_FILE = path.resolve(
  import.meta.dirname,
  '../packages/release-format/src/generated/manifest-validators.js',
);

if (import.meta.main) {
  const fresh = manifestValidatorsSource();
  if (process.argv.includes('--check')) {
    const current = await readFile(VALIDATORS_FILE, 'utf8').catch(() => '');
    if (current !== fresh) {
      console.error(
        `${path.relative(process.cwd(), VALIDATORS_FILE)} is not what RELEASE_SCHEMA generates: run \`node scripts/manifest-validators.ts\` and commit it.`,
      );
      process.exit(1);
    }
  } else await writeFile(VALIDATORS_FILE, fresh);
}

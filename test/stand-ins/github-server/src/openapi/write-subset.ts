/**
 * Regenerates openapi/api.github.com.subset.json from @octokit/openapi:
 *   pnpm --filter @build-release-run/github-server generate-openapi
 * Run it after adding an operation to operations.ts or upgrading @octokit/openapi.
 */
import { writeFile } from 'node:fs/promises';
import { SUBSET_FILE, readFullDescription } from './source.ts';
import { extractSubset } from './subset.ts';

const subset = extractSubset(await readFullDescription());
await writeFile(SUBSET_FILE, `${JSON.stringify(subset, null, 1)}\n`);
console.log(`wrote ${SUBSET_FILE}: ${Object.keys(subset.paths).length} paths`);

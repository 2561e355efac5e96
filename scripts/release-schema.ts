// Writes docs/release.schema.json, the JSON Schema of release.json, from the
// one the code checks with (packages/release-format/src/manifest-schema.ts).
//   node scripts/release-schema.ts          write it
//   node scripts/release-schema.ts --check  fail (exit 1) when it is out of date
// packages/release-format/__tests__/manifest.test.ts holds the two equal.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as prettier from 'prettier';
import { RELEASE_SCHEMA } from '@build-release-run/release-format';

const root = path.resolve(import.meta.dirname, '..');
const file = path.join(root, 'docs', 'release.schema.json');
const text = await prettier.format(JSON.stringify(RELEASE_SCHEMA), {
  ...(await prettier.resolveConfig(file)),
  filepath: file,
});
const current = await readFile(file, 'utf8').catch(() => '');
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('docs/release.schema.json is stale: run `node scripts/release-schema.ts`.');
    process.exit(1);
  }
  console.log('docs/release.schema.json is fresh');
} else if (current !== text) {
  await writeFile(file, text);
  console.log('release-schema: wrote docs/release.schema.json');
}

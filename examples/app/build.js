// The app's own build step: copies the sources into dist/ and records a
// digest of them in dist/build-info.json. Same sources, same bytes: nothing
// time- or machine-dependent goes into the output.
//   node build.js [outDir]   (default: dist)
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const here = import.meta.dirname;
const out = path.resolve(process.argv[2] ?? path.join(here, 'dist'));
const sources = path.join(here, 'src');

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const hash = createHash('sha256');
for (const name of (await readdir(sources)).sort()) {
  const bytes = await readFile(path.join(sources, name));
  hash.update(`${name}\0`).update(bytes);
  await writeFile(path.join(out, name), bytes);
}
await writeFile(path.join(out, 'build-info.json'), `${JSON.stringify({ sources: `sha256:${hash.digest('hex')}` })}\n`);
console.log(`built ${out}`);

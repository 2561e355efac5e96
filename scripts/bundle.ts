/**
 * Bundles every action (actions/<name>/src/index.ts) with @vercel/ncc into
 * dist/<name>/index.js, the file its action.yml runs, and the command line
 * (packages/cli/src/bin.ts) into dist/brr/, a package `npm install -g`
 * takes as it is. Each bundle ships licenses.txt, the licenses of the
 * third-party code it carries (licenses.ts).
 *
 *   node scripts/bundle.ts          rebuild dist/
 *   node scripts/bundle.ts --check  rebuild into a temporary folder and fail
 *                                   if dist/ differs (stale or hand-edited)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { thirdPartyNotice } from './licenses.ts';

const root = path.resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');

interface Bundle {
  /** The folder under dist/. */
  name: string;
  /** The entry module, relative to the repository. */
  entry: string;
}

const actions = (await readdir(path.join(root, 'actions'))).filter((name) =>
  existsSync(path.join(root, 'actions', name, 'src', 'index.ts')),
);
const CLI = { name: 'brr', entry: 'packages/cli/src/bin.ts' };
const bundles: Bundle[] = [...actions.map((name) => ({ name, entry: `actions/${name}/src/index.ts` })), CLI];

const outRoot = check ? await mkdtemp(path.join(tmpdir(), 'brr-dist-')) : path.join(root, 'dist');
// webpack's stats of each bundle: which packages it holds, for licenses.txt.
const statsDir = await mkdtemp(path.join(tmpdir(), 'brr-bundle-stats-'));
const stale: string[] = [];

try {
  // Each ncc run is one process, mostly busy on one core: run as many as there are.
  await inParallel(bundles, availableParallelism(), async (bundle) => {
    const out = path.join(outRoot, bundle.name);
    await rm(out, { recursive: true, force: true });
    const stats = path.join(statsDir, `${bundle.name}.json`);
    await ncc(['build', bundle.entry, '-o', out, '-q', '--stats-out', stats]);
    await writeFile(path.join(out, 'licenses.txt'), await thirdPartyNotice(stats, bundle.name));
    await normalizeLineEndings(out);
    if (bundle === CLI) await makeInstallable(out);
    if (check) stale.push(...(await differences(out, path.join(root, 'dist', bundle.name), `dist/${bundle.name}`)));
    else console.log(`bundled dist/${bundle.name}/index.js`);
  });
} finally {
  if (check) await rm(outRoot, { recursive: true, force: true });
  await rm(statsDir, { recursive: true, force: true });
}

if (check) {
  if (stale.length > 0) {
    console.error(
      `dist/ is not what the sources build:\n  ${stale.join('\n  ')}\nRun \`pnpm bundle\` and commit dist/.`,
    );
    process.exit(1);
  }
  console.log(`dist/ is fresh (${bundles.map((bundle) => bundle.name).join(', ')})`);
}

function ncc(args: string[]): Promise<void> {
  const child = spawn(process.execPath, [path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`ncc ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** Runs `work` on every item, `limit` at a time; a failure stops new work and is thrown once the running ones end. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      try {
        await work(item);
      } catch (error) {
        queue.length = 0;
        throw error;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

async function differences(built: string, committed: string, label: string): Promise<string[]> {
  if (!existsSync(committed)) return [`${label}: missing`];
  const names = new Set([...(await readdir(built)), ...(await readdir(committed))]);
  const found: string[] = [];
  for (const name of [...names].sort()) {
    const a = path.join(built, name);
    const b = path.join(committed, name);
    if (!existsSync(a)) found.push(`${label}/${name}: not built by the sources`);
    else if (!existsSync(b)) found.push(`${label}/${name}: missing`);
    else if (!(await readFile(a)).equals(await readFile(b))) found.push(`${label}/${name}: differs`);
  }
  return found;
}

/**
 * Some bundled dependencies carry CRLF line endings; git stores dist/ with LF
 * (.gitattributes), so the bundle is written the way it is committed.
 */
async function normalizeLineEndings(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.js') && !name.endsWith('.txt')) continue;
    const file = path.join(dir, name);
    const text = await readFile(file, 'utf8');
    if (text.includes('\r\n')) await writeFile(file, text.replace(/\r\n/g, '\n'));
  }
}

/**
 * dist/brr/ as a package of its own: the bundle has no dependencies left, so
 * its package.json names only what npm needs to install the command (from
 * this folder or from the tarball `npm pack dist/brr` makes), taken from
 * packages/cli/package.json, and the LICENSE travels with it.
 */
async function makeInstallable(out: string): Promise<void> {
  const source = JSON.parse(await readFile(path.join(root, 'packages/cli/package.json'), 'utf8')) as {
    name: string;
    version: string;
    description: string;
    bin: Record<string, string>;
    engines: Record<string, string>;
  };
  const rootManifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { license: string };
  const manifest = {
    name: source.name,
    version: source.version,
    description: source.description,
    license: rootManifest.license,
    type: 'module',
    bin: Object.fromEntries(Object.keys(source.bin).map((command) => [command, 'index.js'])),
    engines: source.engines,
  };
  await writeFile(path.join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await copyFile(path.join(root, 'LICENSE'), path.join(out, 'LICENSE'));
}

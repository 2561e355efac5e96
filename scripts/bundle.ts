/**
 * Bundles every action (actions/<name>/src/index.ts) with @vercel/ncc into
 * dist/<name>/index.js, the file its action.yml runs.
 *
 *   node scripts/bundle.ts          rebuild dist/
 *   node scripts/bundle.ts --check  rebuild into a temporary folder and fail
 *                                   if dist/ differs (stale or hand-edited)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');

const actions = (await readdir(path.join(root, 'actions'))).filter((name) =>
  existsSync(path.join(root, 'actions', name, 'src', 'index.ts')),
);
const outRoot = check ? await mkdtemp(path.join(tmpdir(), 'brr-dist-')) : path.join(root, 'dist');
const stale: string[] = [];

try {
  for (const action of actions) {
    const out = path.join(outRoot, action);
    await rm(out, { recursive: true, force: true });
    execFileSync(
      process.execPath,
      [
        path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
        'build',
        `actions/${action}/src/index.ts`,
        '-o',
        out,
        '-q',
      ],
      { cwd: root, stdio: 'inherit' },
    );
    await normalizeLineEndings(out);
    if (check) stale.push(...(await differences(out, path.join(root, 'dist', action), `dist/${action}`)));
    else console.log(`bundled dist/${action}/index.js`);
  }
} finally {
  if (check) await rm(outRoot, { recursive: true, force: true });
}

if (check) {
  if (stale.length > 0) {
    console.error(
      `dist/ is not what the sources build:\n  ${stale.join('\n  ')}\nRun \`pnpm bundle\` and commit dist/.`,
    );
    process.exit(1);
  }
  console.log(`dist/ is fresh (${actions.join(', ')})`);
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
    if (!name.endsWith('.js')) continue;
    const file = path.join(dir, name);
    const text = await readFile(file, 'utf8');
    if (text.includes('\r\n')) await writeFile(file, text.replace(/\r\n/g, '\n'));
  }
}

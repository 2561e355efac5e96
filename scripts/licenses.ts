/**
 * The third-party notice of a bundle (dist/<name>/licenses.txt): every
 * package whose code ncc put into the bundle, from the modules webpack's
 * stats name (`ncc --stats-out`), with its version, the license its
 * package.json declares and the license files it ships.
 *
 * Not ncc's own `--license`: it writes one file per chunk under the same
 * name, so a bundle split into chunks keeps the list of its last chunk only
 * (dist/brr listed 15 of the 65 packages it carries).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface StatsModule {
  identifier?: string;
  /** The modules a concatenated module holds. */
  modules?: StatsModule[];
  /** Read, but in no chunk: tree-shaken away, not in the bundle. */
  orphan?: boolean;
}

interface BundledPackage {
  name: string;
  version: string;
  license: string;
  texts: string[];
}

const LICENSE_FILE = /^(?:licen[cs]e|copying|notice)(?:[.-].*)?$/i;

/**
 * Packages whose published files state no license, with what their
 * repository states, so the notice carries it: each checked by hand.
 */
const STATED_ELSEWHERE: Record<string, { license: string; copyright: string; source: string }> = {
  // unzip-stream → binary → buffers; 0.1.1 is the last release.
  'buffers@0.1.1': {
    license: 'MIT',
    copyright: 'Copyright (c) 2010 James Halliday (mail@substack.net)',
    source: 'the LICENSE file of its repository, github.com/substack/node-buffers',
  },
};
const RULE = '='.repeat(80);

/** The notice for the bundle `name`, from the stats file ncc wrote for it. */
export async function thirdPartyNotice(statsFile: string, name: string): Promise<string> {
  const stats = JSON.parse(await readFile(statsFile, 'utf8')) as { modules?: StatsModule[] };
  const roots = new Set<string>();
  for (const file of moduleFiles(stats.modules ?? [])) {
    const root = packageRoot(file);
    if (root !== undefined) roots.add(root);
  }
  const packages = await Promise.all([...roots].map(readPackage));
  packages.sort((a, b) => a.name.localeCompare(b.name, 'en') || a.version.localeCompare(b.version, 'en'));
  const sections = packages.map((pkg) =>
    [
      RULE,
      `${pkg.name} ${pkg.version} (${pkg.license})`,
      RULE,
      '',
      ...(pkg.texts.length > 0
        ? pkg.texts
        : ['The package ships no license file; its package.json names the license above.']),
    ].join('\n'),
  );
  return (
    `Third-party software bundled in dist/${name}/: ${packages.length} packages, each with the license it is distributed under.\n` +
    'build-release-run itself is MIT licensed: see LICENSE.\n\n' +
    `${sections.join('\n\n')}\n`
  );
}

/** Every source file in the bundle's chunks, concatenated modules opened up, loaders stripped. */
function* moduleFiles(modules: readonly StatsModule[]): Generator<string> {
  for (const module of modules) {
    if (module.orphan) continue;
    if (module.modules) yield* moduleFiles(module.modules);
    const resource = module.identifier?.split('!').pop()?.split('|')[0];
    if (resource && path.isAbsolute(resource)) yield resource;
  }
}

/** The folder of the installed package a file belongs to, or undefined for this repository's own files. */
function packageRoot(file: string): string | undefined {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const scoped = (parts[at + 1] as string).startsWith('@');
  return parts.slice(0, at + (scoped ? 3 : 2)).join(path.sep);
}

async function readPackage(root: string): Promise<BundledPackage> {
  const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
    name?: string;
    version?: string;
    license?: string | { type?: string };
    licenses?: { type?: string }[];
  };
  const declared =
    typeof manifest.license === 'string'
      ? manifest.license
      : (manifest.license?.type ?? manifest.licenses?.map((license) => license.type).join(' OR '));
  const files = (await readdir(root)).filter((file) => LICENSE_FILE.test(file)).sort();
  const texts = await Promise.all(files.map(async (file) => (await readFile(path.join(root, file), 'utf8')).trim()));
  const name = manifest.name ?? path.basename(root);
  const version = manifest.version ?? '?';
  if (!declared && texts.length === 0) {
    const stated = STATED_ELSEWHERE[`${name}@${version}`];
    if (stated === undefined) {
      throw new Error(
        `${name}@${version} (${root}) declares no license and ships no license file: find the license it is under and add it to STATED_ELSEWHERE in scripts/licenses.ts, or do not bundle it.`,
      );
    }
    return { name, version, license: stated.license, texts: [await mitText(stated.copyright, stated.source)] };
  }
  return { name, version, license: declared || 'see below', texts };
}

/** The MIT License's terms (this project's own LICENSE) under another copyright line. */
async function mitText(copyright: string, source: string): Promise<string> {
  const ours = await readFile(path.join(import.meta.dirname, '..', 'LICENSE'), 'utf8');
  const terms = ours.slice(ours.indexOf('Permission is hereby granted')).trim();
  return `(The package does not ship its license; stated in ${source}.)\n\nMIT License\n\n${copyright}\n\n${terms}`;
}

// The package graph as docs/architecture.md states it: every workspace
// import declared, no circle among what the packages ship, and the page
// naming exactly the packages pnpm-workspace.yaml holds. (Relative imports
// across packages, product code reaching test infrastructure and module
// circles are dependency-cruiser's rules, run by `pnpm lint`.)
import { describe, expect, it } from '@jest/globals';
import { readFile, readdir } from 'node:fs/promises';
import { glob } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');

interface WorkspacePackage {
  dir: string;
  name: string;
  dependencies: string[];
  devDependencies: string[];
}

async function workspacePackages(): Promise<WorkspacePackage[]> {
  const { packages: globs } = parse(await readFile(path.join(root, 'pnpm-workspace.yaml'), 'utf8')) as {
    packages: string[];
  };
  const dirs: string[] = [];
  for (const pattern of globs) {
    for await (const file of glob(`${pattern}/package.json`, { cwd: root })) dirs.push(path.dirname(file));
  }
  const packages: WorkspacePackage[] = [];
  for (const dir of dirs.sort()) {
    const json = JSON.parse(await readFile(path.join(root, dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    packages.push({
      dir,
      name: json.name,
      dependencies: Object.keys(json.dependencies ?? {}),
      devDependencies: Object.keys(json.devDependencies ?? {}),
    });
  }
  return packages;
}

/** The workspace package names a folder's TypeScript files import (nested packages left to themselves). */
async function importedNames(dir: string, nested: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const visit = async (folder: string): Promise<void> => {
    for (const entry of await readdir(path.join(root, folder), { withFileTypes: true })) {
      const child = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name === 'fixtures' || nested.includes(child)) continue;
        await visit(child);
      } else if (entry.name.endsWith('.ts')) {
        const text = await readFile(path.join(root, child), 'utf8');
        for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(@build-release-run\/[a-z-]+)/g)) {
          if (!found.has(match[1]!)) found.set(match[1]!, child);
        }
      }
    }
  };
  await visit(dir);
  return found;
}

function findCircle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const circle = walk(next);
      if (circle) return circle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const circle = walk(node);
    if (circle) return circle;
  }
  return undefined;
}

describe('the package graph', () => {
  it('declares every workspace package a package imports', async () => {
    const packages = await workspacePackages();
    const undeclared: string[] = [];
    for (const pkg of packages) {
      const nested = packages.map((other) => other.dir).filter((dir) => dir !== pkg.dir);
      const declared = new Set([pkg.name, ...pkg.dependencies, ...pkg.devDependencies]);
      for (const [name, file] of await importedNames(pkg.dir, nested)) {
        if (!declared.has(name))
          undeclared.push(`${file} imports ${name}, which ${pkg.dir}/package.json does not declare`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('has no circle among the dependencies the packages ship with', async () => {
    const packages = await workspacePackages();
    const names = new Set(packages.map((pkg) => pkg.name));
    const edges = new Map(packages.map((pkg) => [pkg.name, pkg.dependencies.filter((dep) => names.has(dep))]));
    expect(findCircle(edges)).toBeUndefined();
  });

  it('finds a circle when there is one (the check can fail)', () => {
    const edges = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ]);
    expect(findCircle(edges)).toEqual(['a', 'b', 'c', 'a']);
    expect(
      findCircle(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toBeUndefined();
  });

  it('is described by docs/architecture.md: every package folder named, none that is not one', async () => {
    const packages = await workspacePackages();
    const page = await readFile(path.join(root, 'docs', 'architecture.md'), 'utf8');
    const named = new Set(
      [...page.matchAll(/`((?:actions|packages|test\/stand-ins)\/[a-z-]+|test\/helpers)\/`/g)].map((m) => m[1]!),
    );
    expect([...named].sort()).toEqual(packages.map((pkg) => pkg.dir).sort());
  });
});

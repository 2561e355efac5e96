// Writes each action's inputs/outputs tables into README.md and the docs/
// pages from its action.yml, between `<!-- action-docs:<name>:start/end -->`
// markers (each page holds the markers of the actions it documents).
//   node scripts/action-docs.ts          update README.md and docs/*.md
//   node scripts/action-docs.ts --check  fail (exit 1) when one is out of date
// <name> is the folder under actions/ (e.g. `build`), or `root` for ./action.yml;
// `<name>` markers hold both tables, `<name>:inputs` / `<name>:outputs` one each.
// It also copies each example workflow into the README between
// `<!-- example-workflow:<file>:start/end -->` (<file> as in
// examples/app/.github/workflows/), so the README shows the files the tests run.
// An action whose markers are absent is reported and skipped.
import { glob, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as prettier from 'prettier';
import { renderActionDocs, replaceBetweenMarkers } from './action-docs-tables.ts';

export interface ActionDocsResult {
  /** README text after the update, formatted as the repository formats markdown. */
  text: string;
  changed: boolean;
  updated: string[];
  withoutMarkers: string[];
}

export async function actionFiles(root: string): Promise<{ name: string; file: string }[]> {
  const found: { name: string; file: string }[] = [];
  for await (const file of glob('actions/*/action.yml', { cwd: root })) {
    found.push({ name: path.basename(path.dirname(file)), file: path.join(root, file) });
  }
  found.sort((a, b) => a.name.localeCompare(b.name));
  try {
    await readFile(path.join(root, 'action.yml'));
    found.push({ name: 'root', file: path.join(root, 'action.yml') });
  } catch {
    // no root action
  }
  return found;
}

export async function updateActionDocs(
  root: string,
  readmeFile = path.join(root, 'README.md'),
): Promise<ActionDocsResult> {
  let original: string;
  try {
    original = await readFile(readmeFile, 'utf8');
  } catch {
    const names = (await actionFiles(root)).map((a) => a.name);
    return { text: '', changed: false, updated: [], withoutMarkers: names };
  }
  let text = original;
  const updated: string[] = [];
  const withoutMarkers: string[] = [];
  for (const { name, file } of await actionFiles(root)) {
    let found = false;
    for (const [marker, body] of Object.entries(renderActionDocs(name, await readFile(file, 'utf8')))) {
      const result = replaceBetweenMarkers(text, marker, body);
      if (result.outcome === 'replaced') found = true;
      text = result.text;
    }
    (found ? updated : withoutMarkers).push(name);
  }
  for await (const file of glob('examples/app/.github/workflows/*.yml', { cwd: root })) {
    const name = path.basename(file);
    const body = `\`\`\`yaml\n${(await readFile(path.join(root, file), 'utf8')).trimEnd()}\n\`\`\``;
    const result = replaceBetweenMarkers(text, name, body, 'example-workflow');
    if (result.outcome === 'replaced') updated.push(`example ${name}`);
    text = result.text;
  }
  const options = (await prettier.resolveConfig(readmeFile)) ?? {};
  text = await prettier.format(text, { ...options, filepath: readmeFile });
  return { text, changed: text !== original, updated, withoutMarkers };
}

/** The pages that may hold generated tables: README.md and docs/*.md, relative to `root`. */
export async function docPages(root: string): Promise<string[]> {
  const pages = ['README.md'];
  for await (const file of glob('docs/*.md', { cwd: root })) pages.push(file);
  return pages.sort();
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const root = path.resolve(import.meta.dirname, '..');
  const documented = new Set<string>();
  let stale = 0;
  for (const page of await docPages(root)) {
    const file = path.join(root, page);
    const result = await updateActionDocs(root, file);
    for (const name of result.updated) documented.add(name);
    if (!result.changed) continue;
    if (check) {
      stale++;
      console.error(
        `action-docs: ${page} is out of date with action.yml (${result.updated.join(', ')}); run \`node scripts/action-docs.ts\`.`,
      );
    } else {
      await writeFile(file, result.text);
      console.log(`action-docs: updated ${page} (${result.updated.join(', ')}).`);
    }
  }
  for (const { name } of await actionFiles(root)) {
    if (!documented.has(name)) {
      console.log(`action-docs: no page has a <!-- action-docs:${name}:start --> marker; '${name}' skipped.`);
    }
  }
  if (stale > 0) return 1;
  console.log(`action-docs: ${check ? 'up to date' : 'done'} (${[...documented].join(', ') || 'no marked actions'}).`);
  return 0;
}

if (import.meta.main) {
  process.exitCode = await main();
}

import { describe, expect, it } from '@jest/globals';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { docPages, updateActionDocs } from '../scripts/action-docs.ts';
import {
  literalInputDefaults,
  renderInputsTable,
  renderOutputsTable,
  replaceBetweenMarkers,
} from '../scripts/action-docs-tables.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');

const ACTION = `name: x
description: y
inputs:
  path:
    description: >-
      Where the files are,
      one per line | or not
    required: true
  mode_name:
    description: Uses \`a_b\` and a_b.
    default: ''
  level:
    description: How much.
    default: '3'
outputs:
  digest:
    description: The digest.
`;

describe('action docs tables', () => {
  it('renders inputs with required, default and one-line descriptions', () => {
    expect(renderInputsTable(ACTION).split('\n')).toEqual([
      '| Input | Required | Default | Description |',
      '| --- | --- | --- | --- |',
      '| `path` | yes |  | Where the files are, one per line \\| or not |',
      "| `mode_name` | no | `''` | Uses `a_b` and a\\_b. |",
      '| `level` | no | `3` | How much. |',
    ]);
  });

  it('renders outputs, and says when there are none', () => {
    expect(renderOutputsTable(ACTION)).toBe('| Output | Description |\n| --- | --- |\n| `digest` | The digest. |');
    expect(renderOutputsTable('name: x\ndescription: y\n')).toContain('_none_');
  });

  it('replaces only between the markers and leaves a README without them alone', () => {
    const readme = 'a\n<!-- action-docs:x:start -->\nold\n<!-- action-docs:x:end -->\nb\n';
    expect(replaceBetweenMarkers(readme, 'x', 'new')).toEqual({
      text: 'a\n<!-- action-docs:x:start -->\n\nnew\n\n<!-- action-docs:x:end -->\nb\n',
      outcome: 'replaced',
    });
    expect(replaceBetweenMarkers(readme, 'y', 'new')).toEqual({ text: readme, outcome: 'no-markers' });
  });
});

describe('README drift', () => {
  it("matches every marked action's action.yml, in the README and every docs/ page", async () => {
    const stale: string[] = [];
    const documented = new Set<string>();
    for (const page of await docPages(repoRoot)) {
      const result = await updateActionDocs(repoRoot, path.join(repoRoot, page));
      result.updated.forEach((name) => documented.add(name));
      if (result.changed) stale.push(page);
    }
    expect(stale).toEqual([]);
    // Every action's tables are somewhere (the README or a docs/ page).
    expect([...documented].filter((name) => !name.startsWith('example '))).toEqual(
      expect.arrayContaining(['build', 'deploy', 'release', 'root']),
    );
  });

  it('fails when an action.yml changes and its README table does not', async () => {
    const dir = await tempDir('brr-docs-');
    try {
      await mkdir(path.join(dir, 'actions', 'demo'), { recursive: true });
      await writeFile(path.join(dir, 'actions', 'demo', 'action.yml'), ACTION);
      await mkdir(path.join(dir, 'examples', 'app', '.github', 'workflows'), { recursive: true });
      await writeFile(path.join(dir, 'examples', 'app', '.github', 'workflows', 'w.yml'), 'on: push\n');
      await writeFile(
        path.join(dir, 'README.md'),
        '# t\n\n<!-- action-docs:demo:inputs:start -->\n<!-- action-docs:demo:inputs:end -->\n\n<!-- action-docs:other:start -->\n<!-- action-docs:other:end -->\n\n<!-- example-workflow:w.yml:start -->\n<!-- example-workflow:w.yml:end -->\n',
      );
      const first = await updateActionDocs(dir);
      expect(first.changed).toBe(true);
      expect(first.updated).toEqual(['demo', 'example w.yml']);
      expect(first.text).toContain('```yaml\non: push\n```');
      await writeFile(path.join(dir, 'README.md'), first.text);
      expect((await updateActionDocs(dir)).changed).toBe(false);

      await writeFile(path.join(dir, 'actions', 'demo', 'action.yml'), ACTION.replace('  level:', '  depth:'));
      expect((await updateActionDocs(dir)).changed).toBe(true);
      expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toContain('`level`');
      await writeFile(path.join(dir, 'README.md'), (await updateActionDocs(dir)).text);
      await writeFile(path.join(dir, 'examples', 'app', '.github', 'workflows', 'w.yml'), 'on: [push]\n');
      expect((await updateActionDocs(dir)).changed).toBe(true);
    } finally {
      await removeDir(dir);
    }
  });
});

describe('literalInputDefaults', () => {
  it("gives each input's literal default as text and leaves expression defaults and unknown keys alone", () => {
    const yaml = [
      'name: x',
      'env: { IGNORED: 1 }',
      'inputs:',
      '  token: { default: "${{ github.token }}" }',
      '  draft: { default: false }',
      '  retries: { default: 3 }',
      "  name: { default: '' }",
      '  files: { required: true }',
    ].join('\n');
    expect(literalInputDefaults(yaml)).toEqual({ draft: 'false', retries: '3', name: '' });
  });
});

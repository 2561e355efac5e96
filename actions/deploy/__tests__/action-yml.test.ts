/** action.yml is what users reference: its interface must match what the code reads and writes (checked by running it). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { readContext, readInputs } from '../src/inputs.ts';
import { startHarness } from './helpers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

describe('actions/deploy/action.yml', () => {
  it('declares the fixed inputs and outputs, each described, and runs the bundle on node24', async () => {
    const yml = parse(await readFile(path.join(here, '../action.yml'), 'utf8')) as ActionYml;
    expect(Object.keys(yml.inputs).sort()).toEqual(
      [
        'directory',
        'environment',
        'environment-url',
        'run',
        'config-env',
        'tag',
        'token',
        'max-entries',
        'max-unpacked-size',
        'digest',
        'allow-mutable-release',
        'registry',
        'registry-username',
        'registry-password',
        'verify-provenance',
        'build-signer',
        'release-signer',
        'source-ref',
        'trusted-builder',
        'deadline-minutes',
      ].sort(),
    );
    expect(Object.keys(yml.outputs).sort()).toEqual(
      ['deployment-id', 'digest', 'directory', 'previous-tag', 'tag', 'version'].sort(),
    );
    for (const entry of [...Object.values(yml.inputs), ...Object.values(yml.outputs)]) {
      expect(entry.description.length).toBeGreaterThan(10);
    }
    expect(yml.inputs['token']?.default).toBe('${{ github.token }}');
    expect(yml.runs).toEqual({ using: 'node24', main: '../../dist/deploy/index.js' });
  });

  it('reads every declared input, and no other, when it parses its inputs', async () => {
    const yml = parse(await readFile(path.join(here, '../action.yml'), 'utf8')) as ActionYml;
    const given: Record<string, string> = {
      tag: 'v1',
      environment: 'production',
      'environment-url': 'https://app.example',
      run: './deploy.sh',
      token: 'a-token',
    };
    const asked = new Set<string>();
    await readInputs(
      (name) => {
        asked.add(name);
        return given[name] ?? '';
      },
      readContext({ GITHUB_REPOSITORY: 'octo/app', GITHUB_WORKSPACE: here, GITHUB_RUN_ID: '1' }),
    );
    expect([...asked].sort()).toEqual(Object.keys(yml.inputs).sort());
  });

  it('sets every declared output, and no other, when a deploy succeeds', async () => {
    const yml = parse(await readFile(path.join(here, '../action.yml'), 'utf8')) as ActionYml;
    const h = await startHarness();
    try {
      await h.publish({ tag: 'v1', files: { 'app.txt': 'one\n' } });
      await h.publish({ tag: 'v2', files: { 'app.txt': 'two\n' } });
      expect((await h.deploy({ tag: 'v1', environment: 'production' })).failed).toBe(false);
      // A second deploy, so that previous-tag has a value too.
      const result = await h.deploy({ tag: 'v2', environment: 'production' });
      expect(result.failed).toBe(false);
      expect(Object.keys(result.outputs).sort()).toEqual(Object.keys(yml.outputs).sort());
      for (const [name, value] of Object.entries(result.outputs))
        expect({ name, value }).not.toEqual({ name, value: '' });
    } finally {
      await h.close();
    }
    // Two releases signed and verified (a local Sigstore) and two deploys: slow next to other suites.
  }, 180_000);
});

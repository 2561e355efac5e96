/** action.yml is what users reference: its interface and how the runner runs it are checked here. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '../action.yml');

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string; value?: string }>;
  runs: Record<string, unknown>;
}

async function action(): Promise<ActionYml> {
  return parse(await readFile(file, 'utf8')) as ActionYml;
}

describe('actions/release/action.yml', () => {
  it('has the fixed inputs and outputs, each described', async () => {
    const yml = await action();
    for (const name of [
      'digest',
      'archive',
      'version',
      'environment',
      'config',
      'config-file',
      'secret-keys',
      'token',
      'from-release',
      'attach',
    ]) {
      expect(yml.inputs[name]?.description).toBeTruthy();
    }
    // Required unless from-release gives the build (inputs.ts says so, naming both).
    expect(yml.inputs.digest?.required).toBe(false);
    expect(yml.inputs.token?.default).toBe('${{ github.token }}');
    expect(Object.keys(yml.outputs).sort()).toEqual(
      ['attestation-id', 'manifest-digest', 'previous-tag', 'release-id', 'release-url', 'tag', 'version'].sort(),
    );
    for (const output of Object.values(yml.outputs)) expect(output.value).toBeUndefined();
  });

  it("runs the bundle on the runner's own Node 24, which passes every input as INPUT_*", async () => {
    const yml = await action();
    expect(yml.runs).toEqual({ using: 'node24', main: '../../dist/release/index.js' });
  });
});

/** action.yml is what users reference: its interface must match what the code reads and writes. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { deployOutputs } from '../src/outputs.ts';
import { parse } from 'yaml';

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
        'tag',
        'token',
        'digest',
        'allow-mutable-release',
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

  it('has every input read by inputs.ts and every output set by outputs.ts', async () => {
    const yml = parse(await readFile(path.join(here, '../action.yml'), 'utf8')) as ActionYml;
    const inputs = await readFile(path.join(here, '../src/inputs.ts'), 'utf8');
    for (const name of Object.keys(yml.inputs))
      expect(inputs).toMatch(new RegExp(`read(Boolean)?\\((read, )?'${name}'\\)`));
    const outputs = deployOutputs({
      deploymentId: 1,
      tag: 'v1',
      version: '1',
      digest: `sha256:${'a'.repeat(64)}`,
      directory: '/tmp/d',
      previousTag: undefined,
    });
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(yml.outputs).sort());
  });
});

/** action.yml is what users reference: its interface must match what the code reads and writes. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
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
      ['directory', 'environment', 'environment-url', 'max-entries', 'max-unpacked-size', 'run', 'tag', 'token'].sort(),
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

  it('has every input read by inputs.ts and every output set by main.ts', async () => {
    const yml = parse(await readFile(path.join(here, '../action.yml'), 'utf8')) as ActionYml;
    const inputs = await readFile(path.join(here, '../src/inputs.ts'), 'utf8');
    const main = await readFile(path.join(here, '../src/main.ts'), 'utf8');
    for (const name of Object.keys(yml.inputs)) expect(inputs).toContain(`read('${name}')`);
    for (const name of Object.keys(yml.outputs)) expect(main).toContain(`core.setOutput('${name}'`);
  });
});

/** action.yml is what users reference: its interface and wiring are checked here. */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { artifactNameForDigest } from '@build-release-run/contract';
import { removeDir, tempDir } from '../../../test/helpers/tree.ts';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '../action.yml');

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
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
    ]) {
      expect(yml.inputs[name]?.description).toBeTruthy();
    }
    expect(yml.inputs.digest?.required).toBe(true);
    expect(yml.inputs.token?.default).toBe('${{ github.token }}');
    expect(Object.keys(yml.outputs).sort()).toEqual(
      ['attestation-id', 'manifest-digest', 'previous-tag', 'release-id', 'release-url', 'tag', 'version'].sort(),
    );
    for (const [name, output] of Object.entries(yml.outputs)) {
      expect(output.value).toBe(`\${{ steps.release.outputs.${name} }}`);
    }
  });

  it('maps every input to the node step as INPUT_* (composite actions do not)', async () => {
    const yml = await action();
    const step = yml.runs.steps.find((s) => s.id === 'release') as Step;
    expect(yml.runs.using).toBe('composite');
    expect(step.run).toBe('node "${{ github.action_path }}/../../dist/release/index.js"');
    for (const name of Object.keys(yml.inputs)) {
      expect(step.env?.[`INPUT_${name.toUpperCase()}`]).toBe(`\${{ inputs.${name} }}`);
    }
  });

  it('downloads the artifact with the pinned official action, unless archive is given', async () => {
    const yml = await action();
    const download = yml.runs.steps.find((s) => s.uses?.startsWith('actions/download-artifact@')) as Step;
    expect(download.uses).toBe('actions/download-artifact@37930b1c2abaa49bbe596cd826c3c89aef350131');
    expect(download.with?.name).toBe('${{ steps.artifact.outputs.name }}');
    expect(await readFile(file, 'utf8')).toContain('37930b1c2abaa49bbe596cd826c3c89aef350131 # v7.0.0');
  });

  it.each([
    [`sha256:${'ab'.repeat(32)}`, artifactNameForDigest(`sha256:${'ab'.repeat(32)}`)],
    [`  SHA256:${'AB'.repeat(32)}\n`, artifactNameForDigest(`sha256:${'ab'.repeat(32)}`)],
    ['sha256:nothex', ''],
    ['', ''],
  ])('names the artifact for %j as artifactNameForDigest does', async (digest, expected) => {
    const yml = await action();
    const step = yml.runs.steps.find((s) => s.id === 'artifact') as Step;
    const dir = await tempDir('brr-action-yml-');
    const output = path.join(dir, 'output');
    await writeFile(output, '');
    // As the runner runs a composite `shell: bash` step.
    execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run as string], {
      env: { PATH: process.env.PATH, DIGEST: digest, GITHUB_OUTPUT: output },
    });
    expect((await readFile(output, 'utf8')).trim()).toBe(expected === '' ? '' : `name=${expected}`);
    await removeDir(dir);
  });
});

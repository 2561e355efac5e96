/** action.yml is what users reference: its interface and wiring are checked here. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { parse } from 'yaml';
import { artifactNameForDigest } from '@build-release-run/contract';
import { checkActionWiring } from '../../../test/helpers/action-wiring.ts';
import { TEST_REPO, TEST_TOKEN, type TestGitHub, startTestGitHub } from '../../../test/helpers/github-server.ts';
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
      ['manifest-digest', 'previous-tag', 'release-id', 'release-url', 'tag', 'version'].sort(),
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

  // The build action names the artifact artifactNameForDigest(digest); the
  // release must find it under that name for every form of the digest input
  // parseDigest accepts (surrounding space, upper case), through the runner.
  describe('through the runner, with the artifact the build uploaded', () => {
    let github: TestGitHub;
    let dir: string;
    beforeAll(async () => {
      github = await startTestGitHub();
      dir = await tempDir('brr-release-yml-');
    });
    afterAll(async () => {
      await github.close();
      await removeDir(dir);
    });

    it.each([
      ['as the build gives it', (digest: string) => digest, '1.0.0'],
      ['upper case, between spaces', (digest: string) => `  ${digest.toUpperCase()}\n`, '2.0.0'],
    ])('finds the artifact for a digest %s', async (_label, form, version) => {
      const bytes = `build-for-${version}`;
      const hex = createHash('sha256').update(bytes).digest('hex');
      const digest = `sha256:${hex}` as const;
      const archive = `app-${hex.slice(0, 12)}.tar.gz`;
      const wiring = await checkActionWiring({
        action: 'actions/release',
        dir: path.join(dir, version),
        runId: version.replaceAll('.', ''),
        repository: 'octo/app',
        apiUrl: github.server.url,
        token: TEST_TOKEN,
        sha: github.repo.commits.at(-1)!,
        setupSteps: [
          `      - run: mkdir -p out && printf '%s' '${bytes}' > out/${archive}`,
          '      - uses: actions/upload-artifact@v4',
          '        with:',
          `          name: ${artifactNameForDigest(digest)}`,
          `          path: out/${archive}`,
          '',
        ].join('\n'),
        with: { digest: form(digest), version, environment: 'staging' },
      });
      expect({ result: wiring.job.result, errors: wiring.job.annotations.filter((a) => a.level === 'error') }).toEqual({
        result: 'success',
        errors: [],
      });
      const { data: release } = await getOctokit(TEST_TOKEN, { baseUrl: github.server.url }).rest.repos.getReleaseByTag(
        {
          ...TEST_REPO,
          tag: wiring.step.outputs['tag']!,
        },
      );
      expect(release.assets.find((asset) => asset.name === archive)?.digest).toBe(digest);
      expect(github.server.responseViolations).toEqual([]);
    });
  });
});

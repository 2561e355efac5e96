// Every workflow snippet of README.md and docs/*.md and every example workflow
// (examples/app/.github/workflows) runs through the local runner with
// exactly the permissions it shows, each job with its own GITHUB_TOKEN, as
// on GitHub. The repository is private (where a missing read permission
// shows; with attestations, as on Enterprise Cloud) and has immutable
// releases on, so a snippet that works here works on any repository.
//
// A snippet is run as a user would paste it: a whole workflow as it is; a
// `jobs:` mapping under `on: push`; one job under `jobs:` (with a build job
// when it needs one, and `workflow_dispatch` inputs for the `inputs.*` it
// reads); a list of steps as the steps of one job after a checkout. What
// the harness adds (the build job, the checkout, a release to deploy) is
// not under test; the snippet's own jobs keep exactly their `permissions:`
// (none shown: the repository's default, restricted).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import {
  type ArtifactService,
  type RunWorkflowResult,
  runWorkflow,
  startArtifactService,
} from '@build-release-run/workflow-runner';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { makeOciLayout, type OciLayout } from '@build-release-run/test-helpers/registry/oci-images';
import { startRegistry, type TestRegistry } from '@build-release-run/test-helpers/registry/registry-server';
import { type TestSigstore, startTestSigstore } from '@build-release-run/test-helpers/sigstore';
import { makeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const repoRoot = path.resolve(import.meta.dirname, '..');
const examples = path.join(repoRoot, 'examples', 'app');

/**
 * Snippets known to fail (a README snippet is named by its first line, so
 * the entry stays put when the README grows), with the reason, until their owners change them
 * (they run as `it.failing`: when one starts to pass, the test says so and
 * its entry must go).
 */
const KNOWN_RED: Record<string, string> = {};

type Yaml = Record<string, unknown>;

interface Snippet {
  /** Where it is, for the test's title: a README line or an example file. */
  name: string;
  /** What KNOWN_RED names it by: the README's first line of the snippet, or the example file. */
  key: string;
  text: string;
}

/** The ```yaml blocks of the README and docs/ pages, and the example workflow files, each once (read when the tests are declared). */
function findSnippets(): Snippet[] {
  const found: Snippet[] = [];
  const pages = [
    'README.md',
    ...readdirSync(path.join(repoRoot, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
  for (const page of pages) {
    const lines = readFileSync(path.join(repoRoot, page), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^```ya?ml\s*$/.test(lines[i]!)) continue;
      const start = i + 1;
      while (i + 1 < lines.length && !/^```\s*$/.test(lines[i + 1]!)) i++;
      const text = lines.slice(start, i + 1).join('\n');
      const first = text
        .split('\n')
        .find((line) => line.trim() !== '')!
        .trim();
      found.push({ name: `${page} line ${start}`, key: `${page} snippet \`${first}\``, text });
    }
  }
  const dir = path.join(examples, '.github', 'workflows');
  for (const file of readdirSync(dir).sort()) {
    const name = `examples/app/.github/workflows/${file}`;
    found.push({ name, key: name, text: readFileSync(path.join(dir, file), 'utf8') });
  }
  const seen = new Set<string>();
  return found.filter((s) => {
    const key = s.text.trim();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The harness's build job (not under test): what a snippet's `needs: build` reads. */
const HARNESS_BUILD = {
  'runs-on': 'ubuntu-latest',
  permissions: { contents: 'read', 'id-token': 'write', attestations: 'write' },
  outputs: { digest: '${{ steps.build.outputs.digest }}' },
  steps: [
    { uses: 'actions/checkout@v4' },
    {
      id: 'build',
      uses: 'OWNER/build-release-run/actions/build@v1',
      with: { run: 'npm ci && npm run build', path: 'dist' },
    },
  ],
};

/** The `inputs.<name>` a text reads. */
function inputNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\binputs\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]!))];
}

/** A snippet as a runnable workflow: its text, and whether the harness wrapped it. */
function asWorkflow(snippet: Snippet): { workflow: Yaml; event: 'push' | 'workflow_dispatch' } {
  const doc = parse(snippet.text) as unknown;
  let workflow: Yaml;
  if (Array.isArray(doc)) {
    workflow = {
      on: 'push',
      jobs: { snippet: { 'runs-on': 'ubuntu-latest', steps: [{ uses: 'actions/checkout@v4' }, ...doc] } },
    };
  } else if (doc && typeof doc === 'object' && 'jobs' in doc) {
    workflow = { on: 'push', ...(doc as Yaml) };
  } else if (doc && typeof doc === 'object') {
    workflow = { jobs: { ...(doc as Yaml) } };
    const needs = Object.values(doc as Record<string, Yaml>).flatMap((job) => [job['needs'] ?? []].flat());
    if (needs.includes('build') && !('build' in (doc as Yaml))) {
      workflow['jobs'] = { build: HARNESS_BUILD, ...(workflow['jobs'] as Yaml) };
    }
    const inputs = inputNames(snippet.text);
    workflow = {
      on:
        inputs.length > 0
          ? { workflow_dispatch: { inputs: Object.fromEntries(inputs.map((n) => [n, { type: 'string' }])) } }
          : 'push',
      ...workflow,
    };
  } else {
    throw new Error(`${snippet.name} is not a workflow, a job or a list of steps`);
  }
  const on = workflow['on'];
  const dispatch = typeof on === 'object' && on !== null && 'workflow_dispatch' in on;
  return { workflow, event: dispatch ? 'workflow_dispatch' : 'push' };
}

let dir: string;
let repo: string;
let github: TestGitHub;
let sigstore: TestSigstore;
let artifacts: ArtifactService;
let registry: TestRegistry;
let layout: OciLayout;
let image: string;
let stagingTag: string;
let runs = 0;

/** What a dispatch form would be filled with: a staging release to deploy or promote, an image. */
function dispatchInputs(workflow: Yaml): Record<string, string> {
  const on = workflow['on'] as { workflow_dispatch?: { inputs?: Record<string, unknown> } };
  const declared = Object.keys(on.workflow_dispatch?.inputs ?? {});
  const values: Record<string, string> = { tag: stagingTag, environment: 'staging', image };
  // Promote a staging release to production.
  if (declared.includes('tag') && /from-release/.test(JSON.stringify(workflow))) values['environment'] = 'production';
  return Object.fromEntries(declared.map((name) => [name, values[name] ?? 'x']));
}

async function run(file: string, workflow: Yaml, event: 'push' | 'workflow_dispatch'): Promise<RunWorkflowResult> {
  await writeFile(path.join(repo, '.github', 'workflows', file), stringify(workflow));
  runs++;
  return runWorkflow({
    workflowFile: `.github/workflows/${file}`,
    repoDir: repo,
    repository: 'octo/app',
    visibility: 'private',
    sha: github.repo.commits.at(-1)!,
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    actionRepositories: { 'OWNER/build-release-run': repoRoot },
    workDir: path.join(dir, `run-${runs}`),
    runId: String(500 + runs),
    artifacts,
    event,
    ...(event === 'workflow_dispatch' ? { inputs: dispatchInputs(workflow) } : {}),
    secrets: { DATABASE_PASSWORD: 'db-secret' },
    environments: {
      staging: { secrets: { DATABASE_PASSWORD: 'db-secret' } },
      production: { secrets: { DATABASE_PASSWORD: 'db-secret' } },
    },
    ...sigstore.runnerOptions,
    env: {
      ...sigstore.runnerOptions.env,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_offline: 'true',
    },
  });
}

const cases = findSnippets();

describe('every workflow snippet, with exactly the permissions it shows', () => {
  beforeAll(async () => {
    dir = await tempDir('brr-snippets-');
    [github, sigstore, artifacts, registry, layout] = await Promise.all([
      startTestGitHub({ immutableReleases: true, visibility: { 'octo/app': 'private' } }),
      startTestSigstore(),
      startArtifactService(path.join(dir, 'artifacts')),
      startRegistry(),
      makeOciLayout(),
    ]);
    await layout.addImage('app', 'the app');
    image = `${registry.host}/octo/app:sha-snippets`;
    await layout.push('app', image);
    // The user's repository: the example app, buildable with `npm ci && npm run build`,
    // whose build carries the `./bin/deploy` the README's deploy job runs.
    repo = path.join(dir, 'repo');
    await cp(examples, repo, { recursive: true, filter: (source) => !source.includes(`${path.sep}.github`) });
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as Yaml;
    pkg['scripts'] = {
      ...(pkg['scripts'] as Yaml),
      build: 'node build.js && mkdir -p dist/bin && cp deploy.sh dist/bin/deploy',
    };
    await makeTree(repo, {
      'package.json': JSON.stringify(pkg, null, 2),
      'package-lock.json': JSON.stringify({
        name: 'example-app',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: { '': { name: 'example-app', version: '1.0.0' } },
      }),
      'deploy.sh': { content: '#!/bin/sh\necho "deployed $RELEASE_TAG"\n', mode: 0o755 },
      '.github/workflows/.keep': '',
    });
    // A staging release to deploy and promote, made by the harness as the
    // example's build-release.yml (the signer the deploy examples accept).
    const release = await run(
      'build-release.yml',
      {
        on: 'push',
        jobs: {
          build: HARNESS_BUILD,
          release: {
            needs: 'build',
            'runs-on': 'ubuntu-latest',
            permissions: { contents: 'write', 'id-token': 'write', attestations: 'write' },
            outputs: { tag: '${{ steps.release.outputs.tag }}' },
            steps: [
              { uses: 'actions/checkout@v4' },
              {
                id: 'release',
                uses: 'OWNER/build-release-run/actions/release@v1',
                with: {
                  digest: '${{ needs.build.outputs.digest }}',
                  environment: 'staging',
                  'config-file': 'config/staging.env',
                },
              },
            ],
          },
        },
      },
      'push',
    );
    expect(release.conclusion).toBe('success');
    stagingTag = release.jobs['release']!.outputs['tag']!;
  }, 300_000);
  afterAll(async () => {
    await Promise.all([artifacts?.stop(), github?.close(), sigstore?.close(), registry?.stop(), layout?.remove()]);
    await removeDir(dir);
  });

  it('finds the snippets (README.md and the example workflows)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4);
    expect(cases.some((c) => c.name.startsWith('README.md'))).toBe(true);
  });

  it('names only snippets that exist as known red', () => {
    expect(Object.keys(KNOWN_RED).filter((key) => !cases.some((c) => c.key === key))).toEqual([]);
  });

  for (const [index, snippet] of cases.entries()) {
    const known = KNOWN_RED[snippet.key];
    const test = known ? it.failing : it;
    test(`${snippet.name}${known ? ` (known red: ${known})` : ''}`, async () => {
      const { workflow, event } = asWorkflow(snippet);
      const result = await run(`snippet-${index}.yml`, workflow, event);
      const failures = Object.entries(result.jobs)
        .filter(([, job]) => job.result === 'failure')
        .map(([id, job]) => ({
          job: id,
          errors: [
            ...job.annotations.filter((a) => a.level === 'error').map((a) => a.message),
            ...job.log.filter((l) => l.startsWith("##[error]Job '")),
          ],
        }));
      expect(failures).toEqual([]);
    }, 300_000);
  }
});

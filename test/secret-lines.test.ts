// Issue 22, point 2: a multi-line secret written into the config as
// `DB_PASSWORD=${{ secrets.DB_PASSWORD }}` is expanded by the runner before
// the release action reads it, so its later lines read as settings of their
// own (`API_KEY=<line 2>`), which used to be published in the public
// config.env and the notes. A key in `secret-keys` given any value is now
// refused before anything is created: the later lines reach no asset, note,
// log line, summary or output. Through the bundled build and release actions.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunWorkflowResult } from '@build-release-run/workflow-runner';
import { TEST_TOKEN, type TestGitHub } from '@build-release-run/test-helpers/github-server';
import { type Pipeline, runPipeline } from '@build-release-run/test-helpers/pipeline';

const SECOND_LINE = 'second-line-of-the-secret-0f9c';
const SECRET = `first-line-of-the-secret-77ab\nAPI_KEY=${SECOND_LINE}`;

let pipeline: Pipeline;
let github: TestGitHub;
let result: RunWorkflowResult;

beforeAll(async () => {
  pipeline = await runPipeline(
    'secret-lines',
    {
      build: 'mkdir -p out && echo hello > out/index.html',
      release: {
        environment: 'staging',
        'secret-keys': 'DB_PASSWORD',
        // As a workflow would write it: the runner expands the secret into the text.
        config: 'APP_ENV=staging\nDB_PASSWORD=${{ secrets.DB_PASSWORD }}\n',
      },
    },
    { secrets: { DB_PASSWORD: SECRET } },
  );
  ({ github, result } = pipeline);
}, 240_000);
afterAll(async () => {
  await pipeline?.close();
});

async function get(url: string, accept = 'application/vnd.github+json'): Promise<Response> {
  return fetch(url, { headers: { authorization: `Bearer ${TEST_TOKEN}`, accept } });
}

describe('a multi-line secret given as a value in config', () => {
  it('is refused at release, naming the key and where secrets come from, before anything is created', () => {
    const release = result.jobs['release']!;
    expect(release.result).toBe('failure');
    const errors = release.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([
      expect.stringMatching(
        /^Input 'config' line 2: DB_PASSWORD is listed in 'secret-keys', so the config must not give it a value.*deploy job's `env:`/s,
      ),
      'Node action completed with exit code 1.',
    ]);
    const writes = github.server.requests.filter((r) =>
      ['repos/create-release', 'git/create-ref', 'repos/upload-release-asset', 'repos/update-release'].includes(
        r.operationId ?? '',
      ),
    );
    expect(writes).toEqual([]);
  });

  it('publishes none of its lines: no release, asset or note holds them', async () => {
    const releases = (await (await get(`${github.server.url}/repos/octo/app/releases`)).json()) as {
      body: string | null;
      assets: { url: string }[];
    }[];
    const texts: string[] = [];
    for (const release of releases) {
      texts.push(release.body ?? '');
      for (const asset of release.assets) texts.push(await (await get(asset.url, 'application/octet-stream')).text());
    }
    expect(releases).toEqual([]);
    for (const text of texts) expect(text).not.toContain(SECOND_LINE);
  });

  it('shows none of its lines in a log line, summary, annotation or output of any job', () => {
    for (const job of Object.values(result.jobs)) {
      const seen = [job.log.join('\n'), job.summary, JSON.stringify(job.annotations), JSON.stringify(job.outputs)];
      for (const text of seen) {
        expect(text).not.toContain(SECOND_LINE);
        expect(text).not.toContain('first-line-of-the-secret');
      }
    }
  });
});

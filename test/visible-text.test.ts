// Issue 22, point 8: text that differs invisibly from what it looks like.
// A config value and an environment URL holding a zero-width space
// (U+200B), a soft hyphen (U+00AD) and a tag character (U+E0041) reach the
// release notes, the job summaries and the logs with each of them shown as a
// visible escape, never raw: `\u{200b}` by the sinks' rule, and in the URL
// the percent-escapes of its ASCII form, which is what the deployment
// records. Through the bundled build, release and deploy
// actions run by the local runner.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunWorkflowResult } from '@build-release-run/workflow-runner';
import { TEST_TOKEN, type TestGitHub } from '@build-release-run/test-helpers/github-server';
import { type Pipeline, runPipeline } from '@build-release-run/test-helpers/pipeline';

const INVISIBLE = /[\u200b\u00ad\u{e0041}]/u;
const HIDDEN = '\u200b\u00ad\u{e0041}';
const SHOWN = '\\u{200b}\\u{ad}\\u{e0041}';

let pipeline: Pipeline;
let github: TestGitHub;
let result: RunWorkflowResult;

beforeAll(async () => {
  pipeline = await runPipeline('visible-text', {
    build: 'mkdir -p out && echo hello > out/index.html',
    release: { environment: 'staging', config: `PAY_TO=acct-1${HIDDEN}7\n` },
    jobs: `  deploy:
    needs: release
    runs-on: ubuntu-latest
    environment: staging
    permissions: { contents: read, deployments: write, attestations: read }
    steps:
      - uses: OWNER/build-release-run/actions/deploy@v1
        with:
          tag: \${{ needs.release.outputs.tag }}
          environment: staging
          environment-url: ${JSON.stringify(`https://app.example/pay${HIDDEN}`)}
          run: test -f index.html
`,
  });
  ({ github, result } = pipeline);
}, 240_000);
afterAll(async () => {
  await pipeline?.close();
});

async function releaseNotes(tag: string): Promise<string> {
  const response = await fetch(`${github.server.url}/repos/octo/app/releases/tags/${tag}`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/vnd.github+json' },
  });
  return ((await response.json()) as { body: string }).body;
}

describe('invisible characters in a config value and an environment URL', () => {
  it('are released and deployed', () => {
    const outcome = Object.entries(result.jobs).map(([id, job]) => [
      id,
      job.result,
      job.result === 'success' ? '' : job.log.slice(-10).join('\n'),
    ]);
    expect(outcome).toEqual([
      ['build', 'success', ''],
      ['release', 'success', ''],
      ['deploy', 'success', ''],
    ]);
  });

  it('are shown as escapes in the release notes and the release summary', async () => {
    const notes = await releaseNotes(result.jobs['release']!.outputs['tag']!);
    for (const text of [notes, result.jobs['release']!.summary]) {
      expect(text).toContain(`acct-1${SHOWN}7`);
      expect(text).not.toMatch(INVISIBLE);
    }
  });

  it('are shown as escapes in the deploy summary', () => {
    const summary = result.jobs['deploy']!.summary;
    // The URL as recorded on the deployment: the WHATWG parser's ASCII form, so the
    // characters show as percent-escapes (and the sinks' rule would show any left).
    expect(summary).toContain('`https://app.example/pay%E2%80%8B%C2%AD%F3%A0%81%81`');
    expect(summary).not.toMatch(INVISIBLE);
  });

  it('never reach a log line raw', () => {
    for (const [id, job] of Object.entries(result.jobs)) {
      expect([id, job.log.filter((line) => INVISIBLE.test(line))]).toEqual([id, []]);
    }
  });
});

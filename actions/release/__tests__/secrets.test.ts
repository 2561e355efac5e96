/**
 * A secret value planted in the config never leaves the process: not in an
 * asset, the release body or name, the log, the outputs or the summary. A
 * config that gives a secret key a value is refused (it used to be released
 * with the value dropped: issue 22, point 2); the releases made with the
 * names only record them.
 */
import { readFile, readdir, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect } from '@jest/globals';
import { type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { conformingIt } from '@build-release-run/test-helpers/conforming';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import {
  downloadRelease,
  releaseEnv,
  repositoryState,
  runReleaseInProcess,
  writeTestArchive,
} from '@build-release-run/test-helpers/release-action';

let github: TestGitHub;
const it = conformingIt(() => github.server);
let work: string;

beforeEach(async () => {
  github = await startTestGitHub({ immutableReleases: true });
  work = await tempDir('brr-release-secret-');
});

afterEach(async () => {
  await github.close();
  await removeDir(work);
});

const SECRET = 'Planted-S3cret-Value-7f3a9c';
const MULTILINE_SECRET = 'second-planted-secret\nwith-a-second-line-91b2';

it('never writes a secret value anywhere', async () => {
  const archive = await writeTestArchive(work);
  const run = async (runId: string, config: string) =>
    runReleaseInProcess(
      await releaseEnv({
        server: github.server,
        workDir: work,
        commit: github.repo.commits.at(-1) as string,
        runId,
        inputs: {
          digest: archive.digest,
          archive: archive.file,
          config,
          'secret-keys': 'DB_PASSWORD\nSIGNING_KEY',
        },
      }),
    );
  const refused = await run('1', `HOST=db.internal\nDB_PASSWORD=${SECRET}\nSIGNING_KEY<<EOF\n${MULTILINE_SECRET}\nEOF`);
  expect(refused.failure).toMatch(
    /line 2: DB_PASSWORD is listed in 'secret-keys', so the config must not give it a value/,
  );
  expect((await repositoryState(github.server)).releases).toHaveLength(0);
  const first = await run('2', 'HOST=db.internal');
  // The second release diffs against the first, where the secret was a key too.
  const second = await run('3', 'HOST=db2.internal');
  for (const result of [first, second]) expect(result.failure).toBeUndefined();

  const haystacks: [string, string][] = [];
  for (const [i, result] of [refused, first, second].entries()) {
    haystacks.push(
      [`log ${i}`, result.log],
      [`summary ${i}`, result.summary],
      [`outputs ${i}`, JSON.stringify(result.outputs)],
    );
  }
  const state = await repositoryState(github.server);
  expect(state.releases).toHaveLength(2);
  haystacks.push(['releases as listed (names, bodies, assets)', JSON.stringify(state)]);
  for (const tag of ['v1', 'v2']) {
    const dir = path.join(work, `assets-${tag}`);
    await mkdir(dir);
    await downloadRelease(github.server, tag, dir);
    for (const name of await readdir(dir))
      haystacks.push([`${tag}/${name}`, (await readFile(path.join(dir, name))).toString('latin1')]);
  }
  // The secret's name is recorded, so the search is not vacuous.
  expect(haystacks.some(([, text]) => text.includes('# secret DB_PASSWORD'))).toBe(true);
  for (const [where, text] of haystacks) {
    for (const needle of [SECRET, ...MULTILINE_SECRET.split('\n'), JSON.stringify(MULTILINE_SECRET).slice(1, -1)]) {
      if (text.includes(needle)) throw new Error(`secret found in ${where}`);
    }
  }
});

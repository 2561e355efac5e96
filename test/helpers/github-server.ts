/** Test helpers for suites that talk to the local GitHub API server. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGitHubServer, type GitHubServer, type GitHubServerOptions } from '@build-release-run/github-server';

export interface GitFixtureRepo {
  path: string;
  /** Commit SHAs in order, oldest first; the last is `main`'s head. */
  commits: string[];
  git(...args: string[]): string;
  remove(): Promise<void>;
}

/** Runs git in `dir` with a fixed author and committer, returning its output trimmed. */
export function gitIn(dir: string): (...args: string[]) => string {
  return (...args) =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
      },
    }).trim();
}

/** Makes the folder a git repository on `main` with everything in it committed; returns the commit. */
export function commitFolder(dir: string): string {
  const git = gitIn(dir);
  git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  git('commit', '--quiet', '-m', 'files');
  return git('rev-parse', 'HEAD');
}

/** A fresh git repository on branch `main` with `commitCount` commits. */
export async function makeGitRepo(commitCount = 2): Promise<GitFixtureRepo> {
  const dir = await mkdtemp(path.join(tmpdir(), 'brr-git-'));
  const git = gitIn(dir);
  git('init', '--quiet', '--initial-branch=main');
  const commits: string[] = [];
  for (let i = 1; i <= commitCount; i++) {
    await writeFile(path.join(dir, 'file.txt'), `version ${i}\n`);
    git('add', 'file.txt');
    git('commit', '--quiet', '-m', `commit ${i}`);
    commits.push(git('rev-parse', 'HEAD'));
  }
  return { path: dir, commits, git, remove: () => rm(dir, { recursive: true, force: true }) };
}

export const TEST_TOKEN = 'test-token';
export const TEST_REPO = { owner: 'octo', repo: 'app' } as const;

export interface TestGitHub {
  server: GitHubServer;
  repo: GitFixtureRepo;
  close(): Promise<void>;
}

/** The server and its repository, closed together. */
function closingBoth(server: GitHubServer, repo: GitFixtureRepo): TestGitHub {
  return {
    server,
    repo,
    async close() {
      await server.close();
      await repo.remove();
    },
  };
}

/** Starts a server for one repository `octo/app` backed by a fresh git repository. */
export async function startTestGitHub(
  options: Partial<GitHubServerOptions> = {},
  commitCount = 2,
): Promise<TestGitHub> {
  const repo = await makeGitRepo(commitCount);
  const server = await startGitHubServer({
    repos: { [`${TEST_REPO.owner}/${TEST_REPO.repo}`]: repo.path },
    token: TEST_TOKEN,
    validateResponses: true,
    ...options,
  });
  return closingBoth(server, repo);
}

/**
 * A server for a public `octo/app` and a private `octo/secret`, both over
 * one fresh repository, with a read-only token `reader` beside the write
 * token: for tests of who may see and do what.
 */
export async function startPublicAndPrivateGitHub(): Promise<TestGitHub> {
  const repo = await makeGitRepo();
  const server = await startGitHubServer({
    repos: { 'octo/app': repo.path, 'octo/secret': repo.path },
    token: TEST_TOKEN,
    readOnlyTokens: ['reader'],
    visibility: { 'octo/secret': 'private' },
    validateResponses: true,
  });
  return closingBoth(server, repo);
}

/** What an Octokit call threw: its status and GitHub's answer. */
export interface RequestFailure {
  status: number;
  response?: { data: unknown; headers: Record<string, string> };
}

/** Awaits a call that must fail and returns what it threw; a success fails the test. */
export async function requestFailure(promise: Promise<unknown>): Promise<RequestFailure> {
  try {
    await promise;
  } catch (error) {
    return error as RequestFailure;
  }
  throw new Error('expected the request to fail');
}

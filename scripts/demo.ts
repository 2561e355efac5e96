// `pnpm demo`: the whole pipeline on this machine, offline, with no account.
// Starts the local GitHub server, runs the example workflows
// (examples/app/.github/workflows) through the local workflow runner, and
// deploys to a local target: build → release → deploy → change config →
// release (same build digest) → deploy → roll back → promote the first
// build to production → deploy there. After each deploy it
// starts the app and checks that it answers with the deployed greeting.
// Then a container image as the build, against a local registry
// (scripts/demo-image.ts). Ends with a ledger of releases and deployments
// and where the files are: the release notes, every job summary and the
// ledger page (brr's --html).
//
//   node scripts/demo.ts [--dir DIR] [--serve]
//     --dir    where everything goes (default: a new folder under the system temp)
//     --serve  keep the local GitHub API up afterwards (until Ctrl-C), so
//              every link printed opens
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { connect, ledgerHtml, readLedger, readOptionsOf } from '@build-release-run/cli';
import { parseConfigEnv } from '@build-release-run/release-format';
import { type GitHubServer, startGitHubServer } from '@build-release-run/github-server';
import { type ImageDemo, cloneImageRepo, IMAGE_REPOSITORY, imageLedger, runImageDemo } from './demo-image.ts';
import { probeBuilder } from './demo-builder-probe.ts';
import { type ForgedDeploy, forgeAndDeploy } from './demo-forged.ts';
import { createOidcIssuer, startSigstoreServer } from '@build-release-run/sigstore-server';
import { type RunWorkflowOptions, type RunWorkflowResult, runWorkflow } from '@build-release-run/workflow-runner';

const root = path.resolve(import.meta.dirname, '..');
const REPOSITORY = 'octo/app';
const TOKEN = 'demo-token';

export interface LedgerRelease {
  tag: string;
  environment: string;
  digest: string;
  commit: string;
}

export interface LedgerDeployment {
  id: number;
  environment: string;
  tag: string;
  states: string[];
}

export interface DemoResult {
  releases: LedgerRelease[];
  deployments: LedgerDeployment[];
  /** What the app answered after each deploy, in order. */
  answers: { tag: string; environment: string; greeting: string }[];
  dir: string;
  target: string;
  /** Requests or responses of the local server that broke GitHub's OpenAPI description. */
  violations: unknown[];
  /** What the demo wrote for people to read. */
  files: DemoFiles;
  /** The API base URL of the local server (closed unless `serve` was asked). */
  apiUrl: string;
  /** With `serve`: the running server, for the caller to close. */
  server?: GitHubServer;
  /** A release published by direct API calls (no attestation), and deploy's refusal of it. */
  forged: ForgedDeploy;
  /** What a build command run by the builder found when it tried to mint the OIDC token. */
  builderProbe: string;
  /** The image release (octo/app-image), or why it was skipped. */
  image: ImageDemo;
}

export interface DemoFiles {
  /** notes/<tag>.md: each release's notes, as GitHub holds them. */
  notes: string[];
  /** summaries/<run>-<workflow>-<job>.md: each job summary the runs wrote. */
  summaries: string[];
  /** ledger.html: `brr ledger --html` of the repository at the end. */
  ledgerPage: string;
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Demo',
      GIT_AUTHOR_EMAIL: 'demo@example.com',
      GIT_COMMITTER_NAME: 'Demo',
      GIT_COMMITTER_EMAIL: 'demo@example.com',
    },
  }).trim();
}

/**
 * Starts the deployed app (target/<env>/current) the way a service manager
 * would (systemd's EnvironmentFile=): its environment is the release's
 * config, which the deploy command copied from RELEASE_CONFIG_FILE to
 * release.env, read by the format's own rules (comments, secret names and
 * quoted values included). Returns what GET / answers.
 */
async function askApp(envDir: string): Promise<string> {
  const current = path.join(envDir, 'current');
  const { values: config } = parseConfigEnv(await readFile(path.join(current, 'release.env'), 'utf8'));
  const child = spawn(process.execPath, [path.join(current, 'server.js')], {
    env: { PATH: process.env['PATH'] ?? '', ...config, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) return (await (await fetch(match[1]!)).text()).trim();
    }
    throw new Error('the app exited before it listened');
  } finally {
    child.kill('SIGTERM');
  }
}

async function api<T>(url: string): Promise<T> {
  const response = await fetch(url, {
    headers: { authorization: `token ${TOKEN}`, accept: 'application/vnd.github+json' },
  });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as T;
}

function check(result: RunWorkflowResult, what: string): RunWorkflowResult {
  if (result.conclusion !== 'success') {
    const failed = Object.entries(result.jobs).filter(([, job]) => job.result === 'failure');
    const details = failed.map(([id, job]) => `--- ${id}\n${job.log.slice(-30).join('\n')}`).join('\n');
    throw new Error(`${what} failed:\n${details}`);
  }
  return result;
}

export async function runDemo(
  options: { dir?: string; say?: (line: string) => void; validateResponses?: boolean; serve?: boolean } = {},
): Promise<DemoResult> {
  const say = options.say ?? ((line: string) => console.log(line));
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'brr-demo-')));
  const repo = path.join(dir, 'app-repo');
  const target = path.join(dir, 'target');
  await mkdir(repo, { recursive: true });
  await cp(path.join(root, 'examples', 'app'), repo, {
    recursive: true,
    filter: (from) => path.basename(from) !== 'dist' && path.basename(from) !== 'node_modules',
  });
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '-m', 'The example app');
  const imageRepo = cloneImageRepo(repo, dir);

  const server = await startGitHubServer({
    repos: { [REPOSITORY]: repo, [IMAGE_REPOSITORY]: imageRepo },
    token: TOKEN,
    dataDir: path.join(dir, 'github-data'),
    validateResponses: options.validateResponses ?? false,
    // As a repository should be set up: deploy refuses mutable releases by default.
    immutableReleases: true,
  });
  say(`Local GitHub API at ${server.url} for ${REPOSITORY} (${repo})`);
  // The runner's OIDC tokens and the Sigstore that trusts them: build and
  // release sign their attestations here, as they would through Sigstore on GitHub.
  const oidcIssuer = createOidcIssuer();
  const sigstore = await startSigstoreServer({ trustedIssuers: [oidcIssuer] });
  say(`Local Sigstore (Fulcio, Rekor, timestamps) at ${sigstore.url}`);
  // Deploy verifies against this instance's root (on GitHub: Sigstore's or GitHub's, through TUF).
  const trustedRoot = path.join(dir, 'trusted_root.json');
  await writeFile(trustedRoot, JSON.stringify(sigstore.trustedRoot));
  // The same server under a `*.localhost` name (browsers resolve it to
  // loopback): @actions/artifact treats any other host but github.com
  // and *.ghe.com as GitHub Enterprise Server and refuses to run there.
  const serverUrl = server.url.replace('//127.0.0.1:', '//github.localhost:');
  let run = 0;
  const common = (): Omit<RunWorkflowOptions, 'workflowFile'> => {
    run += 1;
    return {
      repoDir: repo,
      repository: REPOSITORY,
      apiUrl: server.url,
      serverUrl,
      token: TOKEN,
      runId: String(run),
      workDir: path.join(dir, 'runs', String(run)),
      artifactsDir: path.join(dir, 'artifacts'),
      actionRepositories: { 'OWNER/build-release-run': root },
      vars: { DEPLOY_ROOT: target },
      oidcIssuer,
      env: { BRR_SIGSTORE_URL: sigstore.url, BRR_SIGSTORE_TRUSTED_ROOT: trustedRoot },
    };
  };
  const releases: LedgerRelease[] = [];
  const answers: DemoResult['answers'] = [];
  const summaries: string[] = [];
  // Every job summary of a run, kept where a person can open it.
  const keepSummaries = async (result: RunWorkflowResult, workflow: string): Promise<RunWorkflowResult> => {
    for (const [job, outcome] of Object.entries(result.jobs)) {
      if (!outcome.summary) continue;
      const file = path.join(dir, 'summaries', `${result.runId}-${workflow.replace(/\.ya?ml$/, '')}-${job}.md`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, outcome.summary);
      summaries.push(file);
    }
    return result;
  };

  const buildAndRelease = async (why: string): Promise<void> => {
    say(`\n▶ ${why}: build-release.yml on push to main (${git(repo, 'rev-parse', '--short', 'HEAD')})`);
    const result = check(
      await keepSummaries(
        await runWorkflow({ ...common(), workflowFile: '.github/workflows/build-release.yml', event: 'push' }),
        'build-release.yml',
      ),
      'build-release.yml',
    );
    const digest = result.jobs['build']!.outputs['digest']!;
    const tag = result.jobs['release']!.outputs['tag']!;
    releases.push({ tag, environment: 'staging', digest, commit: git(repo, 'rev-parse', 'HEAD') });
    // The build job of the reusable build workflow had no OIDC token; its signing job signed.
    say(
      `  build ${digest}${attested(result, 'build/provenance')} (the builder)\n  release ${tag}${attested(result, 'release')}`,
    );
  };
  const runDeploy = async (tag: string, environment: string): Promise<RunWorkflowResult> =>
    keepSummaries(
      await runWorkflow({
        ...common(),
        workflowFile: '.github/workflows/deploy.yml',
        event: 'workflow_dispatch',
        inputs: { environment, tag },
      }),
      'deploy.yml',
    );
  const deploy = async (tag: string, why: string, environment = 'staging'): Promise<void> => {
    say(`\n▶ ${why}: deploy.yml on workflow_dispatch (environment ${environment}, tag ${tag})`);
    const result = check(await runDeploy(tag, environment), 'deploy.yml');
    for (const line of result.jobs['deploy']!.log.filter(
      (l) => l.startsWith('Provenance verified: ') || l.startsWith('SLSA Build '),
    )) {
      say(`  ${line}`);
    }
    const deployed = result.jobs['deploy']!.stepsById['deploy']!.outputs['tag']!;
    const greeting = await askApp(path.join(target, environment));
    answers.push({ tag: deployed, environment, greeting });
    say(`  deployed ${deployed}; the app answers "${greeting}"`);
  };

  try {
    await buildAndRelease('First release');
    const builderProbe = await probeBuilder(dir, common(), say);
    await deploy('latest', 'Deploy it');
    const configFile = path.join(repo, 'config', 'staging.env');
    await writeFile(
      configFile,
      (await readFile(configFile, 'utf8')).replace(/^GREETING=.*$/m, 'GREETING=Hello again from staging'),
    );
    git(repo, 'commit', '--quiet', '-am', 'Change the staging greeting');
    await buildAndRelease('Config change only');
    await deploy('latest', 'Deploy the new config');
    await deploy('previous', 'Roll back');

    const promoted = releases[0]!;
    say(`\n▶ Promote ${promoted.tag}'s build to production: promote.yml on workflow_dispatch`);
    const promotion = check(
      await keepSummaries(
        await runWorkflow({
          ...common(),
          workflowFile: '.github/workflows/promote.yml',
          event: 'workflow_dispatch',
          inputs: { tag: promoted.tag, environment: 'production' },
        }),
        'promote.yml',
      ),
      'promote.yml',
    );
    const promotedTag = promotion.jobs['promote']!.outputs['tag']!;
    releases.push({ tag: promotedTag, environment: 'production', digest: promoted.digest, commit: promoted.commit });
    say(`  release ${promotedTag} (production config, build ${promoted.digest})`);
    await deploy('latest', 'Deploy to production', 'production');
    const forged = await forgeAndDeploy(
      { apiUrl: server.url, token: TOKEN, repository: REPOSITORY, dir, commit: releases.at(-1)!.commit },
      runDeploy,
      say,
    );
    const image = await runImageDemo({ dir, apiUrl: server.url, token: TOKEN, common, keepSummaries, check, say });

    const deployments: LedgerDeployment[] = [];
    const listed = await api<{ id: number; environment: string; ref: string; payload?: unknown }[]>(
      `${server.url}/repos/${REPOSITORY}/deployments?per_page=100`,
    );
    for (const deployment of listed.sort((a, b) => a.id - b.id)) {
      const statuses = await api<{ state: string }[]>(
        `${server.url}/repos/${REPOSITORY}/deployments/${deployment.id}/statuses?per_page=100`,
      );
      deployments.push({
        id: deployment.id,
        environment: deployment.environment,
        tag: deployment.ref,
        states: statuses.map((s) => s.state).reverse(),
      });
    }
    const files = { notes: await writeNotes(server.url, dir, releases), summaries, ledgerPage: '' };
    const connection = { token: TOKEN, apiUrl: server.url, repository: REPOSITORY, serverUrl };
    // The ledger marks each release as deploy.yml's policy would judge it (the forged one: unattested).
    const policy = await readOptionsOf(
      {
        'build-signer': 'build-release.yml',
        'release-signer': 'build-release.yml, promote.yml',
        'source-ref': 'main',
        // Outside a workflow brr has no action ref to derive the builder from: name it.
        'trusted-builder': 'OWNER/build-release-run/.github/workflows/build.yml@refs/tags/v1',
        'verify-provenance': '',
        'allow-mutable-release': '',
      },
      connection,
      { BRR_SIGSTORE_TRUSTED_ROOT: trustedRoot },
    );
    files.ledgerPage = path.join(dir, 'ledger.html');
    await writeFile(files.ledgerPage, ledgerHtml(await readLedger(connect(connection), policy), new Date()));
    return {
      releases,
      deployments,
      answers,
      dir,
      target,
      violations: [...server.responseViolations],
      files,
      apiUrl: server.url,
      forged,
      builderProbe,
      image,
      ...(options.serve ? { server } : {}),
    };
  } finally {
    if (!options.serve) await server.close();
    await sigstore.close();
  }
}

/** notes/<tag>.md: the notes of each release, read back from the API as a reviewer sees them. */
async function writeNotes(apiUrl: string, dir: string, releases: readonly LedgerRelease[]): Promise<string[]> {
  const files: string[] = [];
  await mkdir(path.join(dir, 'notes'), { recursive: true });
  for (const { tag } of releases) {
    const release = await api<{ body: string | null }>(
      `${apiUrl}/repos/${REPOSITORY}/releases/tags/${encodeURIComponent(tag)}`,
    );
    const file = path.join(dir, 'notes', `${tag}.md`);
    await writeFile(file, release.body ?? '');
    files.push(file);
  }
  return files;
}

/** ", attested: signed by <workflow>" from the job's log, or ", not attested". */
function attested(result: RunWorkflowResult, job: string): string {
  const line = result.jobs[job]?.log.find((l) => l.startsWith('Attested '));
  const signer = line?.split(' as ')[1]?.split(' (')[0];
  return signer ? `, attested: signed by ${signer}` : ', not attested';
}

export function ledger(result: DemoResult): string {
  const lines = ['', 'Ledger', '  Releases (append-only; a config change is a new release of the same build):'];
  for (const r of result.releases) {
    lines.push(`    ${r.tag.padEnd(4)} ${r.environment.padEnd(10)} ${r.digest}  commit ${r.commit.slice(0, 7)}`);
  }
  lines.push('  Deployments (newest last; states oldest first):');
  for (const d of result.deployments) {
    lines.push(`    #${String(d.id).padEnd(3)} ${d.environment.padEnd(10)} ${d.tag.padEnd(4)} ${d.states.join(' → ')}`);
  }
  lines.push('  The app answered, after each deploy:');
  for (const a of result.answers) lines.push(`    ${a.tag.padEnd(4)} ${a.environment.padEnd(10)} "${a.greeting}"`);
  lines.push(
    '  Release notes:',
    ...result.files.notes.map((file) => `    ${file}`),
    '  Job summaries:',
    ...result.files.summaries.map((file) => `    ${file}`),
    '  Ledger page (open it in a browser):',
    `    ${result.files.ledgerPage}`,
    ...imageLedger(result.image),
    `  Links (the local GitHub API, up while pnpm demo --serve runs; it wants the token, as a private repository does: curl -H 'authorization: token ${TOKEN}' URL):`,
    ...result.releases.map((r) => `    ${r.tag.padEnd(4)} ${result.apiUrl}/repos/${REPOSITORY}/releases/tags/${r.tag}`),
    `    deployments ${result.apiUrl}/repos/${REPOSITORY}/deployments`,
    '  Files:',
    `    deploy targets  ${path.join(result.target, '<environment>')} (releases/<tag>, current -> the live one)`,
    `    workflow runs   ${path.join(result.dir, 'runs')} (one folder per run: workspaces, logs' temp files)`,
    `    artifacts       ${path.join(result.dir, 'artifacts')}`,
    `    GitHub data     ${path.join(result.dir, 'github-data')}`,
    `    app repository  ${path.join(result.dir, 'app-repo')}`,
  );
  return lines.join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, serve: { type: 'boolean' } } });
  const started = Date.now();
  try {
    const result = await runDemo({ dir: values.dir ? path.resolve(values.dir) : undefined, serve: values.serve });
    console.log(ledger(result));
    console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    if (result.server !== undefined) {
      const server = result.server;
      console.log(`\nThe local GitHub API stays up at ${server.url} (token: ${TOKEN}). Ctrl-C stops it.`);
      console.log(`Try: GITHUB_API_URL=${server.url} GITHUB_TOKEN=${TOKEN} pnpm brr ledger --repo ${REPOSITORY}`);
      await new Promise<void>((resolve) => process.once('SIGINT', resolve));
      await server.close();
    }
  } catch (error: unknown) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}

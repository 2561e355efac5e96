// Moves the major tag (v1) to the commit of the release just made, as
// actions are referenced (`uses: OWNER/build-release-run/actions/build@v1`).
// Only the newest stable release of a major moves it: a pre-release, or a
// fix released for an older minor after a newer one, leaves it where it is.
//
// Plain JavaScript on purpose: it runs on the runner's own Node (20 or
// later), in a job that installs nothing. Reads GITHUB_API_URL,
// GITHUB_REPOSITORY, GITHUB_SHA (the tagged commit), GITHUB_TOKEN
// (contents: write) and RELEASED_TAG (the release action's `tag` output).
/* global fetch, AbortSignal */
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const STABLE = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
// Each request: this long for an answer, this many tries when GitHub fails or the network does.
const TIMEOUT_MS = 30_000;
const ATTEMPTS = 3;

/**
 * Which major tag to move for a release, given the tags of the repository's
 * published releases: `{ move: 'v1' }`, or `{ skip: why }`.
 *
 * @param {string} released
 * @param {readonly string[]} releaseTags
 * @returns {{ move: string } | { skip: string }}
 */
export function majorTagMove(released, releaseTags) {
  const version = STABLE.exec(released);
  if (!version) return { skip: `${released} is not a stable vMAJOR.MINOR.PATCH release` };
  const major = version[1];
  const newer = releaseTags.filter((tag) => {
    const other = STABLE.exec(tag);
    return other !== null && other[1] === major && compare(other, version) > 0;
  });
  if (newer.length > 0) return { skip: `${newer.sort().join(', ')} of the same major is newer than ${released}` };
  return { move: `v${major}` };
}

/** @param {RegExpExecArray} a @param {RegExpExecArray} b */
function compare(a, b) {
  for (const part of [1, 2, 3]) {
    const difference = Number(a[part]) - Number(b[part]);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** @param {Record<string, string | undefined>} env */
async function main(env) {
  const need = (name) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set; this script runs as a step of the release workflow.`);
    return value;
  };
  const api = `${need('GITHUB_API_URL').replace(/\/+$/, '')}/repos/${need('GITHUB_REPOSITORY')}`;
  const token = need('GITHUB_TOKEN');
  const released = need('RELEASED_TAG');
  const commit = need('GITHUB_SHA');

  /** @param {string} method @param {string} route @param {unknown} [body] */
  const request = async (method, route, body) => {
    for (let attempt = 1; ; attempt++) {
      let response;
      try {
        response = await fetch(`${api}${route}`, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${token}`,
            'x-github-api-version': '2022-11-28',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        if (attempt < ATTEMPTS) continue;
        throw new Error(`${method} ${route}: no answer after ${ATTEMPTS} tries (${error.message}).`, { cause: error });
      }
      if (response.status >= 500 && attempt < ATTEMPTS) continue;
      return response;
    }
  };
  const ok = async (response, what) => {
    if (response.ok) return response.status === 204 ? undefined : response.json();
    // GitHub's answer is shown as a JSON string: one line, whatever it holds.
    const text = JSON.stringify((await response.text()).slice(0, 300));
    throw new Error(`${what} failed with ${response.status}: ${text}`);
  };

  const releaseTags = [];
  for (let page = 1; page <= 10; page++) {
    const batch = await ok(await request('GET', `/releases?per_page=100&page=${page}`), 'Listing the releases');
    releaseTags.push(...batch.filter((release) => !release.draft && !release.prerelease).map((r) => r.tag_name));
    if (batch.length < 100) break;
  }
  const decision = majorTagMove(released, releaseTags);
  if ('skip' in decision) {
    console.log(`The major tag stays: ${decision.skip}.`);
    return;
  }
  const ref = `tags/${decision.move}`;
  const current = await request('GET', `/git/ref/${ref}`);
  if (current.status === 404) {
    await ok(await request('POST', '/git/refs', { ref: `refs/${ref}`, sha: commit }), `Creating ${decision.move}`);
  } else {
    await ok(current, `Reading ${decision.move}`);
    await ok(await request('PATCH', `/git/refs/${ref}`, { sha: commit, force: true }), `Moving ${decision.move}`);
  }
  console.log(`${decision.move} now points at ${commit} (${released}).`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.env).catch((error) => {
    // A workflow command's message: %, CR and LF escaped as the runner reads them.
    const message = String(error.message).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    console.log(`::error::Moving the major tag: ${message}`);
    process.exitCode = 1;
  });
}

// The id GitHub answers for a stored attestation becomes the release
// action's `attestation-id` output and a log line: a hostile or broken API
// (a proxy in between, a server that is not GitHub) answering text there
// must not reach either. Only a positive integer is taken.
import { describe, expect, it } from '@jest/globals';
import { ApiClient, type GitHubRequest } from '@build-release-run/github-api';
import { type SerializedBundle, storeAttestation } from '../src/index.ts';

function answering(id: unknown): ApiClient {
  const request: GitHubRequest = async (route) => {
    expect(route).toBe('POST /repos/{owner}/{repo}/attestations');
    return { status: 201, url: 'http://127.0.0.1/attestations', headers: {}, data: { id } };
  };
  return new ApiClient({ request, repository: 'octo/app' });
}

describe('storeAttestation', () => {
  it('takes the id GitHub answers', async () => {
    await expect(storeAttestation(answering(4021), {} as SerializedBundle)).resolves.toBe(4021);
  });

  it.each([
    ['text that would start a workflow command', '7\n::add-mask::release'],
    ['a number as text', '7'],
    ['zero', 0],
    ['a negative number', -3],
    ['a fraction', 1.5],
    ['a number past 2^53', 2 ** 60],
    ['nothing', undefined],
  ])('takes no id from %s', async (_label, id) => {
    await expect(storeAttestation(answering(id), {} as SerializedBundle)).resolves.toBeUndefined();
  });
});

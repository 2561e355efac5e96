/**
 * A registry with token auth whose realm is the local GitHub server's
 * `/ghcr/token`, as `https://ghcr.io/token` is GHCR's: the GitHub tokens the
 * server knows are the registry passwords.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REGISTRY_TOKEN_PATH } from '@build-release-run/github-server';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '../github-server.ts';
import { makeTokenKeys, startRegistry, type TestRegistry } from './registry-server.ts';

export interface TokenRegistry {
  registry: TestRegistry;
  github: TestGitHub;
  /** Credentials the realm accepts (any username, a token of the GitHub server). */
  credentials: { username: string; password: string };
  close(): Promise<void>;
}

export async function startTokenRegistry(): Promise<TokenRegistry> {
  const keysDir = await mkdtemp(path.join(tmpdir(), 'brr-token-keys-'));
  const keys = makeTokenKeys('test-registry', 'test-github-server', keysDir);
  const github = await startTestGitHub({ registryTokens: keys });
  let registry: TestRegistry;
  try {
    registry = await startRegistry({
      tokenAuth: {
        realm: `${github.server.url}${REGISTRY_TOKEN_PATH}`,
        service: keys.service,
        issuer: keys.issuer,
        certificatePem: keys.certificatePem,
      },
    });
  } catch (error) {
    await github.close();
    await rm(keysDir, { recursive: true, force: true });
    throw error;
  }
  return {
    registry,
    github,
    credentials: { username: 'octocat', password: TEST_TOKEN },
    async close() {
      await registry.stop();
      await github.close();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}

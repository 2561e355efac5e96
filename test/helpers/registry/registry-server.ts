/**
 * A real CNCF distribution registry (Debian's `docker-registry`) for tests:
 * `docker-registry serve config.yml` on 127.0.0.1 with a free port and
 * filesystem storage in a temporary folder, removed by stop(). With
 * `tokenAuth`, it answers 401 with a Bearer challenge naming the given realm
 * and accepts only JWTs signed by the key whose certificate it is given.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RegistryTokenOptions } from '@build-release-run/github-server';

export interface TokenAuth {
  realm: string;
  service: string;
  issuer: string;
  certificatePem: string;
}

export interface TestRegistry {
  /** `127.0.0.1:<port>`: the registry part of an image reference. */
  host: string;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  stop(): Promise<void>;
}

export async function startRegistry(options: { tokenAuth?: TokenAuth } = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(path.join(tmpdir(), 'brr-registry-'));
  const port = await freePort();
  const auth = options.tokenAuth;
  if (auth !== undefined) await writeFile(path.join(dir, 'token-ca.pem'), auth.certificatePem);
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: test-only-secret',
    ...(auth === undefined
      ? []
      : [
          'auth:',
          '  token:',
          `    realm: ${auth.realm}`,
          `    service: ${auth.service}`,
          `    issuer: ${auth.issuer}`,
          `    rootcertbundle: ${path.join(dir, 'token-ca.pem')}`,
        ]),
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'config.yml'), config);
  const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(url, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: `127.0.0.1:${port}`, url, stop };
}

/** A P-256 signing key and a self-signed certificate for it (openssl), for the token realm and the registry. */
export function makeTokenKeys(service: string, issuer: string, dir: string): RegistryTokenOptions {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keyFile = path.join(dir, 'token-key.pem');
  execFileSync('sh', ['-c', 'umask 077 && cat > "$0"', keyFile], { input: privateKeyPem });
  const certificatePem = execFileSync(
    'openssl',
    ['req', '-x509', '-new', '-key', keyFile, '-subj', `/CN=${issuer}`, '-days', '2', '-sha256'],
    { encoding: 'utf8' },
  );
  return { service, issuer, privateKeyPem, certificatePem };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitUntilServing(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr()}`);
    try {
      const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`docker-registry did not answer on ${url} within 30 s: ${stderr()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

// The blob side of the artifact service: Microsoft's Azure Storage emulator
// (npm `azurite`), the same Blob REST API that GitHub's artifact storage
// hands out signed URLs for. Started on 127.0.0.1, stopped with the service.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, connect } from 'node:net';
import path from 'node:path';

/** Azurite's built-in development account (documented, public, not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface BlobEmulator {
  /** `http://127.0.0.1:<port>/devstoreaccount1`: the account's blob endpoint. */
  readonly accountUrl: string;
  stop(): Promise<void>;
}

function azuriteBlobMain(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'blob', 'main.js');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts azurite's blob service with its data in `location`; resolves once it accepts connections. */
export async function startBlobEmulator(location: string): Promise<BlobEmulator> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      azuriteBlobMain(),
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--location',
      location,
      '--silent',
      '--disableTelemetry',
      // @azure/storage-blob may speak a newer service version than this
      // azurite release knows; the operations used here are old ones.
      '--skipApiVersionCheck',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));

  const deadline = Date.now() + 30_000;
  while (!(await accepts(port))) {
    if (!running || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`azurite did not start on 127.0.0.1:${port}: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    accountUrl: `http://127.0.0.1:${port}/${DEV_ACCOUNT}`,
    async stop() {
      if (!running) return;
      // SIGTERM lets azurite write its metadata to `location` before it exits.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

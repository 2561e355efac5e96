// A local Sigstore on 127.0.0.1: Fulcio, Rekor (v1) and a timestamp
// authority, each one of @sigstore/mock's handlers, behind one node:http
// server, with the trusted root that verifies what they sign.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import {
  fulcioHandler,
  initializeCA,
  initializeCTLog,
  initializeTLog,
  initializeTSA,
  rekorHandler,
  tsaHandler,
} from '@sigstore/mock';
import { SUBJECT_CLAIM, githubFulcioHandler } from './fulcio-github.ts';
import type { TrustedIssuer } from './oidc-issuer.ts';
import { trustedRootJson } from './trusted-root.ts';

export interface SigstoreServerOptions {
  /** The OIDC issuers Fulcio accepts tokens from (the local runner's). */
  trustedIssuers: readonly TrustedIssuer[];
  port?: number;
}

export interface SigstoreServer {
  /** Base URL of Fulcio, Rekor and the TSA alike (they answer different paths). */
  url: string;
  /** The trusted root (Sigstore's trusted_root.json format) that verifies this instance. */
  trustedRoot: unknown;
  close(): Promise<void>;
}

const newKeys = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

export async function startSigstoreServer(options: SigstoreServerOptions): Promise<SigstoreServer> {
  const since = new Date(Date.now() - 60_000);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const ctlog = await initializeCTLog(newKeys());
  const ca = await initializeCA(newKeys(), ctlog);
  const tlog = await initializeTLog(url, newKeys());
  // The mock TSA stamps the Date it was given, or a new one with
  // milliseconds that @sigstore/core's GeneralizedTime parser refuses: hand
  // it one Date, set to the current whole second before each request.
  const tsaClock = new Date();
  const tsa = await initializeTSA(newKeys(), tsaClock);
  const handlers = [
    githubFulcioHandler(fulcioHandler(ca, { subjectClaim: SUBJECT_CLAIM }), options.trustedIssuers),
    rekorHandler(tlog),
    tsaHandler(tsa),
  ];

  server.on('request', (req, res) => {
    const handler = handlers.find((h) => h.path === new URL(req.url ?? '/', url).pathname);
    if (!handler || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    tsaClock.setTime(Math.floor(Date.now() / 1000) * 1000);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handler
        .fn(Buffer.concat(chunks).toString('utf8'))
        .then(({ statusCode, response, contentType }) => {
          const body =
            typeof response === 'string'
              ? response
              : Buffer.from(response.buffer, response.byteOffset, response.byteLength);
          res.writeHead(statusCode, { 'content-type': contentType ?? 'text/plain' }).end(body);
        })
        .catch((error: unknown) => res.writeHead(500).end(String(error)));
    });
  });

  const der = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const trustedRoot = trustedRootJson({
    fulcioUrl: url,
    rekorUrl: url,
    tsaUrl: url,
    caRoot: der(ca.rootCertificate),
    ctlogKey: ctlog.publicKey,
    ctlogId: der(ctlog.logID),
    rekorKey: tlog.publicKey,
    tsaChain: [der(tsa.intCertificate), der(tsa.rootCertificate)],
    since,
  });
  return {
    url,
    trustedRoot,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

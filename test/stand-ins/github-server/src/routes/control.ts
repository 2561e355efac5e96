/** The control endpoint, outside GitHub's paths: faults, the request log, test-only corruption. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFault, type FaultController } from '../faults.ts';
import { readJsonBody, sendJson } from '../http.ts';
import type { GitHubServer, RequestLogEntry } from '../server.ts';

export interface ControlDeps {
  faults: FaultController;
  requests: RequestLogEntry[];
  responseViolations: string[];
  server: Pick<GitHubServer, 'corruptAsset' | 'setImmutableReleases'>;
}

export async function handleControl(
  { faults, requests, responseViolations, server }: ControlDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
): Promise<void> {
  const route = `${method} ${url.pathname}`;
  try {
    if (route === 'POST /_control/faults') {
      const id = faults.add(parseFault(await readJsonBody(req)));
      return sendJson(res, 201, { id });
    }
    if (route === 'DELETE /_control/faults') {
      faults.clear();
      return sendJson(res, 204, undefined);
    }
    if (route === 'GET /_control/requests') return sendJson(res, 200, requests);
    if (route === 'GET /_control/response-violations') return sendJson(res, 200, responseViolations);
    const corrupt = /^POST \/_control\/assets\/(\d+)\/corrupt$/.exec(route);
    if (corrupt) {
      await server.corruptAsset(Number(corrupt[1]));
      return sendJson(res, 204, undefined);
    }
    const immutable = /^PUT \/_control\/repos\/([^/]+)\/([^/]+)\/immutable-releases$/.exec(route);
    if (immutable) {
      const body = (await readJsonBody(req)) as { enabled?: unknown } | undefined;
      if (typeof body?.enabled !== 'boolean') throw new Error('body must be {"enabled": true|false}');
      server.setImmutableReleases(`${immutable[1]}/${immutable[2]}`, body.enabled);
      return sendJson(res, 204, undefined);
    }
    sendJson(res, 404, { message: `unknown control route ${route}` });
  } catch (error) {
    sendJson(res, 400, { message: error instanceof Error ? error.message : String(error) });
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActiveFaults } from './faults.ts';
import type { IdSequence, RepositoryState } from './model.ts';
import type { MatchedOperation } from './openapi/validator.ts';
import type { Urls } from './serialize.ts';
import type { AssetStorage } from './storage.ts';

/** One API request as a handler sees it, after auth, routing and validation. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly op: MatchedOperation;
  readonly repo: RepositoryState;
  /** Path and query parameters, coerced to the description's types (defaults applied). */
  readonly params: Record<string, unknown>;
  /** The parsed JSON body; undefined for uploads (their body is the raw stream). */
  readonly body: unknown;
  readonly urls: Urls;
  readonly ids: IdSequence;
  readonly storage: AssetStorage;
  readonly faults: ActiveFaults;
  /** False for read-only tokens: GitHub shows drafts only to callers with push access. */
  readonly canPush: boolean;
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  /** 201 with `Location: <the new resource's url>`, as GitHub answers a creation on its API host. */
  created(body: Record<string, unknown>): void;
  empty(status: number, headers?: Record<string, string>): void;
}

export type Handler = (x: Exchange) => Promise<void>;

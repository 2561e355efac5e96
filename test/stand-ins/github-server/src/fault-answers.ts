/**
 * How an API request answers the faults armed for it (faults.ts decides
 * which fire): a delay, a status, a reset connection, or one of GitHub's two
 * rate-limit answers. Upload resets and `break-response` act later, in the
 * upload handler and the responder.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Budget } from './auth.ts';
import { type ActiveFaults, waitOutSlow } from './faults.ts';
import { DEFAULT_DOCS, sendJson } from './http.ts';
import type { MatchedOperation } from './openapi/validator.ts';
import { UPLOAD_OPERATION } from './routes.ts';

export interface FaultedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  op: MatchedOperation;
  budget: Budget;
  requestId: string;
}

/** Applies the faults that fire on this request; true when one of them answered it. */
export async function answerFaults(
  active: ActiveFaults,
  { req, res, op, budget, requestId }: FaultedRequest,
): Promise<boolean> {
  if (!(await waitOutSlow(active, res))) return true;
  const statusFault = active.get('status');
  if (statusFault !== undefined) {
    req.resume();
    const status = statusFault.status ?? 500;
    sendJson(res, status, {
      message: status === 502 ? 'Server Error' : 'Internal Server Error',
      documentation_url: DEFAULT_DOCS,
    });
    return true;
  }
  if (active.get('reset') !== undefined && op.operationId !== UPLOAD_OPERATION) {
    // Uploads reset mid-body (in their handler); anything else before answering.
    req.socket.destroy();
    return true;
  }
  if (active.get('primary-rate-limit') !== undefined) {
    req.resume();
    res.setHeader('x-ratelimit-remaining', '0');
    res.setHeader('x-ratelimit-used', String(budget.limit));
    sendJson(res, 403, {
      message: 'API rate limit exceeded for installation ID 1.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit',
      status: '403',
    });
    return true;
  }
  const limited = active.get('secondary-rate-limit');
  if (limited !== undefined) {
    req.resume();
    const status = limited.status ?? 403;
    sendJson(
      res,
      status,
      {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ' +
          requestId +
          '.',
        documentation_url:
          'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: String(status),
      },
      { 'retry-after': String(limited.retryAfter ?? 60) },
    );
    return true;
  }
  return false;
}

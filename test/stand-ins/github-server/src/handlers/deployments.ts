/**
 * Deployments and their statuses, with GitHub's semantics:
 * - `auto_merge` (default true): a ref behind the default branch would be
 *   merged by GitHub, which answers 202 with a message and creates no
 *   deployment. This server answers the same 202 but does not merge.
 * - `required_contexts` (default: every context with a status on the commit):
 *   every named context must be `success`, else 409. This server records no
 *   commit statuses, so any named context is missing; `[]` or omitted passes.
 * - `auto_inactive` (default true): a `success` status marks older successful
 *   non-transient deployments in the same environment `inactive`.
 */
import type { Exchange, Handler } from '../exchange.ts';
import { ApiError, notFound, paginate, timestamp, tooLong, unprocessable } from '../http.ts';
import type { Deployment, DeploymentState, DeploymentStatus } from '../model.ts';
import { deploymentJson, deploymentStatusJson } from '../serialize.ts';

function findDeployment(x: Exchange): Deployment {
  const deployment = x.repo.deployments.get(Number(x.params.deployment_id));
  if (deployment === undefined) throw notFound(x.op.documentationUrl);
  return deployment;
}

function latestState(d: Deployment): DeploymentState | undefined {
  return d.statuses.at(-1)?.state;
}

const createDeployment: Handler = (x) =>
  x.repo.lock.run(async () => {
    const body = x.body as {
      ref: string;
      task?: string;
      auto_merge?: boolean;
      required_contexts?: string[];
      payload?: Record<string, unknown> | string;
      environment?: string;
      description?: string | null;
      transient_environment?: boolean;
      production_environment?: boolean;
    };
    const sha = await x.repo.git.resolveCommit(body.ref);
    if (sha === undefined) throw unprocessable(`No ref found for: ${body.ref}`, x.op.documentationUrl);

    if (body.auto_merge !== false) {
      const defaultBranch = await x.repo.git.defaultBranch();
      const isOtherBranch =
        body.ref !== defaultBranch && (await x.repo.git.getRef(`refs/heads/${body.ref}`)) !== undefined;
      const base = await x.repo.git.resolveCommit(defaultBranch);
      if (isOtherBranch && base !== undefined && !(await x.repo.git.isAncestor(base, sha))) {
        x.json(202, { message: `Auto-merged ${defaultBranch} into ${body.ref} on deployment.` });
        return;
      }
    }
    const required = body.required_contexts ?? [];
    if (required.length > 0) {
      throw new ApiError(409, {
        message: `Conflict: Commit status checks failed for ${body.ref}.`,
        errors: [
          {
            contexts: required.map((context) => ({ context, state: 'missing' })),
            resource: 'Deployment',
            field: 'required_contexts',
          },
        ],
        documentation_url: x.op.documentationUrl,
        status: '409',
      });
    }
    const environment = body.environment ?? 'production';
    const now = timestamp();
    const deployment: Deployment = {
      id: x.ids.next(),
      sha,
      ref: body.ref,
      task: body.task ?? 'deploy',
      payload: body.payload ?? {},
      originalEnvironment: environment,
      environment,
      description: body.description ?? null,
      transientEnvironment: body.transient_environment ?? false,
      productionEnvironment: body.production_environment ?? environment === 'production',
      createdAt: now,
      updatedAt: now,
      statuses: [],
    };
    x.repo.deployments.set(deployment.id, deployment);
    x.created(deploymentJson(x.urls, x.repo, deployment));
  });

const listDeployments: Handler = async (x) => {
  const { sha, ref, task, environment } = x.params as Record<string, string | undefined>;
  const matching = [...x.repo.deployments.values()]
    .filter(
      (d) =>
        (sha === undefined || sha === 'none' || d.sha === sha) &&
        (ref === undefined || ref === 'none' || d.ref === ref),
    )
    .filter((d) => task === undefined || task === 'none' || d.task === task)
    .filter((d) => environment === undefined || environment === 'none' || d.environment === environment)
    .sort((a, b) => b.id - a.id);
  const perPage = Number(x.params.per_page ?? 30);
  const page = Number(x.params.page ?? 1);
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ sha, ref, task, environment }))
    if (value !== undefined) query.set(key, value);
  const { items, link } = paginate(matching, perPage, page, (p) => {
    query.set('per_page', String(perPage));
    query.set('page', String(p));
    return `${x.urls.api}/repos/${x.repo.fullName}/deployments?${query.toString()}`;
  });
  x.json(
    200,
    items.map((d) => deploymentJson(x.urls, x.repo, d)),
    link === undefined ? {} : { link },
  );
};

const getDeployment: Handler = async (x) => {
  x.json(200, deploymentJson(x.urls, x.repo, findDeployment(x)));
};

const deleteDeployment: Handler = (x) =>
  x.repo.lock.run(async () => {
    const deployment = findDeployment(x);
    // The description's rule: the only deployment of the repository may go
    // whatever its status; otherwise only an inactive one, and "any
    // non-successful deployment status" makes a deployment inactive.
    if (latestState(deployment) === 'success' && x.repo.deployments.size > 1) {
      throw unprocessable(
        'We cannot delete an active deployment unless it is the only deployment in a given environment.',
        x.op.documentationUrl,
      );
    }
    x.repo.deployments.delete(deployment.id);
    x.empty(204);
  });

const MAX_DESCRIPTION = 140;

const createDeploymentStatus: Handler = (x) =>
  x.repo.lock.run(async () => {
    const deployment = findDeployment(x);
    const body = x.body as {
      state: DeploymentState;
      target_url?: string;
      log_url?: string;
      description?: string;
      environment?: string;
      environment_url?: string;
      auto_inactive?: boolean;
    };
    const description = body.description ?? '';
    const tooLongError = tooLong(
      'DeploymentStatus',
      'description',
      description,
      MAX_DESCRIPTION,
      x.op.documentationUrl,
    );
    if (tooLongError) throw tooLongError;
    const environment = body.environment ?? deployment.statuses.at(-1)?.environment ?? deployment.environment;
    const logUrl = body.log_url ?? body.target_url ?? '';
    const status: DeploymentStatus = {
      id: x.ids.next(),
      deploymentId: deployment.id,
      state: body.state,
      description,
      environment,
      // Setting log_url sets target_url to the same value.
      targetUrl: body.log_url ?? body.target_url ?? '',
      logUrl,
      environmentUrl: body.environment_url ?? '',
      createdAt: timestamp(),
    };
    deployment.statuses.push(status);
    deployment.environment = environment;
    deployment.updatedAt = status.createdAt;

    if (body.state === 'success' && body.auto_inactive !== false) {
      for (const other of x.repo.deployments.values()) {
        if (other.id === deployment.id || other.id > deployment.id) continue;
        if (other.environment !== environment || other.transientEnvironment) continue;
        if (latestState(other) !== 'success') continue;
        const inactive: DeploymentStatus = {
          ...status,
          id: x.ids.next(),
          deploymentId: other.id,
          state: 'inactive',
          description: '',
          environmentUrl: '',
          targetUrl: '',
          logUrl: '',
        };
        other.statuses.push(inactive);
        other.updatedAt = inactive.createdAt;
      }
    }
    x.created(deploymentStatusJson(x.urls, x.repo, status));
  });

const listDeploymentStatuses: Handler = async (x) => {
  const deployment = findDeployment(x);
  const perPage = Number(x.params.per_page ?? 30);
  const page = Number(x.params.page ?? 1);
  const newestFirst = [...deployment.statuses].reverse();
  const { items, link } = paginate(
    newestFirst,
    perPage,
    page,
    (p) => `${x.urls.api}/repos/${x.repo.fullName}/deployments/${deployment.id}/statuses?per_page=${perPage}&page=${p}`,
  );
  x.json(
    200,
    items.map((s) => deploymentStatusJson(x.urls, x.repo, s)),
    link === undefined ? {} : { link },
  );
};

const getDeploymentStatus: Handler = async (x) => {
  const deployment = findDeployment(x);
  const status = deployment.statuses.find((s) => s.id === Number(x.params.status_id));
  if (status === undefined) throw notFound(x.op.documentationUrl);
  x.json(200, deploymentStatusJson(x.urls, x.repo, status));
};

export const deploymentHandlers = {
  'repos/create-deployment': createDeployment,
  'repos/list-deployments': listDeployments,
  'repos/get-deployment': getDeployment,
  'repos/delete-deployment': deleteDeployment,
  'repos/create-deployment-status': createDeploymentStatus,
  'repos/list-deployment-statuses': listDeploymentStatuses,
  'repos/get-deployment-status': getDeploymentStatus,
} satisfies Record<string, Handler>;

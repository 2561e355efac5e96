/** Labels: only creation, so the recorded `errors` scenario of @octokit/fixtures replays. */
import type { Handler } from '../exchange.ts';
import { validationFailed } from '../http.ts';
import { labelJson } from '../serialize.ts';

const createLabel: Handler = (x) =>
  x.repo.lock.run(async () => {
    const body = x.body as { name: string; color?: string; description?: string };
    const color = (body.color ?? 'ededed').replace(/^#/, '');
    if (!/^[0-9a-fA-F]{6}$/.test(color)) {
      throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'color' }], x.op.documentationUrl);
    }
    if (x.repo.labels.has(body.name.toLowerCase())) {
      throw validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }], x.op.documentationUrl);
    }
    const label = {
      id: x.ids.next(),
      name: body.name,
      color: color.toLowerCase(),
      description: body.description ?? null,
    };
    x.repo.labels.set(body.name.toLowerCase(), label);
    x.created(labelJson(x.urls, x.repo, label));
  });

export const labelHandlers = { 'issues/create-label': createLabel } satisfies Record<string, Handler>;

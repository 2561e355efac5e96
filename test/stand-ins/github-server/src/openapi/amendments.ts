/**
 * Where GitHub's published description and GitHub's observed behaviour
 * differ, and the suite depends on the behaviour. Each amendment is applied
 * to the loaded subset (never to the committed file, which stays a faithful
 * extract) and says why.
 */
import type { OpenApiDocument } from './subset.ts';

export const AMENDMENTS: { what: string; why: string; apply(doc: OpenApiDocument): void }[] = [
  {
    what: 'release-asset.state also takes "starter"',
    why: 'The description lists "uploaded" and "open", but an interrupted upload leaves an asset in state "starter" (widely reported by release tooling), and the suite must handle it.',
    apply(doc) {
      const state = (doc.components.schemas?.['release-asset'] as { properties: { state: { enum: string[] } } })
        .properties.state;
      if (!state.enum.includes('starter')) state.enum.push('starter');
    },
  },
  {
    what: 'deployment-status target_url, environment_url and log_url also take ""',
    why: 'The description types them `format: uri` with `default: ""`, and GitHub sends that "" for a status given no URL; a `uri` is never empty, so the default it states would fail its own schema.',
    apply(doc) {
      const properties = (doc.components.schemas?.['deployment-status'] as { properties: Record<string, object> })
        .properties;
      for (const name of ['target_url', 'environment_url', 'log_url']) {
        const schema = properties[name];
        if (schema === undefined) throw new Error(`deployment-status has no ${name} to amend`);
        properties[name] = { anyOf: [{ type: 'string', maxLength: 0 }, schema] };
      }
    },
  },
];

export function amend(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(doc);
  for (const amendment of AMENDMENTS) amendment.apply(copy);
  return copy;
}

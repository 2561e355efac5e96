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
];

export function amend(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(doc);
  for (const amendment of AMENDMENTS) amendment.apply(copy);
  return copy;
}

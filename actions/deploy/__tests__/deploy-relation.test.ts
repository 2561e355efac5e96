import { describe, expect, it } from '@jest/globals';
import { type ReleaseOrder, deployRelation } from '../src/deploy-relation.ts';

const release = (
  tag_name: string,
  id: number,
  published_at: string | null,
  created_at = '2026-01-01T00:00:00Z',
): ReleaseOrder => ({
  tag_name,
  id,
  published_at,
  created_at,
});

describe('deployRelation', () => {
  it.each([
    ['nothing live before', release('v2', 2, '2026-02-01T00:00:00Z'), null, 'first'],
    ['the same tag', release('v2', 2, '2026-02-01T00:00:00Z'), release('v2', 2, '2026-02-01T00:00:00Z'), 'redeploy'],
    [
      'published before the live one',
      release('v1', 1, '2026-01-01T00:00:00Z'),
      release('v2', 2, '2026-02-01T00:00:00Z'),
      'rollback',
    ],
    [
      'published after the live one',
      release('v3', 3, '2026-03-01T00:00:00Z'),
      release('v2', 2, '2026-02-01T00:00:00Z'),
      'update',
    ],
    // Tags do not decide: v10 was published first, so going to it is a rollback.
    [
      'older by time, not by spelling',
      release('v10', 5, '2026-01-01T00:00:00Z'),
      release('v9', 6, '2026-02-01T00:00:00Z'),
      'rollback',
    ],
    [
      'the same second: the lower ID is older',
      release('a', 7, '2026-01-01T00:00:00Z'),
      release('b', 8, '2026-01-01T00:00:00Z'),
      'rollback',
    ],
    [
      'unpublished time: created_at',
      release('a', 9, null, '2026-05-01T00:00:00Z'),
      release('b', 8, null, '2026-04-01T00:00:00Z'),
      'update',
    ],
  ] as const)('%s', (_name, asked, live, expected) => {
    expect(deployRelation(asked, live)).toBe(expected);
  });
});

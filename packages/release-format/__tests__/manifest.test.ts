import { describe, expect, it } from '@jest/globals';
import {
  MANIFEST_SCHEMA,
  type ReleaseManifest,
  archiveAssetName,
  parseArchiveAssetName,
  parseManifest,
  serializeManifest,
} from '../src/index.ts';

const digest = `sha256:${'ab'.repeat(32)}` as const;

function manifest(): ReleaseManifest {
  return {
    schema: MANIFEST_SCHEMA,
    tag: 'v3',
    version: '3',
    environment: 'production',
    build: {
      digest,
      archive: 'app-abababababab.tar.zst',
      format: 'tar.zst',
      size: 123,
      commit: 'c'.repeat(40),
      ref: 'refs/heads/main',
    },
    config: { asset: 'config.env', digest, keys: ['A', 'B'], secretKeys: ['DB_PASSWORD'] },
    previous: { tag: 'v2', buildDigest: digest },
    run: { id: '123', attempt: '1', url: 'https://github.com/o/r/actions/runs/123' },
    actor: 'octocat',
    createdAt: '2026-11-21T00:00:00.000Z',
  };
}

describe('release.json', () => {
  it('serializes with 2-space indent, a trailing newline and a fixed key order', () => {
    const { schema, createdAt, ...rest } = manifest();
    const reordered: ReleaseManifest = { createdAt, ...rest, schema };
    const text = serializeManifest(reordered);
    expect(text).toBe(serializeManifest(manifest()));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe(`  "schema": "${MANIFEST_SCHEMA}",`);
    expect(parseManifest(text)).toEqual(manifest());
  });

  it('accepts a first release (previous: null)', () => {
    expect(parseManifest(serializeManifest({ ...manifest(), previous: null })).previous).toBeNull();
  });

  it.each<[string, (m: Record<string, unknown>) => void, RegExp]>([
    ['another schema', (m) => (m.schema = 'x@2'), /schema must be/],
    ['a version that is not the tag', (m) => (m.version = '4'), /does not match tag/],
    ['a bad build digest', (m) => ((m.build as Record<string, unknown>).digest = 'sha256:1'), /build\.digest/],
    ['an unknown format', (m) => ((m.build as Record<string, unknown>).format = 'zip'), /build\.format/],
    ['a negative size', (m) => ((m.build as Record<string, unknown>).size = -1), /build\.size/],
    ['a short commit', (m) => ((m.build as Record<string, unknown>).commit = 'abc'), /build\.commit/],
    ['a bad key list', (m) => ((m.config as Record<string, unknown>).keys = ['1X']), /config\.keys/],
    ['a missing run', (m) => delete m.run, /run must be an object/],
    ['a bad time', (m) => (m.createdAt = 'yesterday'), /createdAt/],
  ])('refuses %s', (_name, spoil, message) => {
    const value = JSON.parse(serializeManifest(manifest())) as Record<string, unknown>;
    spoil(value);
    expect(() => parseManifest(JSON.stringify(value))).toThrow(message);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseManifest('{')).toThrow(/not JSON/);
  });
});

describe('archive asset name', () => {
  it('is <build name>-<short digest>.<format> and splits back', () => {
    const name = archiveAssetName('my-app', digest, 'tar.gz');
    expect(name).toBe('my-app-abababababab.tar.gz');
    expect(parseArchiveAssetName(name)).toEqual({ buildName: 'my-app', short: 'abababababab', format: 'tar.gz' });
    expect(parseArchiveAssetName('my-app.tar.gz')).toBeUndefined();
  });
});

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

  it('accepts a bot actor, a release number and a timestamp version', () => {
    for (const [tag, version] of [
      ['v7', '7'],
      ['20261121.234500.2', '20261121.234500.2'],
      ['v1.2.3-rc.1+b.5', '1.2.3-rc.1+b.5'],
    ]) {
      const m = { ...manifest(), tag: tag!, version: version!, actor: 'github-actions[bot]' };
      expect(parseManifest(serializeManifest(m)).tag).toBe(tag);
    }
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
    ['a missing run', (m) => delete m.run, /run is missing/],
    ['a bad time', (m) => (m.createdAt = 'yesterday'), /createdAt/],
    // Text that would become workflow commands, shell or links downstream: each refused by its producer's rule.
    [
      'an environment with a newline and ::',
      (m) => (m.environment = 'staging\n::add-mask::Deployed\n::stop-commands::x'),
      /release\.json: environment must be a deploy target.*got "staging\\n::add-mask/,
    ],
    ['an environment with a DEL', (m) => (m.environment = 'prod\u007f'), /release\.json: environment must be/],
    [
      'a tag with shell',
      (m) => ((m.tag = 'v9$(echo${IFS}INJECTED>&2)'), (m.version = '9$(echo${IFS}INJECTED>&2)')),
      /release\.json: tag must be a release tag/,
    ],
    [
      'a previous tag with a newline',
      (m) => ((m.previous as Record<string, unknown>).tag = 'v1\n::x'),
      /previous\.tag/,
    ],
    ['a version that is no version', (m) => ((m.tag = 'vx'), (m.version = 'x')), /release\.json: version must be/],
    ['an extra field', (m) => (m.notes = 'hi'), /"notes" is not a field of/],
    ['an extra nested field', (m) => ((m.build as Record<string, unknown>).url = 'x'), /build\."url" is not a field/],
    [
      'an archive name of another digest',
      (m) => ((m.build as Record<string, unknown>).archive = 'app-cdcdcdcdcdcd.tar.zst'),
      /build\.archive must be/,
    ],
    [
      'an archive name with a path',
      (m) => ((m.build as Record<string, unknown>).archive = '../app-abababababab.tar.zst'),
      /build\.archive must be/,
    ],
    ['a ref with a newline', (m) => ((m.build as Record<string, unknown>).ref = 'refs/heads/a\n::x'), /build\.ref/],
    ['another config asset', (m) => ((m.config as Record<string, unknown>).asset = '../config.env'), /config\.asset/],
    ['unsorted keys', (m) => ((m.config as Record<string, unknown>).keys = ['B', 'A']), /config\.keys must be sorted/],
    ['a key also secret', (m) => ((m.config as Record<string, unknown>).keys = ['A', 'DB_PASSWORD']), /in both/],
    ['a run id with text', (m) => ((m.run as Record<string, unknown>).id = '1 ::x'), /run\.id/],
    [
      'a run url elsewhere',
      (m) => ((m.run as Record<string, unknown>).url = 'javascript:alert(1)//actions/runs/1'),
      /run\.url/,
    ],
    ['an actor with a link', (m) => (m.actor = '[x](http://evil)'), /actor must be a GitHub login/],
    ['a time with text after it', (m) => (m.createdAt = '2026-11-21T00:00:00.000Z\n::x'), /createdAt/],
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

import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  MANIFEST_SCHEMA,
  RELEASE_SCHEMA,
  type ReleaseManifest,
  archiveAssetName,
  imageManifestAssetName,
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

describe('release.json of a build made by the reusable build workflow', () => {
  const builder = 'OWNER/build-release-run/.github/workflows/build.yml@refs/tags/v1';
  const withBuilder = (value: string): ReleaseManifest => ({
    ...manifest(),
    build: { ...manifest().build, builder: value },
  });

  it('records the builder last in build, and reads back the same; absent for the plain action', () => {
    const text = serializeManifest(withBuilder(builder));
    expect(Object.keys((JSON.parse(text) as { build: object }).build).at(-1)).toBe('builder');
    expect(parseManifest(text)).toEqual(withBuilder(builder));
    expect(serializeManifest(manifest())).not.toContain('builder');
  });

  it.each([
    ['a workflow at a commit', `OWNER/build-release-run/.github/workflows/build.yml@${'a'.repeat(40)}`],
    ['a workflow at a branch', 'o/r/.github/workflows/build.yaml@refs/heads/main'],
  ])('accepts %s', (_name, value) => {
    expect(parseManifest(serializeManifest(withBuilder(value))).build.builder).toBe(value);
  });

  it.each([
    ['a URL', `https://github.com/${builder}`],
    ['no ref', 'OWNER/build-release-run/.github/workflows/build.yml'],
    ['a short ref', 'OWNER/build-release-run/.github/workflows/build.yml@v1'],
    ['a file outside .github/workflows', 'OWNER/build-release-run/build.yml@refs/tags/v1'],
    ['a ref that climbs', 'o/r/.github/workflows/b.yml@refs/tags/../x'],
    ['a new line', `${builder}\n::warning::x`],
  ])('refuses %s, naming the field', (_name, value) => {
    const text = JSON.stringify({ ...manifest(), build: { ...manifest().build, builder: value } });
    expect(() => parseManifest(text)).toThrow(/release\.json: build\.builder must be a builder workflow/);
  });
});

describe('release.json with attached files', () => {
  const sbom = { name: 'app.spdx.json', digest, size: 40 };
  const withAttachments = (attachments: unknown[]) =>
    JSON.stringify({ ...JSON.parse(serializeManifest(manifest())), attachments });

  it('lists them after config and reads back the same; absent when there are none', () => {
    const value = { ...manifest(), attachments: [sbom, { name: 'app.sig', digest, size: 2 }].reverse() };
    value.attachments.sort((a, b) => (a.name < b.name ? -1 : 1));
    const text = serializeManifest(value);
    expect(Object.keys(JSON.parse(text) as object)).toContain('attachments');
    expect(parseManifest(text)).toEqual(value);
    expect(serializeManifest(manifest())).not.toContain('attachments');
  });

  it.each<[string, unknown[], RegExp]>([
    ['an empty list', [], /attachments must be a non-empty list/],
    [
      'a name with a slash',
      [{ ...sbom, name: '../x' }],
      /release\.json: attachments\[0\]\.name must be an attached file name: use .*; got "\.\.\/x"/,
    ],
    ['config.env', [{ ...sbom, name: 'config.env' }], /'config\.env' is the name of one of the release's own assets/],
    ['the archive', [{ ...sbom, name: 'app-abababababab.tar.zst' }], /one of the release's own assets/],
    ['a name twice', [sbom, sbom], /attachments lists app\.spdx\.json twice/],
    ['unsorted names', [sbom, { ...sbom, name: 'a.json' }], /attachments must be sorted/],
    ['a bad digest', [{ ...sbom, digest: 'sha256:1' }], /attachments\[0\]\.digest/],
    ['an extra field', [{ ...sbom, url: 'http://x' }], /attachments\[0\]\."url" is not a field/],
  ])('refuses %s', (_name, attachments, message) => {
    expect(() => parseManifest(withAttachments(attachments))).toThrow(message);
  });
});

describe('release.json of an image build', () => {
  const image = {
    registry: 'ghcr.io',
    repository: 'acme/web-app',
    digest,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    platforms: ['linux/amd64', 'linux/arm64/v8'],
  };
  const imageManifest = (): ReleaseManifest => {
    const base = manifest();
    return {
      ...base,
      build: { ...base.build, archive: imageManifestAssetName('acme/web-app', digest), format: 'image', size: 512 },
      image,
    };
  };

  it('records the image after build, and reads back the same', () => {
    const text = serializeManifest(imageManifest());
    expect(imageManifestAssetName('acme/web-app', digest)).toBe('web-app-abababababab.image.json');
    expect(Object.keys(JSON.parse(text))).toEqual([
      'schema',
      'tag',
      'version',
      'environment',
      'build',
      'image',
      'config',
      'previous',
      'run',
      'actor',
      'createdAt',
    ]);
    expect(parseManifest(text)).toEqual(imageManifest());
    // An archive release has no image field at all: its bytes are unchanged.
    expect(Object.keys(JSON.parse(serializeManifest(manifest())))).not.toContain('image');
  });

  it.each<[string, (m: Record<string, unknown>) => void, RegExp]>([
    ['no image record', (m) => delete m.image, /release\.json: image must be an object/],
    [
      'an image on an archive build',
      (m) => ((m.build as Record<string, unknown>).format = 'tar.zst'),
      /image is only for build\.format "image"/,
    ],
    [
      'another digest',
      (m) => ((m.image as Record<string, unknown>).digest = `sha256:${'cd'.repeat(32)}`),
      /image\.digest must equal build\.digest/,
    ],
    [
      'a registry with a path',
      (m) => ((m.image as Record<string, unknown>).registry = 'evil.io/x'),
      /image\.registry and image\.repository must name an image/,
    ],
    [
      'a repository with a newline',
      (m) => ((m.image as Record<string, unknown>).repository = 'acme/app\n::x'),
      /image\.registry and image\.repository/,
    ],
    [
      'a media type that is no manifest',
      (m) => ((m.image as Record<string, unknown>).mediaType = 'text/html'),
      /image\.mediaType must be one of/,
    ],
    [
      'a platform with shell',
      (m) => ((m.image as Record<string, unknown>).platforms = ['linux/$(id)']),
      /image\.platforms must be/,
    ],
    ['an extra image field', (m) => ((m.image as Record<string, unknown>).url = 'x'), /image/],
    [
      'a manifest asset of another repository',
      (m) => ((m.build as Record<string, unknown>).archive = 'other-abababababab.image.json'),
      /build\.archive of an image must be/,
    ],
  ])('refuses %s', (_name, spoil, message) => {
    const value = JSON.parse(serializeManifest(imageManifest())) as Record<string, unknown>;
    spoil(value);
    expect(() => parseManifest(JSON.stringify(value))).toThrow(message);
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

const published = path.resolve(import.meta.dirname, '../../../docs/release.schema.json');
const withAttachment = (): ReleaseManifest => ({
  ...manifest(),
  previous: null,
  attachments: [{ name: 'app.spdx.json', digest, size: 40 }],
});

describe('the JSON Schema of release.json', () => {
  it('is published in docs/ as the code checks it (node scripts/release-schema.ts writes it)', async () => {
    const text = await readFile(published, 'utf8');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(RELEASE_SCHEMA)));
  });

  it('is a draft 2020-12 schema anyone can check a release.json with', async () => {
    const schema = JSON.parse(await readFile(published, 'utf8')) as object;
    const validate = new Ajv2020({ allowUnionTypes: true }).compile(schema);
    expect(validate(JSON.parse(serializeManifest(withAttachment())))).toBe(true);
    for (const spoil of [
      (m: Record<string, unknown>) => (m.notes = 'hi'),
      (m: Record<string, unknown>) => (m.environment = 'prod\n::x'),
      (m: Record<string, unknown>) => ((m.config as Record<string, unknown>).keys = ['A', 'A']),
      (m: Record<string, unknown>) => delete m.run,
    ]) {
      const value = JSON.parse(serializeManifest(withAttachment())) as Record<string, unknown>;
      spoil(value);
      expect(validate(value)).toBe(false);
    }
  });

  it('refuses a config key listed twice, naming the list', () => {
    const value = JSON.parse(serializeManifest(withAttachment())) as Record<string, unknown>;
    (value.config as Record<string, unknown>).keys = ['A', 'A'];
    expect(() => parseManifest(JSON.stringify(value))).toThrow(
      /release\.json: config\.keys must be a list of config keys/,
    );
  });

  it('never quotes a refused config key back (it may be part of a secret)', () => {
    const value = JSON.parse(serializeManifest(withAttachment())) as Record<string, unknown>;
    (value.config as Record<string, unknown>).secretKeys = ['1hunter2-secret'];
    expect(() => parseManifest(JSON.stringify(value))).toThrow(
      /release\.json: config\.secretKeys\[0\] must be a config key/,
    );
    expect(() => parseManifest(JSON.stringify(value))).not.toThrow(/hunter2/);
  });
});

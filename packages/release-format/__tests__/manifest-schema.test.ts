import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  MANIFEST_SCHEMA,
  RELEASE_SCHEMA,
  type ReleaseManifest,
  parseManifest,
  serializeManifest,
} from '../src/index.ts';

const digest = `sha256:${'ab'.repeat(32)}` as const;
const published = path.resolve(import.meta.dirname, '../../../docs/release.schema.json');

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
    attachments: [{ name: 'app.spdx.json', digest, size: 40 }],
    previous: null,
    run: { id: '123', attempt: '1', url: 'https://github.com/o/r/actions/runs/123' },
    actor: 'octocat',
    createdAt: '2026-11-21T00:00:00.000Z',
  };
}

describe('the JSON Schema of release.json', () => {
  it('is published in docs/ as the code checks it (node scripts/release-schema.ts writes it)', async () => {
    const text = await readFile(published, 'utf8');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(RELEASE_SCHEMA)));
  });

  it('is a draft 2020-12 schema anyone can check a release.json with', async () => {
    const schema = JSON.parse(await readFile(published, 'utf8')) as object;
    const validate = new Ajv2020({ allowUnionTypes: true }).compile(schema);
    expect(validate(JSON.parse(serializeManifest(manifest())))).toBe(true);
    for (const spoil of [
      (m: Record<string, unknown>) => (m.notes = 'hi'),
      (m: Record<string, unknown>) => (m.environment = 'prod\n::x'),
      (m: Record<string, unknown>) => ((m.config as Record<string, unknown>).keys = ['A', 'A']),
      (m: Record<string, unknown>) => delete m.run,
    ]) {
      const value = JSON.parse(serializeManifest(manifest())) as Record<string, unknown>;
      spoil(value);
      expect(validate(value)).toBe(false);
    }
  });

  it('refuses a config key listed twice, naming the list', () => {
    const value = JSON.parse(serializeManifest(manifest())) as Record<string, unknown>;
    (value.config as Record<string, unknown>).keys = ['A', 'A'];
    expect(() => parseManifest(JSON.stringify(value))).toThrow(
      /release\.json: config\.keys must be a list of config keys/,
    );
  });

  it('never quotes a refused config key back (it may be part of a secret)', () => {
    const value = JSON.parse(serializeManifest(manifest())) as Record<string, unknown>;
    (value.config as Record<string, unknown>).secretKeys = ['1hunter2-secret'];
    expect(() => parseManifest(JSON.stringify(value))).toThrow(
      /release\.json: config\.secretKeys\[0\] must be a config key/,
    );
    expect(() => parseManifest(JSON.stringify(value))).not.toThrow(/hunter2/);
  });
});

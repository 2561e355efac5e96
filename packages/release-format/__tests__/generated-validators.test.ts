/**
 * The validators every action runs are generated ahead of time from
 * RELEASE_SCHEMA (generated/manifest-validators.js): the committed file must
 * be what the schema generates now, and hold a validator for every rule.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { manifestValidatorsSource } from '@build-release-run/release-format/manifest-validators-source';
import { VALIDATOR_REFS } from '../src/manifest-schema.ts';
import * as generated from '../src/generated/manifest-validators.js';

const FILE = path.join(import.meta.dirname, '../src/generated/manifest-validators.js');

describe('generated/manifest-validators.js', () => {
  it('is what RELEASE_SCHEMA generates (run `node scripts/manifest-validators.ts` when it is not)', async () => {
    expect(await readFile(FILE, 'utf8')).toBe(manifestValidatorsSource());
  });

  it('exports one validator for the manifest and one for each field rule, and nothing else', () => {
    expect(Object.keys(generated).sort()).toEqual(Object.keys(VALIDATOR_REFS).sort());
    for (const validate of Object.values(generated)) expect(typeof validate).toBe('function');
  });
});

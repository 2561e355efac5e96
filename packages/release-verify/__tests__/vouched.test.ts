import { describe, expect, it } from '@jest/globals';
import type { Release, ReleaseAsset } from '@build-release-run/github-api';
import {
  type ReleaseMarker,
  digestOf,
  renderConfigCopy,
  renderMarker,
  serializeConfigEnv,
} from '@build-release-run/release-format';
import { vouchedByGitHub } from '../src/index.ts';

const BUILD = digestOf('the build archive');
const configText = serializeConfigEnv({ values: { LOG_LEVEL: 'info' }, secretKeys: ['TOKEN'] });
const CONFIG = digestOf(configText);
const marker: ReleaseMarker = {
  run: '7',
  attempt: '1',
  environment: 'production',
  digest: BUILD,
  config: CONFIG,
  commit: 'a'.repeat(40),
  createdAt: '2026-12-01T00:00:00.000Z',
  previous: null,
};

function asset(id: number, name: string, digest: string | null): ReleaseAsset {
  return { id, name, digest, size: 1, state: 'uploaded' } as ReleaseAsset;
}

function release(body: string, assets: ReleaseAsset[]): Release {
  return { id: 1, tag_name: 'v1', body, assets } as Release;
}

const notes = (copyOf = configText, markerOf = marker) =>
  `## v1\n\n${renderConfigCopy(copyOf)}\n${renderMarker(markerOf)}\n`;
const assets = () => [
  asset(1, `app-${BUILD.slice(7, 19)}.tar.zst`, BUILD),
  asset(2, 'config.env', CONFIG),
  asset(3, 'release.json', digestOf('{}')),
];

describe("what GitHub's digests vouch for in a release's notes", () => {
  it('gives the build digest and the config when both agree with GitHub’s digests', () => {
    expect(vouchedByGitHub(release(notes(), assets()))).toEqual({
      buildDigest: BUILD,
      config: { values: { LOG_LEVEL: 'info' }, secretKeys: ['TOKEN'] },
    });
  });

  it('takes an image release’s manifest asset as its build', () => {
    const image = [asset(1, `app-${BUILD.slice(7, 19)}.image.json`, BUILD), ...assets().slice(1)];
    expect(vouchedByGitHub(release(notes(), image))?.buildDigest).toBe(BUILD);
  });

  it.each([
    ['the notes’ config was edited', () => release(notes('LOG_LEVEL=debug\n'), assets())],
    [
      'the marker claims another config',
      () => release(notes(configText, { ...marker, config: digestOf('x') }), assets()),
    ],
    [
      'the marker claims the digest of an attachment',
      () =>
        release(notes(configText, { ...marker, digest: digestOf('sbom') }), [
          ...assets(),
          asset(4, 'sbom.json', digestOf('sbom')),
        ]),
    ],
    [
      'an attachment is named like a build (another platform’s archive)',
      () =>
        release(notes(), [...assets(), asset(5, `app-arm64-${digestOf('arm').slice(7, 19)}.tar.zst`, digestOf('arm'))]),
    ],
    ['GitHub gives no digest for config.env', () => release(notes(), [assets()[0]!, asset(2, 'config.env', null)])],
    [
      'GitHub gives no digest for the build',
      () => release(notes(), [asset(1, `app-${BUILD.slice(7, 19)}.tar.zst`, null), ...assets().slice(1)]),
    ],
    ['the notes have no config copy', () => release(renderMarker(marker), assets())],
    ['the notes have no marker', () => release(renderConfigCopy(configText), assets())],
  ])('vouches for nothing when %s', (_label, make) => {
    expect(vouchedByGitHub(make())).toBeUndefined();
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  MAX_CONFIG_COPY,
  configCopyOf,
  digestOf,
  parseMarker,
  renderConfigCopy,
  serializeConfigEnv,
} from '../src/index.ts';

const text = serializeConfigEnv({
  values: { API_URL: 'https://example.test/-->', GREETING: 'héllo\nworld' },
  secretKeys: ['TOKEN'],
});

describe('the copy of config.env in a release body', () => {
  it('gives back the same bytes (same digest) from anywhere in the notes', () => {
    const body = `## v1\n\nnotes\n\n${renderConfigCopy(text)}\n<!-- build-release-run {"x":1} -->\n`;
    expect(configCopyOf(body)).toBe(text);
    expect(digestOf(configCopyOf(body)!)).toBe(digestOf(text));
  });

  it('cannot end its comment early, whatever the values hold', () => {
    const comment = renderConfigCopy(text);
    expect(comment.indexOf('-->')).toBe(comment.length - 3);
  });

  it('is not taken as the release marker, nor the marker as a copy', () => {
    expect(parseMarker(renderConfigCopy(text))).toBeUndefined();
    expect(configCopyOf('<!-- build-release-run {"run":"1"} -->')).toBeUndefined();
  });

  it('is left out for a config over the limit (the notes have GitHub’s 125,000 characters to share)', () => {
    const big = `A=${'x'.repeat(MAX_CONFIG_COPY)}\n`;
    expect(renderConfigCopy(big)).toBe('');
    const forged = `<!-- build-release-run-config.env ${Buffer.from(big).toString('base64')} -->`;
    expect(configCopyOf(forged)).toBeUndefined();
  });

  it.each([
    ['no copy', 'just notes'],
    ['not base64', '<!-- build-release-run-config.env QUJD!!== -->'],
    ['unterminated', '<!-- build-release-run-config.env QUJD'],
    ['padding in the middle', '<!-- build-release-run-config.env QQ==QUJD -->'],
    ['an empty body', ''],
  ])('reads nothing from %s', (_label, body) => {
    expect(configCopyOf(body)).toBeUndefined();
  });
});

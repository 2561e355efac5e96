/**
 * The ledger page: written by `brr ledger --html`, self-contained, release
 * text escaped, and rendered by a real browser (Debian's headless
 * Chromium): a screenshot is taken and the rendered page names every release.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { main } from '../src/main.ts';
import { type Fixture, startFixture } from './fixture.ts';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';

let fixture: Fixture;
let page: string;
let html: string;
beforeAll(async () => {
  fixture = await startFixture();
  page = path.join(fixture.work, 'ledger.html');
  let err = '';
  const code = await main(['ledger', '--html', page], { env: fixture.env, out: () => {}, err: (t) => (err += t) });
  expect([code, err]).toEqual([0, `Wrote the ledger page to ${page}\n`]);
  html = await readFile(page, 'utf8');
}, 60_000);
afterAll(() => fixture.close());

function chromium(...args: string[]) {
  return run(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${path.join(fixture.work, 'chromium-profile')}`,
      ...args,
    ],
    { timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
  );
}

describe('the ledger page', () => {
  it('is one self-contained file: no script, nothing fetched, a policy that forbids fetching', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i);
  });

  it('escapes release text: a status description with markup stays text', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('\u001b');
  });

  it('shows each environment with what is live, the rollback and the failure', () => {
    expect(html).toMatch(/<h2>staging<\/h2><div class="live-now">live: <b>v1<\/b>/);
    expect(html).toMatch(/<h2>production<\/h2><div class="live-now none"><span class="nothing">nothing live/);
    expect(html).toMatch(/rolled back<\/div><div class="tag">v1<\/div>\s*<div class="detail">from v2 · deployment \d+/);
    expect(html).toMatch(/class="m failure"/);
  });

  it('renders in headless Chromium: a real screenshot, and the text names every release', async () => {
    const png = path.join(fixture.work, 'ledger.png');
    await chromium(`--screenshot=${png}`, '--window-size=1280,900', `file://${page}`);
    const bytes = await readFile(png);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // A blank 1280x900 PNG is a few kilobytes; the rendered timelines are far more.
    expect((await stat(png)).size).toBeGreaterThan(30_000);
    // The width and height from the PNG header: the window asked for.
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1280, 900]);

    const { stdout: dom } = await chromium('--dump-dom', `file://${page}`);
    const text = dom
      .replace(/<style>[\s\S]*?<\/style>/, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    for (const tag of Object.keys(fixture.releases)) expect(text).toContain(` ${tag} `);
    expect(text).toContain('Release ledger octo/app');
    expect(text).toContain('live: v1');
    expect(dom).not.toContain('<script>alert(1)');
  }, 200_000);
});

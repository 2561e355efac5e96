import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import {
  logText,
  markdownCode,
  markdownCodeBlock,
  markdownLink,
  markdownTableCell,
  markdownText,
  hasInvisible,
  replaceInvisible,
  shellWord,
  visibleText,
} from '../src/index.ts';

/** The hostile values every sink is tried with. */
const HOSTILE = [
  'line1\nline2',
  'a\r\n::add-mask::x',
  '::stop-commands::token',
  '  ::error::boom',
  'x%0A::warning::y',
  'see ##[error]here',
  '`code` and ``more`` and ```fence```',
  '`',
  ' ` ',
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned`',
  "it's; rm -rf ~ | cat && echo $HOME",
  'a | b || c',
  '<script>alert(1)</script>',
  '[x](http://evil)',
  'http://evil.example/path www.evil.example a@evil.example',
  '![img](http://evil/i.png)',
  '*em* _u_ # heading',
  '\u202eevil\u2028next\u0085\u001b[31m',
  '',
];

const render = (markdown: string) =>
  micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });

/** The text of rendered HTML, entities decoded. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('logText: one line that never starts a workflow command', () => {
  it.each(HOSTILE)('%j', (value) => {
    const line = logText(value);
    expect(line).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
    expect(line).not.toContain('::');
    expect(line).not.toContain('##[');
    // Wherever it sits in a line, the runner sees no command.
    for (const prefix of ['', '  ', 'text ']) expect(`${prefix}${line}`.trimStart().startsWith('::')).toBe(false);
  });

  it('escapes the ambiguous backslash-pipe in a cell', () => {
    expect(markdownTableCell(markdownCode('a\\|b|c'))).toBe('`a\\\\u{7c}b\\|c`');
  });

  it('shows what was escaped', () => {
    expect(logText('a\nb')).toBe('a\\nb');
    expect(logText('::x')).toBe(':\\u{3a}x');
    expect(logText('v1.2.3 sha256:abc')).toBe('v1.2.3 sha256:abc');
  });
});

describe('markdownCode: a code span nothing can leave', () => {
  it.each(HOSTILE.filter((v) => v !== ''))('%j', (value) => {
    const html = render(`before ${markdownCode(value)} after`);
    expect(html).not.toMatch(/<a |<script|<img|<em|<strong|<h1/);
    const spans = [...html.matchAll(/<code>(.*?)<\/code>/gs)];
    expect(spans).toHaveLength(1);
    expect(textOf(html)).toMatch(/^before .* after$/s);
    // Without invisible characters the span shows the value exactly.
    if (!hasInvisible(value)) expect(textOf(spans[0]![1]!)).toBe(value);
  });

  it('uses a fence longer than any backtick run', () => {
    expect(markdownCode('a ``` b')).toBe('````a ``` b````');
    expect(markdownCode('`x')).toBe('`` `x ``');
  });
});

describe('markdownTableCell: a cell that cannot split the row or the table', () => {
  it.each(HOSTILE)('%j as code and as text', (value) => {
    for (const inline of [markdownCode(value), markdownText(value)]) {
      const html = render(['| a | b |', '| --- | --- |', `| ${markdownTableCell(inline)} | end |`, ''].join('\n'));
      const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)];
      expect(rows).toHaveLength(2);
      expect([...rows[1]![1]!.matchAll(/<td>/g)]).toHaveLength(2);
      expect(rows[1]![1]).toMatch(/<td>end<\/td>/);
      expect(html).not.toMatch(/<a |<script|<img/);
    }
  });
});

describe('markdownText: text that renders as itself', () => {
  it.each(HOSTILE.filter((v) => v !== ''))('%j', (value) => {
    const html = render(markdownText(value));
    expect(html).not.toMatch(/<a |<script|<img|<em|<strong|<h1|<code/);
    if (!hasInvisible(value) && value.trim() === value) {
      expect(textOf(html).trim()).toBe(value);
    }
  });
});

describe('markdownCodeBlock: no line closes the fence', () => {
  it.each(HOSTILE)('%j', (value) => {
    const html = render(`${markdownCodeBlock(`gh run ${value}\n\`\`\`\nafter`, 'sh')}\n\n[x](http://evil)`);
    expect([...html.matchAll(/<pre>/g)]).toHaveLength(1);
    expect(html.split('</pre>')[0]).not.toMatch(/<a |<script/);
  });
});

describe('markdownLink: links only to this repository', () => {
  const base = 'https://github.example/octo/app';
  it.each([
    ['https://github.example/octo/app/releases/tag/v1', true],
    ['https://github.example/octo/app', true],
    ['https://github.example/octo/app-evil/releases', false],
    ['https://github.example/other/repo', false],
    ['http://evil', false],
    ['javascript:alert(1)', false],
    ['https://user:pw@github.example/octo/app/x', false],
    ['https://github.example.evil.com/octo/app/x', false],
    ['not a url', false],
  ])('%s → link: %s', (url, linked) => {
    const html = render(markdownLink('[x](http://evil) <b>', url, base));
    expect(html.includes('<a ')).toBe(linked);
    expect(html).not.toContain('http://evil"');
    expect(html).not.toContain('<b>');
    if (linked) expect(html).toContain(`href="${new URL(url).href}"`);
  });
});

// Issue 22, point 8: text that looks the same but is not.
describe('the invisible characters every sink shows as escapes', () => {
  it.each([
    ['zero-width space', '\u200b', '\\u{200b}'],
    ['zero-width non-joiner and joiner', '\u200c\u200d', '\\u{200c}\\u{200d}'],
    ['word joiner', '\u2060', '\\u{2060}'],
    ['byte order mark', '\ufeff', '\\u{feff}'],
    ['soft hyphen', '\u00ad', '\\u{ad}'],
    ['combining grapheme joiner', '\u034f', '\\u{34f}'],
    ['Arabic letter mark', '\u061c', '\\u{61c}'],
    ['left-to-right and right-to-left marks', '\u200e\u200f', '\\u{200e}\\u{200f}'],
    ['bidi override and isolate', '\u202e\u2066', '\\u{202e}\\u{2066}'],
    ['Hangul filler', '\u3164', '\\u{3164}'],
    ['Mongolian vowel separator', '\u180e', '\\u{180e}'],
    ['variation selector', '\ufe0f', '\\u{fe0f}'],
    ['tag characters', '\u{e0001}\u{e0041}\u{e007f}', '\\u{e0001}\\u{e0041}\\u{e007f}'],
    ['musical symbol begin beam', '\u{1d173}', '\\u{1d173}'],
  ])('%s', (_name, hidden, shown) => {
    const value = `pay${hidden}pal`;
    expect(visibleText(value)).toBe(`pay${shown}pal`);
    expect(logText(value)).toBe(`pay${shown}pal`);
    expect(markdownCode(value)).toBe(`\`pay${shown}pal\``);
    expect(markdownTableCell(markdownCode(value))).toBe(`\`pay${shown}pal\``);
    expect(markdownText(value)).toBe(`pay${shown.replace(/[{}\\]/g, (c) => `\\${c}`)}pal`);
    expect(hasInvisible(value)).toBe(true);
  });

  it('escapes every code point Unicode lists as Default_Ignorable_Code_Point, and leaves visible text alone', () => {
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      if (/\p{Default_Ignorable_Code_Point}/u.test(char)) expect([code, hasInvisible(char)]).toEqual([code, true]);
    }
    for (const visible of ['ünïcödé ✓', 'naïve café', 'Ελληνικά', '日本語', 'a\u00a0b', 'emoji 🚀']) {
      expect(visibleText(visible)).toBe(visible);
    }
  });

  it('lets a sink keep its own layout characters and write escapes its own way', () => {
    expect(replaceInvisible('a\n\u200bb\u0007', (c) => `<${c.codePointAt(0)}>`, new Set(['\n']))).toBe('a\n<8203>b<7>');
  });
});

describe('shellWord: a word a shell reads back as the value', () => {
  it.each([...HOSTILE, "'", "a'b", '-rf', '~', '*', 'v1.2.3'])('%j', (value) => {
    const word = shellWord(value);
    // bash prints the word's value back: nothing ran, nothing expanded.
    const printed = execFileSync('bash', ['--noprofile', '--norc', '-c', `printf '%s' ${word}`], {
      encoding: 'utf8',
      env: { HOME: '/home/x', PATH: process.env['PATH'] },
    });
    expect(printed).toBe(value);
  });

  it('leaves safe words bare and quotes the rest', () => {
    expect(shellWord('v1.2.3')).toBe('v1.2.3');
    expect(shellWord('v9$(echo${IFS}INJECTED>&2)')).toBe("'v9$(echo${IFS}INJECTED>&2)'");
  });
});

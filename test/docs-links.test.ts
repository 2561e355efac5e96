// The README and the docs/ pages a newcomer reads: every relative link
// (a file, and a heading anchor in it) resolves, and the README stays short
// enough to follow (at most 300 lines, no line over 400 characters).
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The pages a reader moves between: the README, docs/, the project's own policies and the actions' READMEs. */
function pages(): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  const actions = readdirSync(path.join(root, 'actions'))
    .map((a) => `actions/${a}/README.md`)
    .filter((f) => existsSync(path.join(root, f)));
  return ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', ...docs, ...actions].filter((f) =>
    existsSync(path.join(root, f)),
  );
}

/** Markdown without its fenced code blocks and inline code spans (links there are examples, not links). */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1\s*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1\s*$/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = match[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!);
  return anchors;
}

/** Each relative link of a page: `[text](target)` outside code, with no scheme. */
function relativeLinks(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('links inside the README and docs', () => {
  it('finds the pages and their links', () => {
    expect(pages()).toEqual(expect.arrayContaining(['README.md', 'docs/release.md']));
  });

  it.each(pages())('%s: every relative link names a file that exists, and a heading in it', (page) => {
    const text = readFileSync(path.join(root, page), 'utf8');
    const broken: string[] = [];
    for (const target of relativeLinks(text)) {
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const resolved = file === '' ? path.join(root, page) : path.resolve(path.dirname(path.join(root, page)), file);
      if (!existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith('.md')) {
        if (!headingAnchors(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor))) {
          broken.push(`${target}: no heading #${anchor}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('the README a newcomer follows', () => {
  const lines = readFileSync(path.join(root, 'README.md'), 'utf8').trimEnd().split('\n');

  it('is at most 300 lines', () => {
    expect(lines.length).toBeLessThanOrEqual(300);
  });

  it('has no line over 400 characters', () => {
    expect(lines.map((line, i) => [i + 1, line.length]).filter(([, length]) => length! > 400)).toEqual([]);
  });
});

describe('headingAnchors', () => {
  it.each([
    [
      '## Compared with softprops/action-gh-release and ncipollo/release-action',
      'compared-with-softpropsaction-gh-release-and-ncipollorelease-action',
    ],
    ["### Promote a release's build to another environment", 'promote-a-releases-build-to-another-environment'],
    ['## The command line: `brr`', 'the-command-line-brr'],
    ['## Try the whole pipeline: `pnpm demo`', 'try-the-whole-pipeline-pnpm-demo'],
  ])('%s -> #%s', (heading, anchor) => {
    expect(headingAnchors(heading)).toEqual(new Set([anchor]));
  });

  it('numbers a repeated heading as GitHub does', () => {
    expect(headingAnchors('## Inputs\n## Inputs\n```\n## not a heading\n```\n')).toEqual(
      new Set(['inputs', 'inputs-1']),
    );
  });
});

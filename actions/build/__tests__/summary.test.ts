/** The job summary shows entry names from the build output (untrusted) as code, whatever they hold. */
import { describe, expect, it } from '@jest/globals';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import type { Entry } from '@build-release-run/archive';
import type { BuildInputs } from '../src/inputs.ts';
import type { BuildResult } from '../src/build.ts';
import { renderSummary } from '../src/summary.ts';

const HOSTILE = 'x```</details><a href="https://evil.example">click</a> | [y](https://evil.example) ``` `z`';
/** A right-to-left override: `invoice\u202Efdp.exe` reads as "invoiceexe.pdf". */
const DISGUISED = 'invoice\u202efdp.exe';

describe('build summary', () => {
  it('keeps a hostile entry name inside the code block: no link, no HTML, the rest of the summary intact', () => {
    const entries = [
      { name: HOSTILE, type: 'file', mode: 0o644 },
      { name: DISGUISED, type: 'file', mode: 0o644 },
      { name: 'dir/', type: 'directory', mode: 0o755 },
    ] as unknown as Entry[];
    const markdown = renderSummary(
      { name: 'app', format: 'tar.gz' } as BuildInputs,
      {
        digest: `sha256:${'a'.repeat(64)}`,
        archive: '/tmp/app-aaaaaaaaaaaa.tar.gz',
        artifactName: 'build-aaaa',
        size: 1,
        files: 1,
        entries,
        root: '/tmp',
      } as BuildResult,
      false,
    );
    const html = micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
    expect(html).not.toContain('<a href');
    // Shown as its escape, never as a live override.
    expect(html).not.toContain('\u202e');
    expect(html).toContain('invoice\\u{202e}fdp.exe');
    expect(html.match(/<\/details>/g)).toHaveLength(1);
    expect(html.match(/<pre>/g)).toHaveLength(1);
    expect(html).toContain('Pass the digest and the <code>archive</code> output');
  });
});

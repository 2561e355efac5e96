/**
 * One verify + unpack of an archive file, as deploy does it after the
 * download: `node bench/unpack-child.ts <archive> <format> <dir> <digest>`.
 * Run under GNU time by bench/deploy.ts.
 */
import { unpackArchive } from '@build-release-run/unpack';

const [archive, format, directory, digest] = process.argv.slice(2);
if (!archive || (format !== 'tar.gz' && format !== 'tar.zst') || !directory || !digest?.startsWith('sha256:')) {
  console.error('usage: node bench/unpack-child.ts <archive> <tar.gz|tar.zst> <directory> <sha256:…>');
  process.exit(2);
}
await unpackArchive({ archive, format, directory, expectedDigest: digest as `sha256:${string}` });

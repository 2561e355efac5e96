/**
 * Runs the release action's main() in its boundary as the runner would run dist/release/index.js,
 * then reports this process's peak RSS (getrusage maxrss, what GNU time's %M
 * reads) on stderr for bench/release.ts.
 */
import { runAction } from '@build-release-run/action-kit';
import { TOKEN_USE, main } from '@build-release-run/action-release';

await runAction(main, TOKEN_USE);
process.stderr.write(`bench-peak-rss-kib ${process.resourceUsage().maxRSS}\n`);

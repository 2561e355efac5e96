/**
 * Runs the release action's main() in its boundary as the runner would run dist/release/index.js,
 * then reports this process's peak RSS (getrusage maxrss, what GNU time's %M
 * reads) on stderr for bench/release.ts.
 */
import { runAction } from '../packages/action-kit/src/index.ts';
import { TOKEN_USE, main } from '../actions/release/src/main.ts';

await runAction(main, TOKEN_USE);
process.stderr.write(`bench-peak-rss-kib ${process.resourceUsage().maxRSS}\n`);

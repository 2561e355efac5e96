/**
 * Runs the release action's run() as the runner would run dist/release/index.js,
 * then reports this process's peak RSS (getrusage maxrss, what GNU time's %M
 * reads) on stderr for bench/release.ts.
 */
import { run } from '../actions/release/src/main.ts';

await run();
process.stderr.write(`bench-peak-rss-kib ${process.resourceUsage().maxRSS}\n`);

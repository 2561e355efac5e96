/**
 * Keeps the action's memory flat while gigabytes stream through it.
 *
 * Every chunk read, downloaded or decompressed is a new Buffer whose bytes
 * live outside V8's heap. V8 frees them only at a garbage collection, and it
 * starts one for such "external" memory only after about 64 MB of it has
 * piled up; the freed blocks then stay in the process's RSS. Measured on a
 * 1 GB release (docs/performance.md), that garbage was most of the peak. A
 * young-generation collection every `intervalMs` frees the short-lived chunk
 * buffers early and costs well under a millisecond with a heap this small.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type?: 'minor' | 'major' }) => void;

function exposeGc(): Collect | undefined {
  const existing = (globalThis as { gc?: Collect }).gc;
  if (typeof existing === 'function') return existing;
  try {
    // The documented way to reach V8's gc() from a process started without --expose-gc.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as unknown;
    return typeof collect === 'function' ? (collect as Collect) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts collecting; returns the function that stops it. Without gc access it does nothing. */
export function startMemoryPacer(intervalMs = 50): () => void {
  const collect = exposeGc();
  if (collect === undefined) return () => undefined;
  let ticks = 0;
  // Chunks that waited on a slow write outlive two minor collections and move to the old generation: a full one now and then frees them too.
  const timer = setInterval(() => collect({ type: ++ticks % 5 === 0 ? 'major' : 'minor' }), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

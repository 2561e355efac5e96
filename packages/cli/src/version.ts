/**
 * brr's version: the package's own, read from its package.json at build
 * time (the bundle, dist/brr/index.js, carries it inlined), so `brr
 * --version` names the release of this repository the command came from.
 */
import manifest from '../package.json' with { type: 'json' };

export const VERSION: string = manifest.version;

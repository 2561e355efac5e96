/**
 * signStatement, with @sigstore/sign loaded when something is signed, not
 * when the package is: the signer and what it pulls in are a third of a
 * bundle's resident memory at start-up (about 34 MB of 80 measured), which
 * deploy never needs and build needs only after the archive is packed.
 */
import type { signStatement as sign } from './sign.ts';

export async function signStatement(...args: Parameters<typeof sign>): ReturnType<typeof sign> {
  const signer = await import('./sign.ts');
  return signer.signStatement(...args);
}

// Which Sigstore instance signs, as GitHub's artifact attestations choose
// it: public-good (Fulcio + Rekor) for public repositories, GitHub's own
// (Fulcio + timestamp authority, no public log) for private and internal
// ones. `BRR_SIGSTORE_URL` points every service at one other instance: the
// local stand-in in tests and the demo.

export interface SigningEndpoints {
  instance: 'public-good' | 'github' | 'custom';
  fulcioUrl: string;
  rekorUrl?: string;
  tsaUrl?: string;
}

export type Visibility = 'public' | 'private' | 'internal';

export function signingEndpoints(visibility: Visibility, serverUrl: string, override?: string): SigningEndpoints {
  if (override) return { instance: 'custom', fulcioUrl: override, rekorUrl: override, tsaUrl: override };
  if (visibility === 'public') {
    return {
      instance: 'public-good',
      fulcioUrl: 'https://fulcio.sigstore.dev',
      rekorUrl: 'https://rekor.sigstore.dev',
    };
  }
  let host = new URL(serverUrl).hostname;
  if (host === 'github.com') host = 'githubapp.com';
  return { instance: 'github', fulcioUrl: `https://fulcio.${host}`, tsaUrl: `https://timestamp.${host}` };
}

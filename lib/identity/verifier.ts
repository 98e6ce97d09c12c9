import 'server-only';
import { env } from '@/lib/env';

/**
 * Real-name verification: does this name belong to this ID document? Pluggable like the code sender.
 * The development verifier trusts formats and check digits (already validated); production must
 * configure the webhook verifier (the app refuses to start otherwise).
 */
export type IdentityVerifier = {
  verify(doc: { idType: string; idNumber: string; name: string }): Promise<'match' | 'mismatch' | 'unavailable'>;
};

export const devIdentityVerifier: IdentityVerifier = { verify: async () => 'match' };

export function webhookIdentityVerifier(url: string, token?: string): IdentityVerifier {
  return {
    async verify(doc) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(doc),
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) return 'unavailable';
        const body = (await res.json()) as { match?: unknown };
        return body.match === true ? 'match' : 'mismatch';
      } catch {
        return 'unavailable';
      }
    },
  };
}

export function identityVerifierFromEnv(): IdentityVerifier {
  const e = env();
  if (e.IDENTITY_VERIFIER === 'webhook' && e.IDENTITY_VERIFIER_URL)
    return webhookIdentityVerifier(e.IDENTITY_VERIFIER_URL, e.IDENTITY_VERIFIER_TOKEN);
  if (e.NODE_ENV === 'production') throw new Error('No real-name verifier configured');
  return devIdentityVerifier;
}

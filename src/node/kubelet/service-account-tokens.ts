// Service account tokens for projected `serviceAccountToken` volume sources: each pod gets its own
// TokenRequest bound to it, kept until 80% of its lifetime has passed (or 24 hours), as upstream's
// kubelet token manager does, so a pod sync rewrites the file only when the token is renewed.
import type { TokenRequest } from 'kubernetes-types/authentication/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { RestClient } from '../../client/rest-client';
import { resources } from '../../client/resource-ref';

export interface PodTokenRequest { audience?: string; expirationSeconds: number; pod: Pod }

interface Held { token: string; renewAt: number; expiresAt: number }

const maxAgeMs = 24 * 3600_000;

export function serviceAccountTokens(api: RestClient): (ns: string, serviceAccount: string, req: PodTokenRequest) => Promise<string> {
  const held = new Map<string, Held>();
  return async (ns, serviceAccount, req) => {
    const uid = req.pod.metadata?.uid ?? '';
    const key = [ns, serviceAccount, uid, req.audience ?? '', req.expirationSeconds].join('/');
    const now = Date.now();
    const hit = held.get(key);
    if (hit && now < hit.renewAt) return hit.token;
    // Tokens of pods gone from the node go with them.
    for (const [k, h] of held) if (h.expiresAt <= now) held.delete(k);
    const answer = await api.createSubresource<TokenRequest>(resources.serviceaccounts, ns, serviceAccount, 'token', {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
      spec: {
        audiences: req.audience ? [req.audience] : [], expirationSeconds: req.expirationSeconds,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: req.pod.metadata?.name, uid },
      },
    });
    const token = answer.status?.token;
    if (!token) throw new Error(`TokenRequest for ${ns}/${serviceAccount} returned no token`);
    const expiresAt = Date.parse(answer.status?.expirationTimestamp ?? '') || now + req.expirationSeconds * 1000;
    held.set(key, { token, expiresAt, renewAt: Math.min(now + 0.8 * (expiresAt - now), now + maxAgeMs) });
    return token;
  };
}

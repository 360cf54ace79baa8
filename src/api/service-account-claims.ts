// Service-account token claims, as upstream's pkg/serviceaccount lays them out: what a token says
// (subject, audiences, lifetime, the `kubernetes.io` private claims naming the account and the object
// it is bound to), and the checks a presented token passes before it becomes a user (the account and
// bound object still exist with the uids the token names). No cryptography here: see service-account-issuer.ts.
import { randomUUID } from 'node:crypto';
import type { Node, Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1';
import type { UserInfo } from './authn';

interface Ref { name: string; uid: string }

/** The `kubernetes.io` claim. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: Ref;
  pod?: Ref;
  secret?: Ref;
  node?: Ref;
}

export interface ServiceAccountClaims {
  aud: string[];
  exp: number;
  iat: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
  nbf: number;
  sub: string;
}

export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
/** Upstream's jwt.DefaultLeeway: clocks may differ by a minute. */
export const CLOCK_LEEWAY_SECONDS = 60;

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;
}

export interface BoundObjects { pod?: Pod; secret?: Secret; node?: Node }

const ref = (m: { name?: string; uid?: string } | undefined): Ref => ({ name: m?.name ?? '', uid: m?.uid ?? '' });

/** The claims of a token for `sa`, valid `expirationSeconds` from `nowSeconds`, bound to at most one object. */
export function tokenClaims(sa: ServiceAccount, bound: BoundObjects, expirationSeconds: number, audiences: string[],
  nowSeconds: number): ServiceAccountClaims {
  const k: KubernetesClaim = { namespace: sa.metadata?.namespace ?? '', serviceaccount: ref(sa.metadata) };
  if (bound.pod) {
    k.pod = ref(bound.pod.metadata);
    // A pod-bound token also says where the pod runs (not checked on use), as upstream's PodNodeInfo.
    if (bound.node) k.node = ref(bound.node.metadata);
  } else if (bound.secret) {
    k.secret = ref(bound.secret.metadata);
  } else if (bound.node) {
    k.node = ref(bound.node.metadata);
  }
  return {
    aud: audiences, exp: nowSeconds + expirationSeconds, iat: nowSeconds, jti: randomUUID(), 'kubernetes.io': k,
    nbf: nowSeconds, sub: serviceAccountUsername(k.namespace, k.serviceaccount.name),
  };
}

/** Reads of the objects a token names; undefined when absent. */
export interface ServiceAccountTokenGetter {
  serviceAccount(namespace: string, name: string): Promise<ServiceAccount | undefined>;
  pod(namespace: string, name: string): Promise<Pod | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
}

/** Why a well-signed token is refused (logged, never shown to the client, as upstream). */
export class TokenRejected extends Error {}

/** Deleted (with the leeway passed) counts as gone. */
function deletedBefore(meta: { deletionTimestamp?: string } | undefined, limitMs: number): boolean {
  return meta?.deletionTimestamp !== undefined && Date.parse(meta.deletionTimestamp) < limitMs;
}

/** Checks a verified token's claims against the objects they name and returns its user. */
export async function userForClaims(payload: unknown, getter: ServiceAccountTokenGetter, nowMs: number): Promise<UserInfo> {
  const p = payload as Partial<ServiceAccountClaims>;
  const k = p['kubernetes.io'];
  const namespace = k?.namespace;
  const saName = k?.serviceaccount?.name;
  const saUid = k?.serviceaccount?.uid;
  if (!namespace || !saName || !saUid) throw new TokenRejected('token names no service account');
  const limit = nowMs - CLOCK_LEEWAY_SECONDS * 1000;
  const sa = await getter.serviceAccount(namespace, saName);
  if (!sa || deletedBefore(sa.metadata, limit)) throw new TokenRejected(`ServiceAccount ${namespace}/${saName} has been deleted`);
  if (sa.metadata?.uid !== saUid) throw new TokenRejected(`ServiceAccount UID (${sa.metadata?.uid ?? ''}) does not match claim (${saUid})`);
  if (k?.secret) {
    const secret = await getter.secret(namespace, k.secret.name);
    if (!secret || deletedBefore(secret.metadata, limit)) throw new TokenRejected('Token has been invalidated');
    if (secret.metadata?.uid !== k.secret.uid) throw new TokenRejected(`Secret UID (${secret.metadata?.uid ?? ''}) does not match claim (${k.secret.uid})`);
  }
  const extra: Record<string, string[]> = {};
  if (k?.pod) {
    const pod = await getter.pod(namespace, k.pod.name);
    if (!pod || deletedBefore(pod.metadata, limit)) throw new TokenRejected('Token has been invalidated');
    if (pod.metadata?.uid !== k.pod.uid) throw new TokenRejected(`Pod UID (${pod.metadata?.uid ?? ''}) does not match claim (${k.pod.uid})`);
    extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
  }
  if (k?.node) {
    extra['authentication.kubernetes.io/node-name'] = [k.node.name];
    if (k.node.uid) extra['authentication.kubernetes.io/node-uid'] = [k.node.uid];
  }
  if (p.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${p.jti}`];
  return {
    username: serviceAccountUsername(namespace, saName), uid: saUid,
    groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`, 'system:authenticated'],
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

// serviceaccounts/token (TokenRequest, authentication.k8s.io/v1): a signed, time-bound token for a service
// account, optionally bound to a Pod or Secret so it dies with that object, as upstream's TokenREST issues.
import type { TokenRequest } from 'kubernetes-types/authentication/v1';
import type { Node, Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1';
import { badRequest, conflict, invalid } from '../registry/errors';
import { FieldPath, invalidValue, type FieldError } from '../registry/field-error';
import { nowTimestamp } from '../registry/object-meta';
import type { Writable } from '../registry/resource-types';
import type { Registry } from './registry';
import { tokenClaims, type BoundObjects } from './service-account-claims';
import type { ServiceAccountIssuer } from './service-account-issuer';

export const TOKEN_REQUEST_GROUP = 'authentication.k8s.io';
export const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

function validateTokenRequest(spec: TokenRequest['spec']): FieldError[] {
  const errs: FieldError[] = [];
  const p = FieldPath.root('spec').child('expirationSeconds');
  const s = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (s < MIN_EXPIRATION_SECONDS) errs.push(invalidValue(p, s, 'may not specify a duration less than 10 minutes'));
  if (s > MAX_EXPIRATION_SECONDS) errs.push(invalidValue(p, s, 'may not specify a duration larger than 2^32 seconds'));
  return errs;
}

export class TokenRequests {
  constructor(private readonly reg: Registry, private readonly issuer: ServiceAccountIssuer, private readonly apiAudiences: string[]) {}

  /** Answers a TokenRequest for service account `name` in `namespace` (the request's body already decoded and typed). */
  async create(namespace: string, name: string, req: Writable<TokenRequest>): Promise<TokenRequest> {
    const meta = req.metadata ?? {};
    if (meta.name && meta.name !== name) {
      throw invalid(TOKEN_REQUEST_GROUP, 'TokenRequest', name, [invalidValue('metadata.name', meta.name, 'must match the service account name if specified')]);
    }
    if (meta.namespace && meta.namespace !== namespace) {
      throw invalid(TOKEN_REQUEST_GROUP, 'TokenRequest', name, [invalidValue('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
    }
    const sa = await this.reg.storeFor('', 'v1', 'serviceaccounts').getObject(namespace, name) as ServiceAccount;
    const spec: Writable<TokenRequest['spec']> = { ...req.spec };
    if (!spec.audiences?.length) spec.audiences = this.apiAudiences;
    spec.expirationSeconds ??= DEFAULT_EXPIRATION_SECONDS;
    const errs = validateTokenRequest(spec);
    if (errs.length) throw invalid(TOKEN_REQUEST_GROUP, 'TokenRequest', '', errs);
    const bound = await this.boundObjects(namespace, name, spec.boundObjectRef ?? undefined);
    const now = Math.floor(Date.now() / 1000);
    const claims = tokenClaims(sa, bound, spec.expirationSeconds, spec.audiences, now);
    const token = await this.issuer.sign(claims);
    return {
      kind: 'TokenRequest', apiVersion: `${TOKEN_REQUEST_GROUP}/v1`,
      metadata: { name: sa.metadata?.name, namespace: sa.metadata?.namespace, uid: sa.metadata?.uid, creationTimestamp: nowTimestamp() },
      spec: { ...spec, boundObjectRef: spec.boundObjectRef ?? null as unknown as undefined },
      status: { token, expirationTimestamp: new Date(claims.exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
    };
  }

  private async boundObjects(namespace: string, saName: string, ref: TokenRequest['spec']['boundObjectRef']): Promise<BoundObjects> {
    if (!ref) return {};
    const apiVersion = ref.apiVersion ?? '';
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
    const name = ref.name ?? '';
    let uid: string | undefined;
    const bound: BoundObjects = {};
    if (group === '' && ref.kind === 'Pod') {
      const pod = await this.reg.storeFor('', 'v1', 'pods').getObject(namespace, name) as Pod;
      if (pod.spec?.serviceAccountName !== saName) {
        throw badRequest(`cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`);
      }
      bound.pod = pod;
      uid = pod.metadata?.uid;
      const nodeName = pod.spec?.nodeName;
      // The pod's node goes into the token for its readers; a node that is gone still leaves its name.
      if (nodeName) bound.node = await this.reg.storeFor('', 'v1', 'nodes').getObject(undefined, nodeName).catch(() => ({ metadata: { name: nodeName } })) as Node;
    } else if (group === '' && ref.kind === 'Secret') {
      const secret = await this.reg.storeFor('', 'v1', 'secrets').getObject(namespace, name) as Secret;
      bound.secret = secret;
      uid = secret.metadata?.uid;
    } else if (group === '' && ref.kind === 'Node') {
      // Upstream 1.32 ships node binding as an alpha feature, off by default.
      throw badRequest('cannot bind token to a Node object as the "ServiceAccountTokenNodeBinding" feature-gate is disabled');
    } else {
      throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${ref.kind ?? ''}`);
    }
    if (ref.uid && ref.uid !== uid) {
      throw conflict({ group: '', resource: ref.kind }, name,
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
    return bound;
  }
}

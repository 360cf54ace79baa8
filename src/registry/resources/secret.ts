// core/v1 Secret: stringData folded into base64 data, type-specific required keys, immutable type
// and data, and the `type` field selector.
import type { Secret } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, invalidValue, required, tooLong } from '../field-error';
import { secretPrinter } from '../printers/simple';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { maxConfigDataSize, validateDataKeys, validateImmutableData } from '../validation/data-keys';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';

/** stringData is write-only: folded into base64 data, as the v1→internal conversion does. */
export function foldStringData(s: Secret): void {
  const sd = (s as { stringData?: Record<string, string> }).stringData;
  if (sd) {
    const data: Record<string, string> = { ...(s.data ?? {}) };
    for (const [k, v] of Object.entries(sd)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    s.data = data;
    delete (s as { stringData?: unknown }).stringData;
  }
}

function validateDockerConfig(s: Secret, key: string, p: FieldPath): FieldError[] {
  const v = s.data?.[key];
  if (v === undefined || v === '') return [required(p.key(key))];
  try { JSON.parse(Buffer.from(v, 'base64').toString('utf8')); } catch (e) {
    return [invalidValue(p.key(key), '<secret contents redacted>', (e as Error).message)];
  }
  return [];
}

export function validateSecret(s: Secret): FieldError[] {
  const errs = validateObjectMeta(s.metadata, true, nameIsDNSSubdomain);
  const p = FieldPath.root('data');
  errs.push(...validateDataKeys(s.data, p));
  const data = s.data ?? {};
  let size = 0;
  for (const v of Object.values(data)) size += Buffer.from(String(v), 'base64').length;
  if (size > maxConfigDataSize) errs.push(tooLong('data', maxConfigDataSize));
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  switch (s.type) {
    case 'kubernetes.io/service-account-token':
      if (!s.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(required(FieldPath.root('metadata').child('annotations').key('kubernetes.io/service-account.name')));
      }
      break;
    case 'kubernetes.io/dockercfg':
      errs.push(...validateDockerConfig(s, '.dockercfg', p));
      break;
    case 'kubernetes.io/dockerconfigjson':
      errs.push(...validateDockerConfig(s, '.dockerconfigjson', p));
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(required(p.key('username')), required(p.key('password')));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errs.push(required(p.key('ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required(p.key('tls.crt')));
      if (!has('tls.key')) errs.push(required(p.key('tls.key')));
      break;
    default:
      break;
  }
  return errs;
}

export function secretResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'Secret', plural: 'secrets',
    namespaced: true, openapiName: 'io.k8s.api.core.v1.Secret',
    strategy: {
      defaults(o: KubeObject) {
        const s = o as Secret;
        s.type ||= 'Opaque';
        foldStringData(s);
      },
      validate: (o: KubeObject) => validateSecret(o as Secret),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateImmutableField((o as Secret).type, (old as Secret).type, FieldPath.root('type')),
        ...validateImmutableData(o as Secret, old as Secret, ['data']),
      ],
      fieldAttributes: (o: KubeObject) => ({ type: (o as Secret).type ?? '' }),
    },
    printer: secretPrinter,
  });
}

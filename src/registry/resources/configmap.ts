// core/v1 ConfigMap: data/binaryData key validation, size limit and the `immutable` flag.
import type { ConfigMap } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, invalidValue, tooLong } from '../field-error';
import { configMapPrinter } from '../printers/simple';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { maxConfigDataSize, validateDataKeys, validateImmutableData } from '../validation/data-keys';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, true, nameIsDNSSubdomain);
  errs.push(...validateDataKeys(cm.data, FieldPath.root('data')));
  errs.push(...validateDataKeys(cm.binaryData, FieldPath.root('binaryData')));
  let size = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    size += Buffer.byteLength(String(v));
    if (cm.binaryData && k in cm.binaryData) errs.push(invalidValue(FieldPath.root('data').key(k), k, 'duplicate of key present in binaryData'));
  }
  for (const v of Object.values(cm.binaryData ?? {})) size += Buffer.from(String(v), 'base64').length;
  if (size > maxConfigDataSize) errs.push(tooLong('', maxConfigDataSize));
  return errs;
}

export function configMapResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'],
    namespaced: true, openapiName: 'io.k8s.api.core.v1.ConfigMap',
    strategy: {
      validate: (o: KubeObject) => validateConfigMap(o as ConfigMap),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateImmutableData(o as ConfigMap, old as ConfigMap, ['data', 'binaryData']),
      ],
    },
    printer: configMapPrinter,
  });
}


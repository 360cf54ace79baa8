// apps/v1 Deployment: defaults, selector/template validation, immutable selector, status and scale.
import type { Deployment } from 'kubernetes-types/apps/v1';
import { FieldPath, invalidValue } from '../field-error';
import { deploymentPrinter } from '../printers/workloads';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import {
  validateDeploymentStrategy, validateNonNegative, validateSelectorAndTemplate, validateSelectorImmutable,
} from '../validation/workload';
import { defaultDeployment } from './workload-defaults';

export function validateDeployment(d: Deployment) {
  const errs = validateObjectMeta(d.metadata, true, nameIsDNSSubdomain);
  const p = FieldPath.root('spec');
  const spec = d.spec;
  errs.push(...validateNonNegative(spec?.replicas, p.child('replicas')));
  errs.push(...validateSelectorAndTemplate(spec?.selector, spec?.template, p));
  errs.push(...validateDeploymentStrategy(spec?.strategy, p.child('strategy')));
  errs.push(...validateNonNegative(spec?.minReadySeconds, p.child('minReadySeconds')));
  errs.push(...validateNonNegative(spec?.revisionHistoryLimit, p.child('revisionHistoryLimit')));
  const pds = spec?.progressDeadlineSeconds;
  if (pds !== undefined) {
    errs.push(...validateNonNegative(pds, p.child('progressDeadlineSeconds')));
    if (pds <= (spec?.minReadySeconds ?? 0)) errs.push(invalidValue(p.child('progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export function deploymentResource(): ResourceDef {
  return defineResource({
    group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'],
    namespaced: true, openapiName: 'io.k8s.api.apps.v1.Deployment', hasGeneration: true,
    subresources: {
      status: true,
      scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
    },
    strategy: {
      // Upstream's Deployment status strategy keeps the stored labels (annotations may change).
      statusKeepsStoredMetadata: ['labels'],
      defaults: (o: KubeObject) => defaultDeployment(o as Deployment),
      prepareForCreate(o: KubeObject) { o.status = {}; },
      validate: (o: KubeObject) => validateDeployment(o as Deployment),
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateSelectorImmutable((o as Deployment).spec?.selector, (old as Deployment).spec?.selector, FieldPath.root('spec').child('selector')),
      ],
    },
    printer: deploymentPrinter,
  });
}

// policy/v1 PodDisruptionBudget: minAvailable xor maxUnavailable; status (counts start at zero) is
// the disruption controller's.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { podDisruptionBudgetPrinter } from '../printers/pod-disruption-budget';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateObjectMetaUpdate } from '../validation/object-meta';
import { validatePodDisruptionBudget } from '../validation/policy';

export function podDisruptionBudgetResource(): ResourceDef {
  return defineResource({
    group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', shortNames: ['pdb'],
    namespaced: true, openapiName: 'io.k8s.api.policy.v1.PodDisruptionBudget', hasGeneration: true,
    subresources: { status: true },
    strategy: {
      prepareForCreate(o: KubeObject) { o.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }; },
      validate: (o: KubeObject) => validatePodDisruptionBudget(o as PodDisruptionBudget),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: podDisruptionBudgetPrinter,
  });
}

// core/v1 Pod: defaults, status on create (Pending + QoS class), validation, the update rules
// for a pod's mostly-immutable spec, field selectors and the `kubectl get pods` printer.
import type { Pod } from 'kubernetes-types/core/v1';
import { FieldPath } from '../field-error';
import { podPrinter } from '../printers/pod';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { validatePodSpec } from '../validation/pod-spec';
import { validatePodSpecUpdate } from '../validation/pod-update';
import { defaultPod } from './pod-defaults';
import { podQOSClass } from './pod-qos';

export function podFieldAttributes(o: KubeObject): Record<string, string> {
  const p = o as Pod;
  return {
    'spec.nodeName': p.spec?.nodeName ?? '',
    'spec.restartPolicy': p.spec?.restartPolicy ?? '',
    'spec.schedulerName': p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': p.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': String(p.spec?.hostNetwork ?? false),
    'status.phase': p.status?.phase ?? '',
    'status.podIP': p.status?.podIPs?.[0]?.ip ?? p.status?.podIP ?? '',
    'status.nominatedNodeName': p.status?.nominatedNodeName ?? '',
  };
}

export function podResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'Pod', plural: 'pods', shortNames: ['po'], categories: ['all'],
    namespaced: true, openapiName: 'io.k8s.api.core.v1.Pod',
    subresources: { status: true, others: ['binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers'] },
    strategy: {
      // Old kubelets corrupted owner references through pods/status, so upstream keeps the stored ones.
      statusKeepsStoredMetadata: ['ownerReferences'],
      defaults: (o: KubeObject) => defaultPod(o as Pod),
      prepareForCreate(o: KubeObject) {
        const pod = o as Pod;
        const spec = pod.spec;
        // Set by the Priority admission plugin upstream when no priority class applies.
        if (spec) {
          spec.priority ??= 0;
          spec.preemptionPolicy ??= 'PreemptLowerPriority';
        }
        o.status = { phase: 'Pending', qosClass: podQOSClass(spec) };
      },
      prepareForUpdate(o: KubeObject, old: KubeObject) {
        const spec = (o as Pod).spec;
        const oldSpec = (old as Pod).spec;
        // Priority admission keeps the stored priority when an update leaves it out.
        if (spec && oldSpec) {
          if (spec.priority === undefined && oldSpec.priority !== undefined) spec.priority = oldSpec.priority;
          if (spec.preemptionPolicy === undefined && oldSpec.preemptionPolicy !== undefined) spec.preemptionPolicy = oldSpec.preemptionPolicy;
        }
      },
      validate: (o: KubeObject) => [
        ...validateObjectMeta(o.metadata, true, nameIsDNSSubdomain),
        ...validatePodSpec((o as Pod).spec, FieldPath.root('spec')),
      ],
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validatePodSpecUpdate((o as Pod).spec, (old as Pod).spec),
      ],
      deletionGracePeriod(o: KubeObject, requested: number | undefined) {
        const pod = o as Pod;
        // Unscheduled and finished pods have no kubelet to wait for: they go at once.
        if (!pod.spec?.nodeName) return 0;
        const phase = pod.status?.phase;
        if (phase === 'Succeeded' || phase === 'Failed') return 0;
        const grace = requested ?? pod.spec.terminationGracePeriodSeconds ?? 30;
        return grace < 0 ? 1 : grace;
      },
      fieldAttributes: podFieldAttributes,
    },
    printer: podPrinter,
  });
}

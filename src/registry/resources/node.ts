// core/v1 Node: cluster-scoped, stored under "minions" as upstream does; status may be set at
// creation (kubelets register with it); `spec.unschedulable` is a field selector.
import type { Node } from 'kubernetes-types/core/v1';
import { FieldPath, invalidValue, notSupported } from '../field-error';
import { nodePrinter } from '../printers/node';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef, Writable } from '../resource-types';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { canonicalizeResourceList } from './object-helpers';

const taintEffects = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

function validateNode(n: Node) {
  const errs = validateObjectMeta(n.metadata, false, nameIsDNSSubdomain);
  const p = FieldPath.root('spec');
  (n.spec?.taints ?? []).forEach((t, i) => {
    const tp = p.child('taints').index(i);
    if (!taintEffects.includes(t.effect)) errs.push(notSupported(tp.child('effect'), t.effect, taintEffects));
  });
  (n.spec?.podCIDRs ?? []).forEach((c, i) => {
    if (!/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(c)) errs.push(invalidValue(p.child('podCIDRs').index(i), c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  return errs;
}

const nodeInfoFields = ['architecture', 'bootID', 'containerRuntimeVersion', 'kernelVersion', 'kubeProxyVersion', 'kubeletVersion',
  'machineID', 'operatingSystem', 'osImage', 'systemUUID'] as const;

export function nodeResource(): ResourceDef {
  return defineResource({
    group: '', version: 'v1', kind: 'Node', plural: 'nodes', shortNames: ['no'],
    namespaced: false, storagePrefix: 'minions', openapiName: 'io.k8s.api.core.v1.Node',
    subresources: { status: true, others: ['proxy'] },
    strategy: {
      defaults(o: KubeObject) {
        const n = o as Writable<Node>;
        if (n.spec?.podCIDR && !n.spec.podCIDRs?.length) n.spec.podCIDRs = [n.spec.podCIDR];
        const st = (n.status ??= {});
        canonicalizeResourceList(st.capacity, 'Node', 'v1');
        canonicalizeResourceList(st.allocatable, 'Node', 'v1');
        if (st.capacity && !st.allocatable) st.allocatable = { ...st.capacity };
        // Go serialises these non-pointer structs and their plain fields even when nothing set them.
        const endpoint = ((st.daemonEndpoints ??= {}).kubeletEndpoint ??= { Port: 0 });
        endpoint.Port ??= 0;
        const info = (st.nodeInfo ??= {} as NonNullable<NonNullable<Node['status']>['nodeInfo']>) as Writable<NonNullable<NonNullable<Node['status']>['nodeInfo']>>;
        for (const f of nodeInfoFields) info[f] ??= '';
      },
      // Nodes keep the status they are created with.
      prepareForCreate: () => undefined,
      validate: (o: KubeObject) => validateNode(o as Node),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
      fieldAttributes: (o: KubeObject) => ({ 'spec.unschedulable': String((o as Node).spec?.unschedulable ?? false) }),
    },
    printer: nodePrinter,
  });
}

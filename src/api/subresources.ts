// Subresources served by the generic handlers: scale (autoscaling/v1 Scale over a replicas path)
// and pods/binding (the scheduler's write). Status is handled by the store itself.
import type { Binding, Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { Scale } from 'kubernetes-types/autoscaling/v1';
import type { KubeObject, ResourceDef, ScaleSubresource, Writable } from '../registry/resource-types';
import { badRequest, conflict } from '../registry/errors';
import { nowTimestamp } from '../registry/object-meta';
import { fromLabelSelector } from '../registry/label-selector';
import type { LabelSelector } from 'kubernetes-types/meta/v1';

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (typeof next !== 'object' || next === null) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

export function toScale(def: ResourceDef, obj: KubeObject, sc: ScaleSubresource): Scale {
  const m = obj.metadata ?? {};
  const scale: Scale = {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: Number(getPath(obj, sc.specReplicasPath) ?? 0) },
    status: { replicas: Number(getPath(obj, sc.statusReplicasPath) ?? 0) },
  };
  if (sc.labelSelectorPath) {
    const sel = getPath(obj, sc.labelSelectorPath);
    // Built-in workloads keep a structured selector in spec; Scale reports it in string form.
    const text = typeof sel === 'string' ? sel : sel && typeof sel === 'object' ? fromLabelSelector(sel as LabelSelector)?.toString() ?? '' : '';
    if (text) (scale as Writable<Scale>).status = { ...scale.status, selector: text } as Scale['status'];
  }
  void def;
  return scale;
}

export function applyScale(obj: KubeObject, sc: ScaleSubresource, scale: Scale): KubeObject {
  const replicas = scale.spec?.replicas;
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
    throw badRequest(`Scale.autoscaling "${obj.metadata?.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`);
  }
  setPath(obj as Record<string, unknown>, sc.specReplicasPath, replicas ?? 0);
  if (scale.metadata?.resourceVersion) obj.metadata = { ...obj.metadata, resourceVersion: scale.metadata.resourceVersion };
  return obj;
}

/** pods/binding: set nodeName once, and record PodScheduled=True. */
export function bindPod(pod: Writable<Pod>, binding: Binding): Pod {
  const name = pod.metadata?.name ?? '';
  if (!binding.target?.name) throw badRequest('Binding target name is required');
  if (pod.metadata?.deletionTimestamp) {
    throw conflict({ group: '', resource: 'pods' }, name, 'pod is being deleted, cannot be assigned to a host');
  }
  if (pod.spec?.nodeName) {
    throw conflict({ group: '', resource: 'pods' }, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  }
  pod.spec = { ...pod.spec!, nodeName: binding.target.name };
  const conds: PodCondition[] = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null as unknown as string, lastTransitionTime: nowTimestamp() });
  pod.status = { ...pod.status, conditions: conds };
  return pod;
}

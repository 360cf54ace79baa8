// A container's environment as upstream's kubelet builds it: envFrom sources first, then env entries in
// order, each value expanded against the variables defined before it; missing optional sources are skipped.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { expandVars } from './env-expansion';
import { podFieldValue, resourceFieldValue, type NodeAllocatable } from './downward-api';
import { configMapEntries, secretEntries, type ObjectSource } from './object-source';

export class EnvError extends Error {
  /** reason is what the container's waiting state reports, e.g. CreateContainerConfigError. */
  constructor(message: string, readonly reason = 'CreateContainerConfigError') { super(message); }
}

export async function containerEnv(pod: Pod, c: Container, source: ObjectSource, node: NodeAllocatable): Promise<{ key: string; value: string }[]> {
  const ns = pod.metadata?.namespace ?? 'default';
  const vars = new Map<string, string>();
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let entries: Map<string, Buffer> | undefined;
    if (from.configMapRef) {
      const cm = await source.configMap(ns, from.configMapRef.name ?? '');
      if (!cm && !from.configMapRef.optional) throw new EnvError(`configmap "${from.configMapRef.name}" not found`);
      entries = cm ? configMapEntries(cm) : undefined;
    } else if (from.secretRef) {
      const s = await source.secret(ns, from.secretRef.name ?? '');
      if (!s && !from.secretRef.optional) throw new EnvError(`secret "${from.secretRef.name}" not found`);
      entries = s ? secretEntries(s) : undefined;
    }
    for (const [k, v] of entries ?? []) vars.set(prefix + k, v.toString('utf8'));
  }
  for (const e of c.env ?? []) {
    const lookup = (n: string): string | undefined => vars.get(n);
    if (e.value !== undefined || !e.valueFrom) { vars.set(e.name, expandVars(e.value ?? '', lookup)); continue; }
    const vf = e.valueFrom;
    if (vf.fieldRef) vars.set(e.name, podFieldValue(pod, vf.fieldRef));
    else if (vf.resourceFieldRef) {
      const target = vf.resourceFieldRef.containerName ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]
        .find((x) => x.name === vf.resourceFieldRef!.containerName) : c;
      vars.set(e.name, resourceFieldValue(target, vf.resourceFieldRef, node));
    } else if (vf.configMapKeyRef) {
      const ref = vf.configMapKeyRef;
      const cm = await source.configMap(ns, ref.name ?? '');
      const v = cm ? configMapEntries(cm).get(ref.key) : undefined;
      if (v === undefined) {
        if (ref.optional) continue;
        throw new EnvError(cm ? `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` : `configmap "${ref.name}" not found`);
      }
      vars.set(e.name, v.toString('utf8'));
    } else if (vf.secretKeyRef) {
      const ref = vf.secretKeyRef;
      const s = await source.secret(ns, ref.name ?? '');
      const v = s ? secretEntries(s).get(ref.key) : undefined;
      if (v === undefined) {
        if (ref.optional) continue;
        throw new EnvError(s ? `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` : `secret "${ref.name}" not found`);
      }
      vars.set(e.name, v.toString('utf8'));
    }
  }
  return [...vars].map(([key, value]) => ({ key, value }));
}

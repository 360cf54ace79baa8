// The downward API: pod fields (fieldRef) and container resources (resourceFieldRef) as strings, for
// env vars and downwardAPI volume files, with upstream's formats and the node's allocatable as the
// value of an unset limit.
import type { Container, ObjectFieldSelector, Pod, ResourceFieldSelector } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../../registry/quantity';

export interface NodeAllocatable { cpu: string; memory: string; 'ephemeral-storage': string }

/** `key="value"` lines sorted by key, as upstream formats labels and annotations in a file. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${JSON.stringify(m![k])}`).join('\n');
}

export function podFieldValue(pod: Pod, ref: ObjectFieldSelector): string {
  const path = ref.fieldPath;
  const meta = pod.metadata ?? {};
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (sub[1] === 'labels' ? meta.labels : meta.annotations)?.[sub[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return meta.name ?? '';
    case 'metadata.namespace': return meta.namespace ?? '';
    case 'metadata.uid': return meta.uid ?? '';
    case 'metadata.labels': return formatMap(meta.labels);
    case 'metadata.annotations': return formatMap(meta.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': return pod.status?.hostIP ?? '';
    case 'status.hostIPs': return (pod.status?.hostIPs ?? []).map((i) => i.ip).join(',');
    case 'status.podIP': return pod.status?.podIP ?? '';
    case 'status.podIPs': return (pod.status?.podIPs ?? []).map((i) => i.ip).join(',');
    default: throw new Error(`unsupported fieldPath: ${path}`);
  }
}

export function resourceFieldValue(container: Container | undefined, ref: ResourceFieldSelector, node: NodeAllocatable): string {
  const [kind, name] = ref.resource.split('.') as ['limits' | 'requests', keyof NodeAllocatable];
  if (!container || !['limits', 'requests'].includes(kind) || !(name in node)) throw new Error(`unsupported resource: ${ref.resource}`);
  // An unset limit reads as the node's allocatable (upstream's MergeContainerResourceLimits); an unset request as 0
  // (cpu requests default to the limit at admission, so this only hits truly unset ones).
  const raw = container.resources?.[kind]?.[name] ?? (kind === 'limits' ? node[name] : '0');
  const q = parseQuantity(raw);
  const divisor = parseQuantity(ref.divisor ?? '1');
  if (name === 'cpu') return String(Math.ceil(q.milliValue() / Math.max(divisor.milliValue(), 1)));
  return String(Math.ceil(q.value() / Math.max(divisor.value(), 1)));
}

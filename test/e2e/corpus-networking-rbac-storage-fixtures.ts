// The networking/discovery/policy/rbac/storage/scheduling/node part of the manifest corpus: which
// fixture files are ours (by kind prefix) and the upstream message each invalid one must produce.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** File-name prefix → the resource `kubectl get` uses for the kind. */
export const corpusKinds: Record<string, string> = {
  'ingress-': 'ingresses.networking.k8s.io',
  'ingressclass-': 'ingressclasses.networking.k8s.io',
  'networkpolicy-': 'networkpolicies.networking.k8s.io',
  'endpointslice-': 'endpointslices.discovery.k8s.io',
  'poddisruptionbudget-': 'poddisruptionbudgets.policy',
  'role-': 'roles.rbac.authorization.k8s.io',
  'rolebinding-': 'rolebindings.rbac.authorization.k8s.io',
  'clusterrole-': 'clusterroles.rbac.authorization.k8s.io',
  'clusterrolebinding-': 'clusterrolebindings.rbac.authorization.k8s.io',
  'storageclass-': 'storageclasses.storage.k8s.io',
  'csidriver-': 'csidrivers.storage.k8s.io',
  'csinode-': 'csinodes.storage.k8s.io',
  'volumeattachment-': 'volumeattachments.storage.k8s.io',
  'priorityclass-': 'priorityclasses.scheduling.k8s.io',
  'runtimeclass-': 'runtimeclasses.node.k8s.io',
};

export interface CorpusFile { file: string; path: string; resource: string; expect?: string }

/** The longest matching prefix decides the kind (`rolebinding-` over `role-`). */
function resourceFor(file: string): string | undefined {
  const prefix = Object.keys(corpusKinds).filter((p) => file.startsWith(p)).sort((a, b) => b.length - a.length)[0];
  return prefix ? corpusKinds[prefix] : undefined;
}

export function corpusFiles(kind: 'valid' | 'invalid'): CorpusFile[] {
  const dir = path.join(__dirname, 'fixtures', kind);
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().flatMap((file) => {
    const resource = resourceFor(file);
    if (!resource) return [];
    const p = path.join(dir, file);
    const first = readFileSync(p, 'utf8').split('\n')[0];
    const m = /^# expect: (.*)$/.exec(first);
    if (kind === 'invalid' && !m) throw new Error(`${p} has no leading "# expect: <message>" line`);
    return [{ file, path: p, resource, expect: m?.[1] }];
  });
}

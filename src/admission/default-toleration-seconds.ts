// DefaultTolerationSeconds: pods that do not say otherwise tolerate a not-ready or unreachable node for
// 300 s before the node lifecycle controller evicts them, as upstream's admission plugin of that name adds.
import type { Pod, Toleration } from 'kubernetes-types/core/v1';
import type { AdmissionPlugin } from './admission';

export const notReadyTaint = 'node.kubernetes.io/not-ready';
export const unreachableTaint = 'node.kubernetes.io/unreachable';
const defaultSeconds = 300;

function tolerates(ts: Toleration[], key: string): boolean {
  return ts.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

export const defaultTolerationSeconds: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  mutate(a) {
    if (a.operation !== 'CREATE' || a.subresource !== '' || a.def.group !== '' || a.def.plural !== 'pods' || !a.object) return;
    const spec = (a.object as Pod).spec;
    if (!spec) return;
    const ts = spec.tolerations ?? [];
    const added: Toleration[] = [];
    for (const key of [notReadyTaint, unreachableTaint]) {
      if (!tolerates(ts, key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultSeconds });
    }
    if (added.length) spec.tolerations = [...ts, ...added];
  },
};

// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods tolerating its NoSchedule taint.
import type { FilterPlugin } from '../framework';
import { unresolvable } from '../framework';
import { tolerates } from '../tolerations';

const name = 'NodeUnschedulable';
const cordonTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulableFilter: FilterPlugin = {
  name,
  prepare(pod) {
    const tolerated = (pod.spec?.tolerations ?? []).some((t) => tolerates(t, cordonTaint));
    if (tolerated) return null;
    return (n) => (n.node?.spec?.unschedulable ? unresolvable(name, 'node(s) were unschedulable') : undefined);
  },
};

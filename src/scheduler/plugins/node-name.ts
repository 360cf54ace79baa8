// NodeName: a pod naming its node fits only that node.
import type { FilterPlugin } from '../framework';
import { unresolvable } from '../framework';

const name = 'NodeName';

export const nodeNameFilter: FilterPlugin = {
  name,
  prepare(pod) {
    const wanted = pod.spec?.nodeName;
    if (!wanted) return null;
    return (n) => (n.name !== wanted ? unresolvable(name, "node(s) didn't match the requested node name") : undefined);
  },
};

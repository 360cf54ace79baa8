// TaintToleration: NoSchedule and NoExecute taints the pod does not tolerate rule a node out; untolerated
// PreferNoSchedule taints lower its score.
import type { Toleration } from 'kubernetes-types/core/v1';
import { defaultNormalize, unresolvable, type FilterPlugin, type ScorePlugin } from '../framework';
import { firstUntolerated, tolerates } from '../tolerations';

const name = 'TaintToleration';

export const taintTolerationFilter: FilterPlugin = {
  name,
  prepare(pod) {
    const tolerations = pod.spec?.tolerations ?? [];
    return (n) => {
      const taint = firstUntolerated(n.node?.spec?.taints ?? [], tolerations, ['NoSchedule', 'NoExecute']);
      return taint ? unresolvable(name, `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`) : undefined;
    };
  },
};

export const taintTolerationScore: ScorePlugin = {
  name,
  weight: 3,
  prepare(pod) {
    const prefer: Toleration[] = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return {
      score: (n) => (n.node?.spec?.taints ?? [])
        .filter((taint) => taint.effect === 'PreferNoSchedule' && !prefer.some((t) => tolerates(t, taint))).length,
      normalize: (scores) => defaultNormalize(scores, true),
    };
  },
};

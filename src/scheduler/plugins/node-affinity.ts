// NodeAffinity: nodeSelector and required node affinity filter; preferred terms' weights score.
import { defaultNormalize, unresolvable, type FilterPlugin, type ScorePlugin } from '../framework';
import { requiredNodeAffinityMatches, termMatches } from '../node-selector';

const name = 'NodeAffinity';

export const nodeAffinityFilter: FilterPlugin = {
  name,
  prepare(pod) {
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && Object.keys(pod.spec?.nodeSelector ?? {}).length === 0) return null;
    return (n) => (n.node && requiredNodeAffinityMatches(pod, n.node)
      ? undefined : unresolvable(name, "node(s) didn't match Pod's node affinity/selector"));
  },
};

export const nodeAffinityScore: ScorePlugin = {
  name,
  weight: 2,
  prepare(pod) {
    const preferred = (pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .filter((t) => t.weight !== 0);
    if (preferred.length === 0) return null;
    return {
      score: (n) => preferred.reduce((s, t) => s + (n.node && termMatches(t.preference, n.node) ? t.weight : 0), 0),
      normalize: (scores) => defaultNormalize(scores, false),
    };
  },
};

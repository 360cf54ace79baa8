// A pod's priority: spec.priority, which the apiserver resolves from priorityClassName at admission;
// when it did not (no PriorityClass kind served), the class's value if known, else the global default, else 0.
import type { Pod } from 'kubernetes-types/core/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';

export function podPriority(pod: Pod, classes?: ReadonlyMap<string, PriorityClass>): number {
  if (pod.spec?.priority !== undefined) return pod.spec.priority;
  if (classes) {
    const named = pod.spec?.priorityClassName;
    if (named) return classes.get(named)?.value ?? 0;
    for (const c of classes.values()) if (c.globalDefault) return c.value;
  }
  return 0;
}

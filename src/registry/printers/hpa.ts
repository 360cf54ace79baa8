// `kubectl get horizontalpodautoscalers` columns: the scale target, each metric as `current/target`
// (two at most, then "+ N more..."), replica bounds and current replicas.
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import { parseQuantity } from '../quantity';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, nameColumn } from './index-helpers';

const q = (v: string | undefined) => {
  if (v === undefined) return '0';
  try { return parseQuantity(v).toString(); } catch { return v; }
};

function metricCell(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External': {
      const t = spec.external?.target;
      if (t?.averageValue !== undefined) return `${status?.external?.current.averageValue !== undefined ? q(status.external.current.averageValue) : '<unknown>'}/${q(t.averageValue)} (avg)`;
      return `${status?.external ? q(status.external.current.value) : '<unknown>'}/${q(t?.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? q(status.pods.current.averageValue) : '<unknown>'}/${q(spec.pods?.target.averageValue)}`;
    case 'Object': {
      const t = spec.object?.target;
      if (t?.averageValue !== undefined) return `${status?.object ? q(status.object.current.averageValue) : '<unknown>'}/${q(t.averageValue)} (avg)`;
      return `${status?.object ? q(status.object.current.value) : '<unknown>'}/${q(t?.value)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const cur = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      const name = src?.name ?? '';
      if (src?.target.averageValue !== undefined) return `${name}: ${cur ? q(cur.current.averageValue) : '<unknown>'}/${q(src.target.averageValue)}`;
      const current = cur?.current.averageUtilization !== undefined ? `${cur.current.averageUtilization}%` : '<unknown>';
      const target = src?.target.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
      return `${name}: ${current}/${target}`;
    }
    default:
      return '<unknown type>';
  }
}

export function formatHpaMetrics(specs: MetricSpec[] | undefined, statuses: MetricStatus[] | undefined): string {
  if (!specs?.length) return '<none>';
  const cells = specs.map((s, i) => metricCell(s, statuses?.[i]));
  const max = 2;
  if (cells.length <= max) return cells.join(', ');
  return `${cells.slice(0, max).join(', ')} + ${cells.length - max} more...`;
}

export const hpaPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Reference', 'string', 'reference to the object whose replica count is being scaled'),
    col('Targets', 'string', 'the current/target values of the metrics used to compute the desired replica count'),
    col('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    col('MaxPods', 'integer', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    col('Replicas', 'integer', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    ageColumn(),
  ],
  row(obj: KubeObject): unknown[] {
    const h = obj as HorizontalPodAutoscaler;
    const ref = h.spec?.scaleTargetRef;
    return [
      h.metadata?.name ?? '', `${ref?.kind ?? ''}/${ref?.name ?? ''}`, formatHpaMetrics(h.spec?.metrics, h.status?.currentMetrics),
      h.spec?.minReplicas === undefined ? '<unset>' : h.spec.minReplicas, h.spec?.maxReplicas ?? 0, h.status?.currentReplicas ?? 0,
      ageSince(h.metadata?.creationTimestamp),
    ];
  },
};

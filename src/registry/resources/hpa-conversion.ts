// autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscaler conversion: v1's CPU target and current
// utilization map to a Resource metric; what v1 cannot express (other metrics, behavior, conditions)
// rides in the alpha annotations upstream uses, so a v1 round trip loses nothing.
import type { HorizontalPodAutoscaler as V1 } from 'kubernetes-types/autoscaling/v1';
import type { HorizontalPodAutoscaler as V2, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import type { KubeObject, Writable } from '../resource-types';
import type { VersionConversion } from '../version-conversion';

const metricsAnnotation = 'autoscaling.alpha.kubernetes.io/metrics';
const currentMetricsAnnotation = 'autoscaling.alpha.kubernetes.io/current-metrics';
const conditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';
const behaviorAnnotation = 'autoscaling.alpha.kubernetes.io/behavior';

const isCpuUtilization = (m: MetricSpec) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.type === 'Utilization';
const isCpuStatus = (m: MetricStatus) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.current.averageUtilization !== undefined;

function takeJson<T>(ann: Record<string, string>, key: string): T | undefined {
  const v = ann[key];
  delete ann[key];
  if (v === undefined) return undefined;
  try { return JSON.parse(v) as T; } catch { return undefined; }
}

function withoutEmpty(ann: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(ann).length ? ann : undefined;
}

export function hpaV1ToV2(o: KubeObject): KubeObject {
  const v1 = o as V1;
  const ann = { ...v1.metadata?.annotations };
  const metrics: MetricSpec[] = [];
  const cpu = v1.spec?.targetCPUUtilizationPercentage;
  if (cpu !== undefined) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } });
  metrics.push(...takeJson<MetricSpec[]>(ann, metricsAnnotation) ?? []);
  const current: MetricStatus[] = [];
  const currentCpu = v1.status?.currentCPUUtilizationPercentage;
  if (currentCpu !== undefined) current.push({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCpu } } });
  current.push(...takeJson<MetricStatus[]>(ann, currentMetricsAnnotation) ?? []);
  const conditions = takeJson<NonNullable<V2['status']>['conditions']>(ann, conditionsAnnotation);
  const behavior = takeJson<NonNullable<V2['spec']>['behavior']>(ann, behaviorAnnotation);
  const v2: Writable<V2> = {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
    metadata: { ...v1.metadata, annotations: withoutEmpty(ann) },
    spec: {
      scaleTargetRef: v1.spec?.scaleTargetRef ?? { kind: '', name: '' },
      minReplicas: v1.spec?.minReplicas,
      maxReplicas: v1.spec?.maxReplicas ?? 0,
      ...(metrics.length ? { metrics } : {}),
      ...(behavior ? { behavior } : {}),
    },
  };
  if (v1.status) {
    v2.status = {
      observedGeneration: v1.status.observedGeneration, lastScaleTime: v1.status.lastScaleTime,
      currentReplicas: v1.status.currentReplicas || undefined, desiredReplicas: v1.status.desiredReplicas ?? 0,
      ...(current.length ? { currentMetrics: current } : {}), ...(conditions ? { conditions } : {}),
    };
  }
  if (v2.metadata && !v2.metadata.annotations) delete v2.metadata.annotations;
  return JSON.parse(JSON.stringify(v2)) as KubeObject;
}

export function hpaV2ToV1(o: KubeObject): KubeObject {
  const v2 = o as V2;
  const ann = { ...v2.metadata?.annotations };
  const metrics = v2.spec?.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  if (others.length) ann[metricsAnnotation] = JSON.stringify(others);
  if (v2.spec?.behavior) ann[behaviorAnnotation] = JSON.stringify(v2.spec.behavior);
  const current = v2.status?.currentMetrics ?? [];
  const currentCpu = current.find(isCpuStatus);
  const otherCurrent = current.filter((m) => m !== currentCpu);
  if (otherCurrent.length) ann[currentMetricsAnnotation] = JSON.stringify(otherCurrent);
  if (v2.status?.conditions?.length) ann[conditionsAnnotation] = JSON.stringify(v2.status.conditions);
  const v1: Writable<V1> = {
    apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler',
    metadata: { ...v2.metadata, annotations: withoutEmpty(ann) },
    spec: {
      scaleTargetRef: v2.spec?.scaleTargetRef ?? { kind: '', name: '' },
      minReplicas: v2.spec?.minReplicas,
      maxReplicas: v2.spec?.maxReplicas ?? 0,
      targetCPUUtilizationPercentage: cpu?.resource?.target.averageUtilization,
    },
  };
  if (v2.status) {
    v1.status = {
      observedGeneration: v2.status.observedGeneration, lastScaleTime: v2.status.lastScaleTime,
      currentReplicas: v2.status.currentReplicas ?? 0, desiredReplicas: v2.status.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: currentCpu?.resource?.current.averageUtilization,
    };
  }
  return JSON.parse(JSON.stringify(v1)) as KubeObject;
}

export const hpaV1Conversion: VersionConversion = {
  storageApiVersion: 'autoscaling/v2',
  toStorage: hpaV1ToV2,
  fromStorage: hpaV2ToV1,
};

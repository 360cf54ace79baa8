// Defaults for workloads that embed a pod template (SetDefaults_Deployment / _ReplicaSet plus the
// template's pod spec defaults).
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { defaultPodSpec } from './pod-defaults';

/** Template defaults; Go renders the template's zero creationTimestamp as `null`, so we store that too. */
export function defaultPodTemplate(t: PodTemplateSpec | undefined, kind: string): void {
  if (!t) return;
  const md = (t.metadata ??= {}) as Record<string, unknown>;
  if (md.creationTimestamp === undefined) md.creationTimestamp = null;
  if (t.spec) defaultPodSpec(t.spec, kind);
}

export function defaultDeployment(d: Deployment): void {
  const spec = d.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template, 'Deployment');
}

export function defaultReplicaSet(rs: ReplicaSet): void {
  const spec = rs.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template, 'ReplicaSet');
}

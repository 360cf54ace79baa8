// Defaults for workloads that embed a pod template (SetDefaults_Deployment / _ReplicaSet /
// _StatefulSet / _DaemonSet / _ReplicationController plus the template's pod spec defaults).
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, PodTemplateSpec, ReplicationController } from 'kubernetes-types/core/v1';
import type { Writable } from '../resource-types';
import { defaultPodSpec } from './pod-defaults';
import { defaultClaim } from './volume-claim-defaults';

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

export function defaultStatefulSet(sts: StatefulSet): void {
  const spec = sts.spec;
  if (!spec) return;
  spec.podManagementPolicy ||= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template, 'StatefulSet');
  for (const t of spec.volumeClaimTemplates ?? []) {
    // Stored templates carry their own type meta, and a zero creationTimestamp, as upstream's do.
    const claim = t as Writable<PersistentVolumeClaim>;
    claim.apiVersion ??= 'v1';
    claim.kind ??= 'PersistentVolumeClaim';
    const md = (claim.metadata ??= {}) as Record<string, unknown>;
    if (md.creationTimestamp === undefined) md.creationTimestamp = null;
    defaultClaim(claim, 'StatefulSet', 'v1');
  }
}

export function defaultDaemonSet(ds: DaemonSet): void {
  const spec = ds.spec;
  if (!spec) return;
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template, 'DaemonSet');
}

/** The selector and the controller's labels come from the template's labels when unset. */
export function defaultReplicationController(rc: ReplicationController): void {
  const spec = rc.spec;
  if (!spec) return;
  const labels = spec.template?.metadata?.labels;
  if (labels) {
    if (!spec.selector || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
    const md = (rc.metadata ??= {});
    if (!md.labels || Object.keys(md.labels).length === 0) md.labels = { ...labels };
  }
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template, 'ReplicationController');
}

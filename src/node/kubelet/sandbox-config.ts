// A pod's CRI PodSandboxConfig: metadata and labels that identify it, hostname, DNS, host ports, the
// pod's cgroup parent and host namespaces.
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodSandboxConfig } from '../cri/cri-types';
import { NODE_NAME, POD_NAME, POD_NAMESPACE, POD_UID } from './cri-labels';
import { podDnsConfig, type DnsSettings } from './pod-dns';

export interface SandboxOptions {
  nodeName: string;
  logRoot: string;
  cgroupParent: string;
  dns: DnsSettings;
}

export function podLogDir(logRoot: string, pod: Pod): string {
  const m = pod.metadata!;
  return `${logRoot}/${m.namespace}_${m.name}_${m.uid}`;
}

/** Upstream's hostname rule: spec.hostname or the pod name, cut to 63 characters. */
export function podHostname(pod: Pod): string {
  return (pod.spec?.hostname ?? pod.metadata?.name ?? '').slice(0, 63).replace(/[-.]+$/, '');
}

export function sandboxConfig(pod: Pod, attempt: number, o: SandboxOptions): PodSandboxConfig {
  const m = pod.metadata!;
  const spec = pod.spec!;
  const hostNetwork = !!spec.hostNetwork;
  const ports = [...(spec.initContainers ?? []), ...spec.containers].flatMap((c) => c.ports ?? [])
    .filter((p) => p.hostPort)
    .map((p) => ({ protocol: (p.protocol ?? 'TCP') as 'TCP' | 'UDP' | 'SCTP', containerPort: p.containerPort, hostPort: p.hostPort!, hostIp: p.hostIP ?? '' }));
  const sc = spec.securityContext;
  return {
    metadata: { name: m.name!, uid: m.uid!, namespace: m.namespace!, attempt },
    hostname: hostNetwork ? '' : podHostname(pod),
    logDirectory: podLogDir(o.logRoot, pod),
    dnsConfig: podDnsConfig(pod, o.dns),
    portMappings: ports,
    labels: { ...(m.labels ?? {}), [POD_NAME]: m.name!, [POD_NAMESPACE]: m.namespace!, [POD_UID]: m.uid!, [NODE_NAME]: o.nodeName },
    annotations: { ...(m.annotations ?? {}) },
    linux: {
      cgroupParent: `${o.cgroupParent}/pod${m.uid}`,
      securityContext: {
        namespaceOptions: {
          network: hostNetwork ? 'NODE' : 'POD',
          pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
          ipc: spec.hostIPC ? 'NODE' : 'POD',
        },
        ...(sc?.runAsUser !== undefined ? { runAsUser: { value: sc.runAsUser } } : {}),
        ...(sc?.runAsGroup !== undefined ? { runAsGroup: { value: sc.runAsGroup } } : {}),
        supplementalGroups: sc?.supplementalGroups ?? [],
      },
      sysctls: Object.fromEntries((sc?.sysctls ?? []).map((s) => [s.name, s.value])),
    },
  };
}

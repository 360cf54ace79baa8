// A pod's CRI PodSandboxConfig: metadata and labels that identify it, hostname, DNS, host ports, the
// pod's cgroup parent and host namespaces.
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodSandboxConfig } from '../cri/cri-types';
import { NODE_NAME, POD_NAME, POD_NAMESPACE, POD_UID } from './cri-labels';

export interface SandboxOptions {
  nodeName: string;
  logRoot: string;
  cgroupParent: string;
  /** --cluster-dns / --cluster-domain; without a cluster DNS, pods get the host's resolv.conf. */
  clusterDns: string[];
  clusterDomain: string;
}

export function podLogDir(logRoot: string, pod: Pod): string {
  const m = pod.metadata!;
  return `${logRoot}/${m.namespace}_${m.name}_${m.uid}`;
}

/** Upstream's hostname rule: spec.hostname or the pod name, cut to 63 characters. */
export function podHostname(pod: Pod): string {
  return (pod.spec?.hostname ?? pod.metadata?.name ?? '').slice(0, 63).replace(/[-.]+$/, '');
}

function dnsOptions(opts: { name?: string; value?: string }[] | undefined): string[] {
  return (opts ?? []).map((x) => (x.value ? `${x.name ?? ''}:${x.value}` : x.name ?? '')).filter(Boolean);
}

function dnsConfig(pod: Pod, o: SandboxOptions): PodSandboxConfig['dnsConfig'] {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const custom = pod.spec?.dnsConfig;
  const clusterFirst = (policy === 'ClusterFirst' && !pod.spec?.hostNetwork) || policy === 'ClusterFirstWithHostNet';
  if (clusterFirst && o.clusterDns.length > 0) {
    const ns = pod.metadata?.namespace ?? 'default';
    return {
      servers: [...o.clusterDns, ...(custom?.nameservers ?? [])],
      searches: [`${ns}.svc.${o.clusterDomain}`, `svc.${o.clusterDomain}`, o.clusterDomain, ...(custom?.searches ?? [])],
      options: ['ndots:5', ...dnsOptions(custom?.options)],
    };
  }
  if (policy === 'None' || custom) {
    return {
      servers: custom?.nameservers ?? [], searches: custom?.searches ?? [],
      options: dnsOptions(custom?.options),
    };
  }
  // Default (or ClusterFirst with no cluster DNS, as upstream falls back): the runtime copies the host's resolv.conf.
  return undefined;
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
    ...(dnsConfig(pod, o) ? { dnsConfig: dnsConfig(pod, o) } : {}),
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

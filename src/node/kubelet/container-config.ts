// One container's CRI ContainerConfig from the pod spec: image, command and args with $(VAR) expanded,
// env, bind mounts for its volumeMounts (and the pod's /etc/hosts), resources as cgroup values, security
// context, and the labels and log path that tie it back to the pod.
import path from 'node:path';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../../registry/quantity';
import { podQOSClass } from '../../registry/resources/pod-qos';
import type { ContainerConfig, LinuxContainerResources, Mount } from '../cri/cri-types';
import { expandVars } from './env-expansion';
import { CONTAINER_NAME, NODE_NAME, POD_NAME, POD_NAMESPACE, POD_UID, RESTART_COUNT, TERMINATION_GRACE } from './cri-labels';
import { EnvError } from './container-env';

export const CPU_PERIOD_US = 100_000;

/** Upstream's cgroup values for a container's requests and limits (cpu shares/quota, memory, OOM score). */
export function linuxResources(pod: Pod, c: Container, nodeMemoryBytes: number): LinuxContainerResources {
  const q = (v: string | number | undefined): ReturnType<typeof parseQuantity> | undefined => (v === undefined ? undefined : parseQuantity(v));
  const cpuReq = q(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
  const cpuLim = q(c.resources?.limits?.cpu);
  const memLim = q(c.resources?.limits?.memory);
  const memReq = q(c.resources?.requests?.memory ?? c.resources?.limits?.memory);
  const out: LinuxContainerResources = { cpuShares: cpuReq ? Math.max(2, Math.floor((cpuReq.milliValue() * 1024) / 1000)) : 2 };
  if (cpuLim) {
    out.cpuPeriod = CPU_PERIOD_US;
    out.cpuQuota = Math.max(1000, Math.floor((cpuLim.milliValue() * CPU_PERIOD_US) / 1000));
  }
  if (memLim) out.memoryLimitInBytes = memLim.value();
  const qos = podQOSClass(pod.spec);
  if (qos === 'Guaranteed') out.oomScoreAdj = -997;
  else if (qos === 'BestEffort') out.oomScoreAdj = 1000;
  else {
    const adj = 1000 - Math.floor((1000 * (memReq?.value() ?? 0)) / Math.max(nodeMemoryBytes, 1));
    out.oomScoreAdj = Math.min(999, Math.max(2, adj));
  }
  return out;
}

function mountsFor(pod: Pod, c: Container, volumes: Map<string, string>, etcHosts: string | undefined): Mount[] {
  const mounts: Mount[] = [];
  for (const vm of c.volumeMounts ?? []) {
    const host = volumes.get(vm.name);
    if (host === undefined) throw new EnvError(`volume "${vm.name}" not found in pod ${pod.metadata?.name}`);
    const sub = vm.subPath ?? '';
    if (sub.split('/').includes('..') || path.isAbsolute(sub)) throw new EnvError(`invalid subPath ${sub}`);
    mounts.push({ containerPath: vm.mountPath, hostPath: sub ? path.join(host, sub) : host, readonly: !!vm.readOnly });
  }
  const ownsHosts = mounts.some((m) => m.containerPath === '/etc/hosts');
  if (etcHosts && !ownsHosts) mounts.push({ containerPath: '/etc/hosts', hostPath: etcHosts, readonly: false });
  return mounts;
}

export interface ContainerConfigInput {
  pod: Pod;
  container: Container;
  restartCount: number;
  env: { key: string; value: string }[];
  volumes: Map<string, string>;
  /** The kubelet-managed hosts file, unless the pod uses the host's network. */
  etcHosts?: string;
  nodeName: string;
  nodeMemoryBytes: number;
}

export function containerConfig(i: ContainerConfigInput): ContainerConfig {
  const { pod, container: c } = i;
  const m = pod.metadata!;
  const envMap = new Map(i.env.map((e) => [e.key, e.value]));
  const expand = (s: string): string => expandVars(s, (n) => envMap.get(n));
  const sc = c.securityContext;
  const psc = pod.spec?.securityContext;
  const runAsUser = sc?.runAsUser ?? psc?.runAsUser;
  const runAsGroup = sc?.runAsGroup ?? psc?.runAsGroup;
  return {
    metadata: { name: c.name, attempt: i.restartCount },
    image: { image: c.image ?? '' },
    command: (c.command ?? []).map(expand),
    args: (c.args ?? []).map(expand),
    workingDir: c.workingDir ?? '',
    envs: i.env,
    mounts: mountsFor(pod, c, i.volumes, i.etcHosts),
    labels: { [POD_NAME]: m.name!, [POD_NAMESPACE]: m.namespace!, [POD_UID]: m.uid!, [CONTAINER_NAME]: c.name, [NODE_NAME]: i.nodeName },
    annotations: {
      [RESTART_COUNT]: String(i.restartCount),
      [TERMINATION_GRACE]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
    },
    logPath: `${c.name}/${i.restartCount}.log`,
    stdin: !!c.stdin,
    stdinOnce: !!c.stdinOnce,
    tty: !!c.tty,
    linux: {
      resources: linuxResources(pod, c, i.nodeMemoryBytes),
      securityContext: {
        privileged: !!sc?.privileged,
        readonlyRootfs: !!sc?.readOnlyRootFilesystem,
        ...(runAsUser !== undefined ? { runAsUser: { value: runAsUser } } : {}),
        ...(runAsGroup !== undefined ? { runAsGroup: { value: runAsGroup } } : {}),
        ...(sc?.capabilities ? { capabilities: { addCapabilities: sc.capabilities.add ?? [], dropCapabilities: sc.capabilities.drop ?? [] } } : {}),
        noNewPrivs: sc?.allowPrivilegeEscalation === false,
        namespaceOptions: {
          network: pod.spec?.hostNetwork ? 'NODE' : 'POD',
          pid: pod.spec?.hostPID ? 'NODE' : pod.spec?.shareProcessNamespace ? 'POD' : 'CONTAINER',
          ipc: pod.spec?.hostIPC ? 'NODE' : 'POD',
        },
      },
    },
  };
}

/** The pod's /etc/hosts as upstream's kubelet writes it: localhost lines, the pod's own name, hostAliases. */
export function etcHostsContent(pod: Pod, podIPs: string[]): string {
  const lines = ['# Kubernetes-managed hosts file.', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet', 'fe00::0\tip6-mcastprefix', 'fe00::1\tip6-allnodes', 'fe00::2\tip6-allrouters'];
  const host = pod.spec?.hostname ?? pod.metadata?.name ?? '';
  const fqdn = pod.spec?.subdomain ? `${host}.${pod.spec.subdomain}.${pod.metadata?.namespace}.svc.cluster.local\t${host}` : host;
  for (const ip of podIPs) lines.push(`${ip}\t${fqdn}`);
  const aliases = pod.spec?.hostAliases ?? [];
  if (aliases.length > 0) lines.push('', '# Entries added by HostAliases.');
  for (const a of aliases) lines.push(`${a.ip}\t${(a.hostnames ?? []).join('\t')}`);
  return lines.join('\n') + '\n';
}

// The kubelet's Node: registration with the machine's capacity, addresses and nodeInfo, periodic status
// heartbeats with upstream's four conditions, and the Lease in kube-node-lease renewed every 10 s.
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import type { Node, NodeCondition } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { kubernetesMinor } from '../../api/version';
import { isAlreadyExists } from '../../client/api-error';
import { microTime } from '../../client/leader-election';
import { resources } from '../../client/resource-ref';
import type { RestClient } from '../../client/rest-client';
import { rfc3339 } from './pod-status';
import type { NodeAllocatable } from './downward-api';

export const MAX_PODS = 110;
const LEASE_SECONDS = 40;

export interface NodeFacts {
  name: string;
  hostIP: string;
  podCidr: string;
  port: number;
  runtimeVersion: string;
  rootDir: string;
}

function readOr(file: string, fallback = ''): string {
  try { return readFileSync(file, 'utf8').trim(); } catch { return fallback; }
}

function osImage(): string {
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readOr('/etc/os-release'));
  return m?.[1] ?? 'Linux';
}

/** cpu, memory and ephemeral-storage as the node reports them; allocatable equals capacity (no reservations). */
export function machineCapacity(rootDir: string): NodeAllocatable & { pods: string } {
  const fs = statfsSync(rootDir);
  return {
    cpu: String(os.cpus().length),
    memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
    'ephemeral-storage': `${Math.floor((fs.blocks * fs.bsize) / 1024)}Ki`,
    pods: String(MAX_PODS),
  };
}

function conditions(old: NodeCondition[] | undefined, now: string): NodeCondition[] {
  const make = (type: string, status: string, reason: string, message: string): NodeCondition => {
    const prev = old?.find((c) => c.type === type);
    return { type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime ?? now : now };
  };
  return [
    make('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    make('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    make('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    make('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeStatus(f: NodeFacts, old: Node['status'], now: string): NonNullable<Node['status']> {
  const capacity: Record<string, string> = { ...machineCapacity(f.rootDir) };
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return {
    capacity, allocatable: capacity,
    conditions: conditions(old?.conditions, now),
    addresses: [{ type: 'InternalIP', address: f.hostIP }, { type: 'Hostname', address: f.name }],
    daemonEndpoints: { kubeletEndpoint: { Port: f.port } },
    nodeInfo: {
      machineID: readOr('/etc/machine-id'), systemUUID: readOr('/sys/class/dmi/id/product_uuid', readOr('/etc/machine-id')),
      bootID: readOr('/proc/sys/kernel/random/boot_id'), kernelVersion: os.release(), osImage: osImage(),
      containerRuntimeVersion: f.runtimeVersion, kubeletVersion: `v1.${kubernetesMinor}.0+kubets`, kubeProxyVersion: '',
      operatingSystem: 'linux', architecture: arch,
    },
  };
}

export class NodeAgent {
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly api: RestClient, private readonly facts: NodeFacts) {}

  /** Creates the Node if missing (or refreshes its status), then keeps the Lease and status fresh. */
  async start(): Promise<void> {
    const arch = process.arch === 'x64' ? 'amd64' : process.arch;
    const existing = await this.api.find<Node>(resources.nodes, undefined, this.facts.name);
    if (!existing) {
      const node: Node = {
        apiVersion: 'v1', kind: 'Node',
        metadata: {
          name: this.facts.name,
          labels: {
            'kubernetes.io/hostname': this.facts.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': arch,
            'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': arch,
          },
        },
        spec: { podCIDR: this.facts.podCidr, podCIDRs: [this.facts.podCidr] },
      };
      try { await this.api.create(resources.nodes, undefined, node); } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    }
    await this.updateStatus(existing?.status);
    await this.renewLease();
    this.timers.push(setInterval(() => { void this.renewLease().catch(() => undefined); }, 10_000));
    this.timers.push(setInterval(() => { void this.updateStatus().catch(() => undefined); }, 60_000));
  }

  stop(): void { for (const t of this.timers) clearInterval(t); }

  private async updateStatus(old?: Node['status']): Promise<void> {
    const prev = old ?? (await this.api.find<Node>(resources.nodes, undefined, this.facts.name))?.status;
    const status = nodeStatus(this.facts, prev, rfc3339(new Date()));
    await this.api.patch(resources.nodes, undefined, this.facts.name, { status }, 'merge', 'status');
  }

  private async renewLease(): Promise<void> {
    const renewTime = microTime();
    const lease = await this.api.find<Lease>(resources.leases, 'kube-node-lease', this.facts.name);
    if (!lease) {
      const body: Lease = {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
        metadata: { name: this.facts.name, namespace: 'kube-node-lease' },
        spec: { holderIdentity: this.facts.name, leaseDurationSeconds: LEASE_SECONDS, renewTime },
      };
      await this.api.create(resources.leases, 'kube-node-lease', body);
      return;
    }
    await this.api.update(resources.leases, { ...lease, spec: { ...lease.spec, holderIdentity: this.facts.name, leaseDurationSeconds: LEASE_SECONDS, renewTime } });
  }
}

// Cluster-wide pools for Services: ClusterIPs from the service CIDR and NodePorts from the node-port range.
// The store allocates before writing a Service, releases after deleting it, and rebuilds the pools at start.
import type { Service } from 'kubernetes-types/core/v1';
import { internal, invalid } from '../errors';
import { FieldError, FieldPath } from '../field-error';
import type { KubeObject } from '../resource-types';
import { goStringSlice, invalidRendered } from '../validation/go-format';
import { cidrContains, intToIpv4, ipv4ToInt, parseIpv4Cidr, type Ipv4Cidr } from './ipv4-cidr';

export interface ServiceAllocatorOptions {
  /** Default 10.96.0.0/12. */
  serviceCIDR?: string;
  /** "first-last", default "30000-32767". */
  nodePortRange?: string;
}

/** What one call took from the pools, so a failed write can give it back. */
export interface Allocation { ips: string[]; ports: number[] }

const needsClusterIP = (s: Service) => (s.spec?.type ?? 'ClusterIP') !== 'ExternalName';
const isHeadless = (s: Service) => s.spec?.clusterIP === 'None' || s.spec?.clusterIPs?.[0] === 'None';

function needsNodePorts(s: Service): boolean {
  const t = s.spec?.type;
  return t === 'NodePort' || (t === 'LoadBalancer' && s.spec?.allocateLoadBalancerNodePorts !== false);
}

const needsHealthCheckPort = (s: Service) => s.spec?.type === 'LoadBalancer' && s.spec?.externalTrafficPolicy === 'Local';

export class ServiceAllocator {
  readonly cidr: Ipv4Cidr;
  readonly portBase: number;
  readonly portSize: number;
  private readonly ips = new Set<number>();
  private readonly ports = new Set<number>();

  constructor(opts: ServiceAllocatorOptions = {}) {
    this.cidr = parseIpv4Cidr(opts.serviceCIDR ?? '10.96.0.0/12');
    const [lo, hi] = (opts.nodePortRange ?? '30000-32767').split('-').map(Number);
    this.portBase = lo;
    this.portSize = hi - lo + 1;
  }

  /** The first address of the range, reserved for the `kubernetes` service in `default`. */
  kubernetesServiceIP(): string { return intToIpv4(this.cidr.base + 1); }

  /** The tenth address of the range, where kubeadm puts the cluster DNS Service (10.96.0.10 by default). */
  dnsServiceIP(): string { return intToIpv4(this.cidr.base + 10); }

  get portRangeText(): string { return `${this.portBase}-${this.portBase + this.portSize - 1}`; }

  /** Forgets everything and marks what existing services hold. */
  rebuild(services: KubeObject[]): void {
    this.ips.clear();
    this.ports.clear();
    for (const o of services) {
      const s = o as Service;
      for (const ip of s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])) {
        const n = ipv4ToInt(ip);
        if (n !== undefined && this.validIp(n)) this.ips.add(n);
      }
      for (const p of this.servicePorts(s)) if (this.validPort(p)) this.ports.add(p);
    }
  }

  /**
   * Fills in spec.clusterIP(s) and nodePorts of a Service about to be created, honouring requested values.
   * Throws a 422 Invalid StatusError (upstream's messages) when a requested value is out of range or taken.
   */
  allocate(obj: KubeObject): Allocation {
    const taken: Allocation = { ips: [], ports: [] };
    try {
      this.allocateIps(obj as Service, taken);
      this.allocatePorts(obj as Service, undefined, taken);
    } catch (e) {
      this.rollback(taken);
      throw e;
    }
    return taken;
  }

  /**
   * For an update: allocates what the new spec needs that the old one did not hold (type changes, new
   * node ports) and returns it; call `releaseUnused(next, old)` once the write succeeded.
   */
  allocateForUpdate(next: KubeObject, old: KubeObject): Allocation {
    const n = next as Service;
    const o = old as Service;
    const taken: Allocation = { ips: [], ports: [] };
    try {
      if (needsClusterIP(n) && !needsClusterIP(o)) this.allocateIps(n, taken);
      this.allocatePorts(n, o, taken);
    } catch (e) {
      this.rollback(taken);
      throw e;
    }
    return taken;
  }

  /** After an update is stored: frees what the old object held and the new one no longer does. */
  releaseUnused(next: KubeObject, old: KubeObject): void {
    const keepIps = new Set(this.serviceIps(next as Service));
    for (const ip of this.serviceIps(old as Service)) if (!keepIps.has(ip)) this.freeIp(ip);
    const keepPorts = new Set(this.servicePorts(next as Service));
    for (const p of this.servicePorts(old as Service)) if (!keepPorts.has(p)) this.ports.delete(p);
  }

  /** Gives back everything a deleted Service held. */
  release(obj: KubeObject): void {
    for (const ip of this.serviceIps(obj as Service)) this.freeIp(ip);
    for (const p of this.servicePorts(obj as Service)) this.ports.delete(p);
  }

  rollback(a: Allocation): void {
    for (const ip of a.ips) this.freeIp(ip);
    for (const p of a.ports) this.ports.delete(p);
  }

  isIpAllocated(ip: string): boolean {
    const n = ipv4ToInt(ip);
    return n !== undefined && this.ips.has(n);
  }

  isPortAllocated(port: number): boolean { return this.ports.has(port); }

  // ---- internals ----

  private validIp(n: number): boolean {
    // The network address (and, for IPv4, the broadcast address) are never handed out.
    return cidrContains(this.cidr, n) && n !== this.cidr.base && n !== this.cidr.base + this.cidr.size - 1;
  }

  private validPort(p: number): boolean { return p >= this.portBase && p < this.portBase + this.portSize; }

  private freeIp(ip: string): void {
    const n = ipv4ToInt(ip);
    if (n !== undefined) this.ips.delete(n);
  }

  private serviceIps(s: Service): string[] {
    if (!needsClusterIP(s)) return [];
    return (s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])).filter((ip) => ip !== 'None' && ip !== '');
  }

  private servicePorts(s: Service): number[] {
    const out = new Set<number>();
    for (const p of s.spec?.ports ?? []) if (p.nodePort) out.add(p.nodePort);
    if (s.spec?.healthCheckNodePort) out.add(s.spec.healthCheckNodePort);
    return [...out];
  }

  private fail(s: Service, errs: FieldError[]): never {
    throw invalid('', 'Service', s.metadata?.name ?? '', errs);
  }

  private allocateIps(s: Service, taken: Allocation): void {
    if (!needsClusterIP(s) || isHeadless(s)) return;
    const spec = s.spec ?? (s.spec = {});
    const requested = spec.clusterIPs?.[0] || spec.clusterIP || '';
    const path = FieldPath.root('spec').child('clusterIPs');
    let ip: string;
    if (requested) {
      const n = ipv4ToInt(requested);
      const shown = spec.clusterIPs?.length ? spec.clusterIPs : [requested];
      if (n === undefined || !this.validIp(n)) {
        this.fail(s, [invalidRendered(path, shown, goStringSlice(shown),
          `failed to allocate IP ${requested}: provided IP is not in the valid range. The range of valid IPs is ${this.cidr.text}`)]);
      }
      if (this.ips.has(n)) {
        this.fail(s, [invalidRendered(path, shown, goStringSlice(shown), `failed to allocate IP ${requested}: provided IP is already allocated`)]);
      }
      this.ips.add(n);
      ip = requested;
    } else {
      const n = this.pickIp();
      if (n === undefined) throw internal('failed to allocate a serviceIP: range is full');
      this.ips.add(n);
      ip = intToIpv4(n);
    }
    taken.ips.push(ip);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }

  /** Random pick, preferring the upper part of the range so low addresses stay free for static requests. */
  private pickIp(): number | undefined {
    const usable = this.cidr.size - 2;
    const staticBand = Math.min(Math.max(16, Math.floor(usable / 16)), 256);
    const first = this.cidr.base + 1;
    const tryBand = (lo: number, count: number): number | undefined => {
      if (count <= 0) return undefined;
      const start = Math.floor(Math.random() * count);
      for (let i = 0; i < count; i++) {
        const n = lo + ((start + i) % count);
        if (n !== first && this.validIp(n) && !this.ips.has(n)) return n;
      }
      return undefined;
    };
    return tryBand(first + staticBand, usable - staticBand) ?? tryBand(first, staticBand);
  }

  private pickPort(): number | undefined {
    const start = Math.floor(Math.random() * this.portSize);
    for (let i = 0; i < this.portSize; i++) {
      const p = this.portBase + ((start + i) % this.portSize);
      if (!this.ports.has(p)) return p;
    }
    return undefined;
  }

  private takePort(s: Service, p: number, path: FieldPath, taken: Allocation): void {
    if (!this.validPort(p)) {
      this.fail(s, [new FieldError('Invalid', String(path), p,
        `provided port is not in the valid range. The range of valid ports is ${this.portRangeText}`)]);
    }
    if (this.ports.has(p)) this.fail(s, [new FieldError('Invalid', String(path), p, 'provided port is already allocated')]);
    this.ports.add(p);
    taken.ports.push(p);
  }

  private allocatePorts(s: Service, old: Service | undefined, taken: Allocation): void {
    const held = new Set(old ? this.servicePorts(old) : []);
    const ports = s.spec?.ports ?? [];
    const wanted = needsNodePorts(s);
    // The same node port may serve one port number over several protocols.
    const byPort = new Map<number, number>();
    for (let i = 0; i < ports.length; i++) {
      const sp = ports[i];
      const path = FieldPath.root('spec').child('ports').index(i).child('nodePort');
      if (sp.nodePort) {
        if (held.has(sp.nodePort) || taken.ports.includes(sp.nodePort)) continue;
        this.takePort(s, sp.nodePort, path, taken);
      } else if (wanted) {
        const reuse = byPort.get(sp.port);
        if (reuse !== undefined) { sp.nodePort = reuse; continue; }
        const p = this.pickPort();
        if (p === undefined) throw internal('failed to allocate a nodePort: range is full');
        this.ports.add(p);
        taken.ports.push(p);
        sp.nodePort = p;
      }
      byPort.set(sp.port, sp.nodePort as number);
    }
    if (needsHealthCheckPort(s) && s.spec) {
      const hc = s.spec.healthCheckNodePort;
      const path = FieldPath.root('spec').child('healthCheckNodePort');
      if (hc) {
        if (!held.has(hc)) this.takePort(s, hc, path, taken);
      } else {
        const p = this.pickPort();
        if (p === undefined) throw internal('failed to allocate a nodePort: range is full');
        this.ports.add(p);
        taken.ports.push(p);
        s.spec.healthCheckNodePort = p;
      }
    }
  }
}

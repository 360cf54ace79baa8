// The node's NetworkPolicy agent: an API client watching NetworkPolicies, Namespaces, the kube-dns Service
// and, while any policy exists, Pods; it recomputes every rule on any change, at most once per minSyncPeriod,
// and applies it as one iptables-restore. The first sync, any sync after a failure and one every syncPeriod read iptables-save to
// find stale chains and missing or misplaced jumps; a restarted agent rewrites its chains in place, never flushing first.
import type { Namespace, Pod, Service } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import { Informer } from '../../client/informer';
import type { InformerFactory } from '../../client/informer-factory';
import { resources } from '../../client/resource-ref';
import { DNS_SERVICE } from '../dns/dns-endpoints';
import { parseSave } from '../proxy/iptables-rules';
import type { IptablesRunner } from '../proxy/iptables-runner';
import type { NetpolChains } from './netpol-chains';
import { buildNetpolRestore, jumpsToPlace, ownChains, type JumpPlacement } from './netpol-restore';
import { computeNetpolRules, type DnsPeer } from './policy-rules';

export interface NetpolAgentOptions {
  chains: NetpolChains;
  minSyncPeriodMs: number;
  syncPeriodMs: number;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

export class NetworkPolicyAgent {
  private readonly policies: Informer<NetworkPolicy>;
  /** Only while a policy exists: with none, pods change no rule, and every pod event would be wasted work here and in the apiserver. */
  private pods?: Informer<Pod>;
  private readonly namespaces: Informer<Namespace>;
  private readonly services: Informer<Service>;
  private needFull = true;
  private dirty = false;
  private chainsNow: string[] = [];
  private lastWritten = '';
  private lastSyncStart = 0;
  private failures = 0;
  private started = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private periodic?: NodeJS.Timeout;

  /** Asks the factory for its informers; start the factory (or let it start them) before start(). */
  constructor(private readonly informers: InformerFactory, private readonly runner: IptablesRunner, private readonly opts: NetpolAgentOptions) {
    this.policies = informers.for<NetworkPolicy>(resources.networkpolicies);
    this.namespaces = informers.for<Namespace>(resources.namespaces);
    this.services = informers.for<Service>(resources.services);
    const changed = () => { this.dirty = true; this.schedule(); };
    for (const ev of ['add', 'update', 'delete'] as const) {
      this.namespaces.on(ev, changed);
      this.policies.on(ev, () => { this.watchPodsWhilePolicies(); changed(); });
    }
    const dnsChanged = (s: Service) => {
      if (s.metadata?.namespace === DNS_SERVICE.namespace && s.metadata.name === DNS_SERVICE.name) changed();
    };
    for (const ev of ['add', 'update', 'delete'] as const) this.services.on(ev, dnsChanged);
  }

  async start(): Promise<void> {
    await Promise.all([this.policies, this.namespaces, this.services].map((i) => i.synced()));
    this.watchPodsWhilePolicies();
    await this.pods?.synced();
    this.started = true;
    await this.syncNow();
    this.periodic = setInterval(() => { this.needFull = true; this.schedule(); }, this.opts.syncPeriodMs);
    this.periodic.unref();
  }

  stop(): void {
    this.stopped = true;
    this.pods?.stop();
    if (this.timer) clearTimeout(this.timer);
    if (this.periodic) clearInterval(this.periodic);
  }

  /** The node-process DNS as a policy peer, while the kube-dns Service has no selector (no DNS pods). */
  private dnsPeer(): DnsPeer | undefined {
    const svc = this.services.get(DNS_SERVICE.namespace, DNS_SERVICE.name);
    const ip = svc?.spec?.clusterIP;
    if (!svc || !ip || ip === 'None' || Object.keys(svc.spec?.selector ?? {}).length > 0) return undefined;
    return {
      namespace: DNS_SERVICE.namespace, labels: { 'k8s-app': 'kube-dns' }, clusterIP: ip,
      ports: (svc.spec?.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })),
    };
  }

  private watchPodsWhilePolicies(): void {
    const wanted = this.policies.list().length > 0 && !this.stopped;
    if (wanted && !this.pods) {
      const pods = new Informer<Pod>(this.informers.client, resources.pods);
      const changed = () => { this.dirty = true; this.schedule(); };
      for (const ev of ['add', 'update', 'delete'] as const) pods.on(ev, changed);
      this.pods = pods;
      void pods.start();
      void pods.synced().then(changed);
    } else if (!wanted && this.pods) {
      this.pods.stop();
      this.pods = undefined;
    }
  }

  private schedule(): void {
    if (this.pods && !this.pods.hasSynced) return;
    if (!this.started || this.stopped || this.timer || this.running) return;
    const backoff = this.failures ? Math.min(1000 * 2 ** (this.failures - 1), 30_000) : 0;
    const wait = Math.max(0, this.lastSyncStart + this.opts.minSyncPeriodMs - Date.now(), backoff);
    this.timer = setTimeout(() => { this.timer = undefined; void this.syncNow(); }, wait);
  }

  private syncNow(): Promise<void> {
    const run = this.sync().finally(() => {
      this.running = undefined;
      if (this.dirty || this.needFull) this.schedule();
    });
    this.running = run;
    return run;
  }

  private async sync(): Promise<void> {
    // Rules computed before the pod list arrives would leave selected pods open; the pods' sync comes back here.
    if (this.pods && !this.pods.hasSynced) return;
    this.lastSyncStart = Date.now();
    const full = this.needFull;
    this.dirty = false;
    try {
      const rules = computeNetpolRules({
        policies: this.policies.list(), pods: this.pods?.list() ?? [], namespaces: this.namespaces.list(), dns: this.dnsPeer(),
      }, this.opts.chains);
      let existing = this.chainsNow;
      let place: JumpPlacement[] = [];
      if (full) {
        const saved = parseSave(await this.runner.save('filter'));
        existing = ownChains(saved, this.opts.chains);
        place = jumpsToPlace(saved, this.opts.chains);
      }
      const restore = buildNetpolRestore(rules, existing, place);
      if (!full && restore === this.lastWritten) return;
      await this.runner.restore(restore);
      this.lastWritten = buildNetpolRestore(rules, [...rules.keys()], []);
      this.chainsNow = [...rules.keys()];
      this.needFull = false;
      this.failures = 0;
      this.opts.log('synced network policy rules', { full, chains: rules.size, ms: Date.now() - this.lastSyncStart });
    } catch (err) {
      // What iptables holds now is unknown: the next attempt reads it back and rewrites everything.
      this.needFull = true;
      this.failures++;
      this.opts.log('network policy sync failed', { err: String(err) });
    }
  }
}

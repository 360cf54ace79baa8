// The proxy's sync loop: Service and endpoint changes mark services dirty; syncs run no more often
// than minSyncPeriod (bursts are batched into one iptables-restore), a full sync (jump rules checked,
// stale chains found with iptables-save) runs at start, after any failure and every syncPeriod, and
// the others rewrite only the changed services' chains (and the fixed chains only if their rules changed). Nothing is flushed before the first write, so a
// restarted proxy converges while the old rules keep serving.
import { chainSet } from './chain-names';
import { buildSync, jumpRules, missingJumps, parseSave, type PortRules, type RuleOptions } from './iptables-rules';
import type { IptablesRunner } from './iptables-runner';
import { proxyServicePorts, type ProxyServicePort } from './service-ports';
import type { ServiceBackends } from '../service-backends';

export interface ProxierOptions {
  minSyncPeriodMs: number;
  syncPeriodMs: number;
  rules: RuleOptions;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** Called after each successful sync with what it rewrote (for status writers and measurements). */
  onSynced?: (s: { full: boolean; services: string[]; ms: number }) => void;
}

export interface BackendLookup {
  get(key: string): ServiceBackends | undefined;
  all(): ServiceBackends[];
}

export class Proxier {
  private readonly ports = new Map<string, ProxyServicePort[]>();
  /** Rules of the ports above, kept while their objects are (a refresh replaces a changed service's ports). */
  private readonly memo = new WeakMap<ProxyServicePort, PortRules>();
  private dirty = new Set<string>();
  private needFull = true;
  private activeChains = new Set<string>();
  private written = new Map<string, string>();
  private lastSyncStart = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private started = false;
  private failures = 0;
  private periodic?: NodeJS.Timeout;

  constructor(private readonly backends: BackendLookup, private readonly runner: IptablesRunner, private readonly opts: ProxierOptions) {}

  /** Loads every service and runs the first (full) sync; later changes arrive through changed(). */
  async start(): Promise<void> {
    for (const b of this.backends.all()) this.refresh(b);
    this.started = true;
    this.dirty.clear();
    await this.syncNow();
    this.periodic = setInterval(() => { this.needFull = true; this.schedule(); }, this.opts.syncPeriodMs);
    this.periodic.unref();
  }

  changed(key: string): void {
    this.dirty.add(key);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.periodic) clearInterval(this.periodic);
  }

  /** Waits for any sync in flight (tests and the benchmark). */
  async idle(): Promise<void> { while (this.running || this.timer) await (this.running ?? new Promise((r) => setTimeout(r, 5))); }

  private schedule(): void {
    if (!this.started || this.stopped || this.timer || this.running) return;
    const backoff = this.failures ? Math.min(1000 * 2 ** (this.failures - 1), 30_000) : 0;
    const wait = Math.max(0, this.lastSyncStart + this.opts.minSyncPeriodMs - Date.now(), backoff);
    this.timer = setTimeout(() => { this.timer = undefined; void this.syncNow(); }, wait);
  }

  private refresh(b: ServiceBackends): void {
    const key = `${b.service.metadata?.namespace}/${b.service.metadata?.name}`;
    this.ports.set(key, proxyServicePorts(b));
  }

  private syncNow(): Promise<void> {
    const run = this.sync().finally(() => {
      this.running = undefined;
      if (this.dirty.size > 0 || this.needFull) this.schedule();
    });
    this.running = run;
    return run;
  }

  private async sync(): Promise<void> {
    this.lastSyncStart = Date.now();
    const full = this.needFull;
    const changed = this.dirty;
    this.dirty = new Set();
    for (const key of changed) {
      const b = this.backends.get(key);
      if (b) this.refresh(b); else this.ports.delete(key);
    }
    try {
      let existing: Iterable<string> = this.activeChains;
      let jumps;
      if (full) {
        const [nat, filter] = await Promise.all([this.runner.save('nat'), this.runner.save('filter')]);
        const natSaved = parseSave(nat);
        existing = natSaved.chains;
        const all = jumpRules(this.opts.rules.chains ?? chainSet(), this.opts.rules.clusterCIDR);
        jumps = [...missingJumps('nat', natSaved, all), ...missingJumps('filter', parseSave(filter), all)];
      }
      const plan = buildSync({
        ports: [...this.ports.values()].flat(), changed: full ? undefined : changed, existingChains: existing, missingJumps: jumps,
        written: this.written, memo: this.memo,
      }, this.opts.rules);
      await this.runner.restore(plan.restore);
      this.activeChains = plan.activeChains;
      this.written = plan.fixedChains;
      this.needFull = false;
      this.failures = 0;
      const ms = Date.now() - this.lastSyncStart;
      this.opts.log('synced iptables rules', { full, services: changed.size, deletedChains: plan.deletedChains.length, ms });
      this.opts.onSynced?.({ full, services: [...changed], ms });
    } catch (err) {
      // The partial state is unknown: the next attempt rewrites everything.
      for (const k of changed) this.dirty.add(k);
      this.needFull = true;
      this.failures++;
      this.opts.log('sync failed', { err: String(err) });
    }
  }
}

// Leader election on a coordination.k8s.io Lease, as client-go's leaderelection does: acquire when the
// lease is free or expired, renew every retry period, and give up (the process exits so a restart begins
// from the API, not from memory) when renewal has failed for the renew deadline.
import type { Lease } from 'kubernetes-types/coordination/v1';
import { isAlreadyExists, isConflict, isNotFound } from './api-error';
import { resources } from './resource-ref';
import type { RestClient } from './rest-client';

export interface LeaderElectionConfig {
  client: RestClient;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  log?: (msg: string) => void;
}

/** RFC 3339 with microseconds, the MicroTime format Lease times carry. */
export function microTime(d = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private leading = false;
  /** When the current run of failed renewals began (undefined while renewals succeed). */
  private failingSince?: number;
  private timer?: NodeJS.Timeout;
  private readonly leaseDuration: number;
  private readonly renewDeadline: number;
  private readonly retryPeriod: number;

  constructor(private readonly c: LeaderElectionConfig) {
    this.leaseDuration = c.leaseDurationSeconds ?? 15;
    this.renewDeadline = c.renewDeadlineSeconds ?? 10;
    this.retryPeriod = c.retryPeriodSeconds ?? 2;
  }

  get isLeader(): boolean { return this.leading; }

  run(): void {
    const tick = async () => {
      let ok = false;
      try { ok = await this.tryAcquireOrRenew(); } catch (err) { this.c.log?.(`lease ${this.c.name}: ${String(err)}`); }
      const now = Date.now();
      if (ok) {
        this.failingSince = undefined;
        if (!this.leading) {
          this.leading = true;
          this.c.log?.(`successfully acquired lease ${this.c.namespace}/${this.c.name}`);
          this.c.onStartedLeading();
        }
      } else if (this.leading && now - (this.failingSince ??= now) > this.renewDeadline * 1000) {
        // As client-go's renew loop: the deadline runs from the first failed attempt, so a process that was
        // paused (SIGSTOP, a long GC) retries for a full renew deadline before it gives up its lease.
        this.leading = false;
        this.c.log?.(`failed to renew lease ${this.c.namespace}/${this.c.name}: lost leadership`);
        this.c.onStoppedLeading();
        return;
      }
      this.timer = setTimeout(() => void tick(), this.retryPeriod * 1000);
    };
    void tick();
  }

  stop(): void { if (this.timer) clearTimeout(this.timer); }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, identity } = this.c;
    const now = new Date();
    let lease: Lease;
    try {
      lease = await client.get<Lease>(resources.leases, namespace, name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await client.create(resources.leases, namespace, {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace },
          spec: {
            holderIdentity: identity, leaseDurationSeconds: this.leaseDuration,
            acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0,
          },
        });
        return true;
      } catch (e) {
        if (isAlreadyExists(e)) return false;
        throw e;
      }
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity;
    const renewed = spec.renewTime ? Date.parse(spec.renewTime) : 0;
    const duration = (spec.leaseDurationSeconds ?? this.leaseDuration) * 1000;
    const mine = holder === identity;
    if (!mine && holder && renewed + duration > now.getTime()) return false;
    const next: Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds: this.leaseDuration,
        renewTime: microTime(now),
        acquireTime: mine ? spec.acquireTime : microTime(now),
        leaseTransitions: mine ? spec.leaseTransitions : (spec.leaseTransitions ?? 0) + (holder ? 1 : 0),
      },
    };
    try {
      await client.update(resources.leases, next);
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }
}

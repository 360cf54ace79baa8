// What every controller of the controller-manager is given and gives back: the shared API client,
// informer factory and event recorder in; a named loop that runs once the informers have synced out.
import type { EventRecorder } from '../client/event-recorder';
import type { InformerFactory } from '../client/informer-factory';
import type { RestClient } from '../client/rest-client';

/** Timing and limits from the controller-manager's flags (upstream's names and defaults). */
export interface ControllerSettings {
  /** --node-monitor-period: how often node health is checked. */
  nodeMonitorPeriodMs: number;
  /** --node-monitor-grace-period: a node silent this long becomes Unknown. */
  nodeMonitorGracePeriodMs: number;
  /** --node-startup-grace-period: the same for a node that never reported Ready. */
  nodeStartupGracePeriodMs: number;
  /** --terminated-pod-gc-threshold: terminated pods kept before the oldest go (0 turns it off). */
  terminatedPodGcThreshold: number;
  /** How often pod GC runs, and how long a node must be gone before its pods are (upstream's constants, 20 s and 40 s). */
  podGcPeriodMs: number;
  podGcOrphanQuarantineMs: number;
}

export interface ControllerContext {
  settings: ControllerSettings;
  client: RestClient;
  informers: InformerFactory;
  recorder: EventRecorder;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface Controller {
  /** Upstream's controller name, as `--controllers` takes it (e.g. "replicaset", "deployment"). */
  name: string;
  /** Starts the workers; informers asked for in the factory function are synced by then. */
  run(workers: number): void;
}

/** Builds a controller: asks the factory for its informers and registers their handlers, starts nothing. */
export type ControllerFactory = (ctx: ControllerContext) => Controller;

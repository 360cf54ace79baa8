// What every controller of the controller-manager is given and gives back: the shared API client,
// informer factory and event recorder in; a named loop that runs once the informers have synced out.
import type { EventRecorder } from '../client/event-recorder';
import type { InformerFactory } from '../client/informer-factory';
import type { RestClient } from '../client/rest-client';

export interface ControllerContext {
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

// The apiserver's /metrics in Prometheus text form, through prom-client: upstream's request families
// (apiserver_request_total, apiserver_request_duration_seconds, in-flight and long-running gauges),
// apiserver_storage_objects from the watch caches, and the process's own metrics.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry as MetricsRegistry, collectDefaultMetrics } from 'prom-client';
import type { RequestInfo } from './request-info';
import type { Registry } from './registry';

const requestLabels = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;

/** Upstream's buckets for apiserver_request_duration_seconds. */
const durationBuckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

/** The verb as upstream reports it: the HTTP method, with reads of a collection as LIST and watches as WATCH. */
function reportedVerb(info: RequestInfo, method: string): string {
  if (!info.isResourceRequest) return method;
  switch (info.verb) {
    case 'list': return 'LIST';
    case 'watch': return 'WATCH';
    case 'get': return 'GET';
    default: return method;
  }
}

function scopeOf(info: RequestInfo): string {
  if (!info.isResourceRequest) return '';
  if (info.name) return 'resource';
  return info.namespace ? 'namespace' : 'cluster';
}

export class ApiMetrics {
  readonly registry = new MetricsRegistry();
  private readonly requests = new Counter({
    name: 'apiserver_request_total', registers: [this.registry], labelNames: [...requestLabels, 'code'],
    help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
  });
  private readonly durations = new Histogram({
    name: 'apiserver_request_duration_seconds', registers: [this.registry], labelNames: [...requestLabels], buckets: durationBuckets,
    help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
  });
  private readonly inflight = new Gauge({
    name: 'apiserver_current_inflight_requests', registers: [this.registry], labelNames: ['request_kind'],
    help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
  });
  private readonly longRunning = new Gauge({
    name: 'apiserver_longrunning_requests', registers: [this.registry], labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
    help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
  });

  private readonly served: (group: string, version: string, resource: string) => boolean;

  constructor(reg: Registry) {
    this.served = (g, v, r) => reg.table.lookup(g, v, r) !== undefined;
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'apiserver_storage_objects', registers: [this.registry], labelNames: ['resource'],
      help: 'Number of stored objects at the time of last check split by kind.',
      // Counted when scraped, from the watch caches that hold every stored object.
      collect() {
        this.reset();
        const seen = new Set<string>();
        for (const def of reg.table.all()) {
          if (seen.has(def.storagePrefix)) continue;
          seen.add(def.storagePrefix);
          const cache = reg.feed.cache(def.storagePrefix);
          if (cache) this.set({ resource: def.group ? `${def.plural}.${def.group}` : def.plural }, cache.size);
        }
      },
    });
  }

  /** Counts `req` once its response is done; watches and other streams count as long-running meanwhile. */
  track(req: IncomingMessage, res: ServerResponse, info: RequestInfo, query: URLSearchParams): void {
    const started = process.hrtime.bigint();
    const method = (req.method ?? 'GET').toUpperCase();
    const verb = reportedVerb(info, method);
    // Label values come from the request: only served resources and upstream's dry_run values are kept, so a
    // client cannot grow the families without bound by asking for made-up paths.
    const served = info.isResourceRequest && this.served(info.apiGroup, info.apiVersion, info.resource);
    const labels = {
      verb, dry_run: query.getAll('dryRun').includes('All') ? 'All' : '',
      group: served ? info.apiGroup : '', version: served ? info.apiVersion : '', resource: served ? info.resource : '',
      subresource: served ? info.subresource : '', scope: scopeOf(info), component: 'apiserver',
    };
    const streaming = verb === 'WATCH' || verb === 'CONNECT';
    const kind = method === 'GET' || method === 'HEAD' ? 'readOnly' : 'mutating';
    if (streaming) {
      const { dry_run: _d, ...lr } = labels;
      this.longRunning.inc(lr);
      res.once('close', () => this.longRunning.dec(lr));
    } else {
      this.inflight.inc({ request_kind: kind });
    }
    res.once('close', () => {
      if (!streaming) {
        this.inflight.dec({ request_kind: kind });
        this.durations.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }
      this.requests.inc({ ...labels, code: String(res.statusCode) });
    });
  }

  async serve(res: ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    res.writeHead(200, { 'content-type': this.registry.contentType });
    res.end(body);
  }
}

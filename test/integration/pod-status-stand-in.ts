// STAND-IN FOR THE KUBELET in the workload-controller tests: marks pods Running and Ready through
// `pods/<name>/status`, as a kubelet reports a started pod, on a schedule the test controls (so a rollout
// can be watched step by step). Those tests' pods name a scheduler nobody runs, so the cluster's real
// scheduler and kubelet leave them to it. Tests take a PodRunner from `podRunner` below.
import { json, request, type KubeObject, type List } from './http';

export interface PodRunner {
  /** Starts running (marking) the pods of a namespace as they appear; stop() ends that. */
  start(namespace: string): { stop(): void };
}

interface PodLike extends KubeObject {
  spec?: { containers?: { name: string; image?: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

const ts = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Writes the status a kubelet writes once every container of the pod has started and is ready. */
export async function markRunningReady(namespace: string, pod: PodLike): Promise<void> {
  const now = ts();
  const status = {
    phase: 'Running', startTime: now, podIP: '10.244.0.10', podIPs: [{ ip: '10.244.0.10' }], hostIP: '127.0.0.1',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready', 'PodScheduled']
      .map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now })),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name, image: c.image, imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } },
    })),
  };
  const r = await request('PATCH', `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/status`,
    { body: { status }, contentType: 'application/merge-patch+json' });
  // A pod deleted meanwhile is no error: the kubelet would have stopped it.
  if (r.status !== 200 && r.status !== 404) throw new Error(`marking ${pod.metadata.name} ready: HTTP ${r.status} ${r.body}`);
}

export function isMarkedReady(pod: PodLike): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * Polls the namespace's pods and marks each live one Running/Ready `delayMs` after first seeing it
 * (a kubelet's start-up time, which lets a rollout be watched step by step).
 */
export function standInKubelet(delayMs = 300, intervalMs = 100): PodRunner {
  return {
    start(namespace) {
      const firstSeen = new Map<string, number>();
      let stopped = false;
      let busy = false;
      const tick = async (): Promise<void> => {
        if (busy || stopped) return;
        busy = true;
        try {
          const pods = json<List<PodLike>>(await request('GET', `/api/v1/namespaces/${namespace}/pods`)).items ?? [];
          const now = Date.now();
          for (const p of pods) {
            if (p.metadata.deletionTimestamp || isMarkedReady(p)) continue;
            const seen = firstSeen.get(p.metadata.uid ?? '') ?? now;
            firstSeen.set(p.metadata.uid ?? '', seen);
            if (now - seen >= delayMs && !stopped) await markRunningReady(namespace, p);
          }
        } catch { /* the apiserver may be restarting; the next tick tries again */ } finally { busy = false; }
      };
      const timer = setInterval(() => { void tick(); }, intervalMs);
      return { stop() { stopped = true; clearInterval(timer); } };
    },
  };
}

/** The pod runner every workload test uses: the one line to switch to the real kubelet. */
export const podRunner: PodRunner = standInKubelet();


// Plays the kubelet's part for the lifecycle controllers' tests, as no kubelet runs in the suite's cluster:
// writes a bound pod's status (IP, phase, Ready) through pods/<name>/status, and confirms a graceful
// deletion with grace 0 once the (imaginary) containers have stopped.
import { ok } from './http';

export interface PodStatusStandIn {
  ip: string;
  ready: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
}

/** Writes the status a kubelet would report for a running pod. */
export async function reportPodStatus(namespace: string, name: string, s: PodStatusStandIn): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const status = {
    phase: s.phase ?? 'Running', podIP: s.ip, podIPs: [{ ip: s.ip }], hostIP: '10.0.0.1', startTime: now,
    conditions: [
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'Ready', status: s.ready ? 'True' : 'False', lastTransitionTime: now },
      { type: 'ContainersReady', status: s.ready ? 'True' : 'False', lastTransitionTime: now },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
    ],
  };
  await ok('PATCH', `/api/v1/namespaces/${namespace}/pods/${name}/status`,
    { body: { status }, contentType: 'application/merge-patch+json' });
}

/** The kubelet's last step of a graceful deletion: containers are gone, so the pod object may go. */
export async function confirmPodDeletion(namespace: string, name: string): Promise<void> {
  await ok('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`,
    { body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 } });
}

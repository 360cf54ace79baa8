// The Deployment bench section: hollow kubelets on the fake runtime, then one Deployment whose pods the
// controller-manager creates, the scheduler binds and the hollow kubelets run; reports the time from
// create until the Deployment is fully Available, with when the last pod was created, bound and Ready.
import { performance } from 'node:perf_hooks';
import type { BenchContext } from './context';
import { startHollowKubelets } from './hollow-kubelets';
import { progress } from './phases';
import { CpuMeter, describeCpu } from './procfs';
import { sleep } from './stats';

export interface DeploymentBenchOptions { nodes: number; replicas: number }

export interface DeploymentBenchResult { rows: string[][]; notes: string[] }

interface PodEvent {
  type: string;
  object?: { metadata?: { name?: string }; spec?: { nodeName?: string }; status?: { conditions?: { type: string; status: string }[] } };
}

interface DeploymentStatus { metadata: { generation?: number }; status?: { observedGeneration?: number; availableReplicas?: number; updatedReplicas?: number; replicas?: number } }

export async function deploymentPhase(ctx: BenchContext, o: DeploymentBenchOptions): Promise<DeploymentBenchResult> {
  const notes: string[] = [];
  progress(`deployment: starting ${o.nodes} hollow kubelets`);
  const hollow = await startHollowKubelets(ctx, o.nodes, 'bench-deploy-');
  notes.push(`deployment: ${o.nodes} hollow nodes Ready ${hollow.readySeconds.toFixed(1)}s after spawn; hollow kubelet process RSS ${hollow.rssMb().toFixed(0)} MB`);
  const ns = 'bench-deploy';
  try {
    const r = await ctx.api.request('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
    if (r.status !== 201 && r.status !== 409) throw new Error(`namespace ${ns}: HTTP ${r.status}`);
    // Let the scheduler's node cache take in the new nodes before the clock starts.
    await sleep(2000);

    const created = new Set<string>();
    const bound = new Set<string>();
    const ready = new Set<string>();
    const last = { created: 0, bound: 0, ready: 0 };
    const list = JSON.parse(await ctx.api.expect(200, 'GET', `/api/v1/namespaces/${ns}/pods?limit=1`)) as { metadata: { resourceVersion: string } };
    const watch = await ctx.api.stream(`/api/v1/namespaces/${ns}/pods?watch=1&resourceVersion=${list.metadata.resourceVersion}`, (line) => {
      const ev = JSON.parse(line) as PodEvent;
      const name = ev.object?.metadata?.name;
      if (!name || ev.type === 'DELETED') return;
      const now = performance.now();
      if (!created.has(name)) { created.add(name); last.created = now; }
      if (ev.object?.spec?.nodeName && !bound.has(name)) { bound.add(name); last.bound = now; }
      if (ev.object?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !ready.has(name)) { ready.add(name); last.ready = now; }
    });

    progress(`deployment: ${o.replicas} replicas on ${o.nodes} hollow nodes`);
    const cpu = new CpuMeter({ ...ctx.pids, hollow: hollow.pid });
    const t0 = performance.now();
    await ctx.api.expect(201, 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bench' },
      spec: {
        replicas: o.replicas, selector: { matchLabels: { app: 'bench-deploy' } },
        template: {
          metadata: { labels: { app: 'bench-deploy' } },
          spec: {
            nodeSelector: { 'kubets.io/hollow': 'true' },
            terminationGracePeriodSeconds: 0,
            containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
          },
        },
      },
    }));
    let availableAt = 0;
    let shown = -1;
    let stalledSince = performance.now();
    for (;;) {
      const d = JSON.parse(await ctx.api.expect(200, 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/bench`)) as DeploymentStatus;
      const s = d.status ?? {};
      const available = s.availableReplicas ?? 0;
      if ((s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) && available === o.replicas && s.updatedReplicas === o.replicas) {
        availableAt = performance.now();
        break;
      }
      if (available !== shown) {
        shown = available;
        stalledSince = performance.now();
        progress(`deployment: ${available}/${o.replicas} available (${created.size} created, ${bound.size} bound, ${ready.size} ready)`);
      }
      if (performance.now() - stalledSince > 60_000) { notes.push(`deployment: stalled at ${available}/${o.replicas} available`); break; }
      await sleep(250);
    }
    watch.close();
    notes.push(`deployment: cores used until Available: ${describeCpu(cpu.stop())}`);
    const secs = (t: number): string => (t > 0 ? ((t - t0) / 1000).toFixed(1) : '-');
    const total = availableAt > 0 ? (availableAt - t0) / 1000 : Number.NaN;
    notes.push(`deployment: hollow kubelet process RSS ${hollow.rssMb().toFixed(0)} MB with ${o.replicas} pods running`);

    progress('deployment: deleting it and waiting for its pods to go');
    const d0 = performance.now();
    await ctx.api.expect(200, 'DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/bench`);
    for (let i = 0; i < 240; i++) {
      const left = JSON.parse(await ctx.api.expect(200, 'GET', `/api/v1/namespaces/${ns}/pods`)) as { items: unknown[] };
      if (left.items.length === 0) { notes.push(`deployment: its ${o.replicas} pods were gone ${((performance.now() - d0) / 1000).toFixed(1)}s after the delete`); break; }
      await sleep(500);
    }
    return {
      rows: [[
        `${o.replicas}-replica Deployment Available`, Number.isFinite(total) ? `${total.toFixed(1)} s` : '-',
        `on ${o.nodes} hollow nodes; last pod created ${secs(last.created)}s, bound ${secs(last.bound)}s, Ready ${secs(last.ready)}s after the create`,
        '< 30 s', Number.isFinite(total) && total < 30 ? 'PASS' : 'FAIL',
      ]],
      notes,
    };
  } finally {
    progress('deployment: stopping the hollow kubelets');
    await hollow.stop();
  }
}

// Hollow kubelets for the bench: one `kubets kubelet --runtime fake --nodes N` process against the bench
// cluster, waited on until its N nodes are Ready, and stopped with its Node objects and Leases deleted.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchContext } from './context';
import { memoryOf } from './procfs';
import { closedLoop, sleep } from './stats';

const cli = path.join(__dirname, '..', 'src', 'cli.js');

export interface HollowKubelets {
  prefix: string;
  nodes: number;
  pid: number;
  /** Seconds from spawn until all nodes were Ready. */
  readySeconds: number;
  /** The process's resident memory now, MB. */
  rssMb(): number;
  /** Kills the process, then deletes its Nodes and Leases. */
  stop(): Promise<void>;
}

interface NodeList { items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] }

async function readyCount(ctx: BenchContext, prefix: string): Promise<number> {
  const list = JSON.parse(await ctx.api.expect(200, 'GET', '/api/v1/nodes?labelSelector=kubets.io%2Fhollow%3Dtrue')) as NodeList;
  return list.items.filter((n) => n.metadata.name.startsWith(prefix)
    && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

export async function startHollowKubelets(ctx: BenchContext, nodes: number, prefix: string): Promise<HollowKubelets> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [cli, 'kubelet', '--runtime', 'fake', '--nodes', String(nodes),
    '--node-name-prefix', prefix, '--kubeconfig', ctx.kubeconfig], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await closedLoop({ concurrency: ctx.concurrency, durationMs: 600_000, maxOps: nodes }, async (_w, i) => {
      await ctx.api.request('DELETE', `/api/v1/nodes/${prefix}${i}`);
      await ctx.api.request('DELETE', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${prefix}${i}`);
    });
  };
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hollow kubelets exited (${child.exitCode}): ${stderr}`);
    if (await readyCount(ctx, prefix) >= nodes) break;
    if (Date.now() > deadline) { await stop(); throw new Error(`hollow nodes not all Ready after 600 s`); }
    await sleep(1000);
  }
  return {
    prefix, nodes, pid: child.pid!, readySeconds: (performance.now() - t0) / 1000,
    rssMb: () => (memoryOf(child.pid!)?.rssKb ?? 0) / 1024,
    stop,
  };
}

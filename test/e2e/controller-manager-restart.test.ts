// The controller-manager as a restartable, replicated API client: killed with SIGKILL in the middle of a
// rollout and started again by `kubets up`, it finishes the rollout with no extra pods; with a second
// replica started by hand, exactly one of them holds the kube-system/kube-controller-manager Lease.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ok, unscheduledSchedulerName, type KubeObject, type List } from '../integration/http';
import { standInKubelet } from '../integration/pod-status-stand-in';
import { apiPort, Background, createNamespace, dataDir, kubeconfigPath, kubectlOk, waitFor } from './kubectl';
import { PodCensus } from './pod-census';

const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'cli.js');
const pidFile = (): string => path.join(dataDir(), 'run', 'controller-manager.pid');
const readPid = (): number => Number(readFileSync(pidFile(), 'utf8').trim());
const alive = (pid: number): boolean => { try { process.kill(pid, 0); return true; } catch { return false; } };

interface Lease extends KubeObject { spec: { holderIdentity?: string } }
interface RS extends KubeObject { spec: { replicas: number; template: { metadata: { labels: Record<string, string> } } }; status?: { readyReplicas?: number } }

let ns: string;
beforeAll(async () => { ns = await createNamespace('e2e-kcm'); });

test('SIGKILL mid-rollout, then `kubets up` again: the rollout finishes with no extra pods', async () => {
  // A slower stand-in kubelet (1.5 s to start a pod) keeps the rollout in flight long enough to interrupt.
  const runner = standInKubelet(1500).start(ns);
  try {
    // Its pods name a scheduler nobody runs, so only the stand-in (not the cluster's real node) runs them.
    const manifest = JSON.parse(await kubectlOk(['create', 'deployment', 'slow', '-n', ns, '--image=busybox:1.36', '--replicas=6', '--dry-run=client', '-o', 'json'])) as
      { spec: { template: { spec: Record<string, unknown> } } };
    manifest.spec.template.spec.schedulerName = unscheduledSchedulerName;
    await kubectlOk(['create', '-f', '-'], { input: JSON.stringify(manifest) });
    await kubectlOk(['patch', 'deployment/slow', '-n', ns, '-p', '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}}}']);
    await kubectlOk(['rollout', 'status', 'deployment/slow', '-n', ns, '--timeout=90s']);
    const census = await PodCensus.start(ns, 'slow');
    await kubectlOk(['set', 'image', 'deployment/slow', '-n', ns, 'busybox=busybox:1.37']);
    const newHash = await waitFor('the new ReplicaSet with one ready pod', async () => {
      const rss = (await ok<List<RS>>('GET', `/apis/apps/v1/namespaces/${ns}/replicasets?labelSelector=app%3Dslow`)).items;
      const fresh = rss.find((r) => r.spec.replicas > 0 && (r.status?.readyReplicas ?? 0) >= 1 && (r.status?.readyReplicas ?? 0) < 6 &&
        JSON.stringify(r.spec).includes('busybox:1.37'));
      return fresh?.spec.template.metadata.labels['pod-template-hash'];
    }, 60_000, 50);

    const pid = readPid();
    process.kill(pid, 'SIGKILL');
    await waitFor('the controller-manager to be gone', () => !alive(pid));
    execFileSync('node', [cli, 'up', '--data-dir', dataDir(), '--apiserver-port', String(apiPort()), '--context', 'kubets-test'],
      { stdio: 'ignore', env: { ...process.env, HOME: dataDir() } });
    const again = readPid();
    expect(again).not.toBe(pid);
    expect(alive(again)).toBe(true);

    // The new process waits out the dead one's lease (15 s) before it takes over.
    const out = await kubectlOk(['rollout', 'status', 'deployment/slow', '-n', ns, '--timeout=100s'], { timeoutMs: 110_000 });
    expect(out.trim().split('\n').pop()).toBe('deployment "slow" successfully rolled out');
    await waitFor('6 pods, all of the new template', () => {
      const live = census.live();
      return live.length === 6 && live.every((p) => p.metadata.labels?.['pod-template-hash'] === newHash);
    }, 30_000);
    census.stop();
    expect(census.maxLive).toBeLessThanOrEqual(7);
    expect(census.minReady).toBeGreaterThanOrEqual(6);
    // No extra pods: exactly one pod was ever created per new replica.
    const newPods = [...census.added].filter((n) => n.startsWith(`slow-${newHash}-`));
    expect(newPods).toHaveLength(6);
  } finally { runner.stop(); }
}, 180_000);

test('with two controller-manager replicas, exactly one holds the Lease', async () => {
  const first = readPid();
  const second = new Background(spawn(process.execPath, [cli, 'controller-manager', '--kubeconfig', kubeconfigPath()],
    { stdio: ['ignore', 'pipe', 'pipe'] }));
  try {
    // Several retry periods (2 s each) of the second replica trying for the lease.
    await new Promise((r) => setTimeout(r, 7000));
    expect(second.running).toBe(true);
    const lease = await ok<Lease>('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager');
    expect(lease.spec.holderIdentity).toBe(`${os.hostname()}_${first}`);
    expect(second.stdout + second.stderr).not.toContain('successfully acquired lease');
    expect(second.stdout + second.stderr).not.toContain('started controller');
  } finally { await second.stop(); }
}, 60_000);

// The seeds' nginx-style Deployment on the suite's real node (default scheduler, containerd, the local
// busybox httpd image): 3/3 Available and serving; an image change rolls pods one step at a time within
// the default maxSurge (1) and maxUnavailable (0), checked at every pod event of a watch; `kubectl rollout
// undo` brings back the first ReplicaSet.
import http from 'node:http';
import type { Pod } from 'kubernetes-types/core/v1';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { createNamespace, kubectlOk, waitFor } from './kubectl';
import { PodCensus } from './pod-census';

const deployYaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx, labels: {app: nginx}}
spec:
  replicas: 3
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: nginx
        image: busybox:1.36
        command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"]
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /index.html, port: 80}, periodSeconds: 1}
`;

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const podsOf = async (ns: string): Promise<Pod[]> =>
  (JSON.parse(await kubectlOk(['get', 'pods', '-n', ns, '-l', 'app=nginx', '-o', 'json'])) as { items: Pod[] }).items;
const replicaSets = async (ns: string): Promise<ReplicaSet[]> =>
  (JSON.parse(await kubectlOk(['get', 'rs', '-n', ns, '-l', 'app=nginx', '-o', 'json'])) as { items: ReplicaSet[] }).items;

test('3/3 Available on real containerd, a rolling image change within surge/unavailable bounds, then undo', async () => {
  const ns = await createNamespace('e2e-nginx');
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: deployYaml });
  const first = await kubectlOk(['rollout', 'status', 'deployment/nginx', '-n', ns, '--timeout=120s'], { timeoutMs: 130_000 });
  expect(first.trim().split('\n').pop()).toBe('deployment "nginx" successfully rolled out');
  const rows = (await kubectlOk(['get', 'deployment', 'nginx', '-n', ns, '--no-headers'])).trim().split(/\s+/);
  expect(rows.slice(0, 4)).toEqual(['nginx', '3/3', '3', '3']);
  // Each pod answers over its own IP with its own name.
  const pods = await podsOf(ns);
  for (const p of pods) expect((await httpGet(`http://${p.status?.podIP}/index.html`)).trim()).toBe(p.metadata?.name);
  const [oldRs] = await replicaSets(ns);

  const census = await PodCensus.start(ns, 'nginx');
  await kubectlOk(['set', 'image', 'deployment/nginx', '-n', ns, 'nginx=busybox']);
  await kubectlOk(['rollout', 'status', 'deployment/nginx', '-n', ns, '--timeout=120s'], { timeoutMs: 130_000 });
  await waitFor('3 pods of the new template, the old ones gone', async () => {
    const live = census.live();
    return live.length === 3 && live.every((p) => p.metadata.labels?.['pod-template-hash'] !== oldRs?.metadata?.labels?.['pod-template-hash']);
  }, 60_000);
  census.stop();
  // Defaults of a RollingUpdate of 3: maxSurge 25% rounds up to 1, maxUnavailable 25% rounds down to 0.
  expect(census.maxLive).toBeLessThanOrEqual(4);
  expect(census.minReady).toBeGreaterThanOrEqual(3);
  expect(census.added.size).toBe(3);

  expect((await kubectlOk(['rollout', 'undo', 'deployment/nginx', '-n', ns])).trim()).toBe('deployment.apps/nginx rolled back');
  await kubectlOk(['rollout', 'status', 'deployment/nginx', '-n', ns, '--timeout=120s'], { timeoutMs: 130_000 });
  const after = await replicaSets(ns);
  const active = after.filter((r) => (r.spec?.replicas ?? 0) > 0);
  expect(active.map((r) => r.metadata?.name)).toEqual([oldRs?.metadata?.name]);
  expect(active[0]?.spec?.template?.spec?.containers[0]?.image).toBe('busybox:1.36');
  expect(active[0]?.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  await kubectlOk(['delete', 'deployment', 'nginx', '-n', ns, '--wait=false']);
}, 300_000);

// ResourceQuota with stock kubectl: the resourcequota controller fills status.hard and status.used from
// the namespace's objects, `kubectl get quota` prints used/hard as upstream does, and admission refuses a
// create past a hard limit with upstream's message.
import { createNamespace, kubectl, kubectlOk, table, waitFor } from './kubectl';

let ns: string;
beforeAll(async () => { ns = await createNamespace('e2e-quota'); });

const quota = 'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\nspec:\n  hard:\n'
  + '    pods: "4"\n    requests.cpu: "1"\n    requests.memory: 1Gi\n    limits.cpu: "2"\n    count/configmaps: "5"\n    services.nodeports: "2"\n';

/** A pod that no scheduler or kubelet touches (it names a scheduler nobody runs). */
const pod = (name: string, cpu: string, memory: string) => 'apiVersion: v1\nkind: Pod\nmetadata:\n'
  + `  name: ${name}\nspec:\n  schedulerName: kubets-test-none\n  containers:\n  - name: c\n    image: busybox\n`
  + `    resources:\n      requests: {cpu: ${cpu}, memory: ${memory}}\n      limits: {cpu: ${cpu}}\n`;

async function used(): Promise<Record<string, string>> {
  const q = JSON.parse(await kubectlOk(['get', 'quota', 'compute', '-n', ns, '-o', 'json'])) as { status?: { used?: Record<string, string> } };
  return q.status?.used ?? {};
}

const settle = (want: Record<string, string>) => waitFor(`used ${JSON.stringify(want)}`, async () => {
  const u = await used();
  return Object.entries(want).every(([k, v]) => u[k] === v) ? u : undefined;
}, 20_000, 200);

test('status.used follows the namespace\'s pods, configmaps and node ports; a create past the limit is refused', async () => {
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: quota });
  // The namespace's kube-root-ca.crt is a configmap too, as upstream counts it.
  const start = await settle({ pods: '0', 'requests.cpu': '0', 'requests.memory': '0', 'limits.cpu': '0', 'services.nodeports': '0' });
  const rootCa = Number(start['count/configmaps']);
  const q = JSON.parse(await kubectlOk(['get', 'quota', 'compute', '-n', ns, '-o', 'json'])) as { status: { hard: Record<string, string> } };
  expect(q.status.hard).toEqual({ pods: '4', 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'count/configmaps': '5', 'services.nodeports': '2' });

  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: pod('a', '100m', '64Mi') });
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: pod('b', '250m', '128Mi') });
  await kubectlOk(['create', 'configmap', 'settings', '-n', ns, '--from-literal=a=b']);
  await kubectlOk(['create', 'service', 'nodeport', 'web', '-n', ns, '--tcp=80:8080']);
  await settle({ pods: '2', 'requests.cpu': '350m', 'requests.memory': '192Mi', 'limits.cpu': '350m', 'count/configmaps': String(rootCa + 1), 'services.nodeports': '1' });

  const rows = table(await kubectlOk(['get', 'quota', '-n', ns]));
  expect(rows[0]).toEqual(['NAME', 'AGE', 'REQUEST', 'LIMIT']);
  expect(rows[1][2]).toBe(`count/configmaps: ${rootCa + 1}/5, pods: 2/4, requests.cpu: 350m/1, requests.memory: 192Mi/1Gi, services.nodeports: 1/2`);
  expect(rows[1][3]).toBe('limits.cpu: 350m/2');

  // Admission refuses what would pass a hard limit, naming only the resources that would.
  const refused = await kubectl(['create', '-n', ns, '-f', '-'], { input: pod('c', '700m', '64Mi') });
  expect(refused.code).toBe(1);
  expect(refused.stderr.trim()).toBe('Error from server (Forbidden): error when creating "STDIN": pods "c" is forbidden: '
    + 'exceeded quota: compute, requested: requests.cpu=700m, used: requests.cpu=350m, limited: requests.cpu=1');
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: pod('c', '600m', '64Mi') });
  await settle({ pods: '3', 'requests.cpu': '950m' });

  await kubectlOk(['delete', 'pod', 'a', 'c', '-n', ns, '--grace-period=0', '--force']);
  await settle({ pods: '1', 'requests.cpu': '250m', 'requests.memory': '128Mi', 'limits.cpu': '250m' });
});

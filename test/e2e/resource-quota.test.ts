// ResourceQuota with stock kubectl: the resourcequota controller fills status.hard and status.used from
// the namespace's objects, `kubectl get quota` prints used/hard as upstream does, and admission refuses a
// create past a hard limit with upstream's message.
import { createNamespace, kubectl, kubectlOk, table, waitFor } from './kubectl';

const none = 'kubets-test-none';

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
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: pod('d', '50m', '64Mi') });
  const full = await kubectl(['create', '-n', ns, '-f', '-'], { input: pod('e', '1m', '1Mi') });
  expect(full.stderr.trim()).toBe('Error from server (Forbidden): error when creating "STDIN": pods "e" is forbidden: '
    + 'exceeded quota: compute, requested: pods=1,requests.cpu=1m, used: pods=4,requests.cpu=1, limited: pods=4,requests.cpu=1');

  await kubectlOk(['delete', 'pod', 'a', 'c', 'd', '-n', ns, '--grace-period=0', '--force']);
  await settle({ pods: '1', 'requests.cpu': '250m', 'requests.memory': '128Mi', 'limits.cpu': '250m' });
});

test('a pod leaving out a quota\'d memory figure is refused; scoped quotas count only their pods; kubectl describe shows used and hard', async () => {
  const ns2 = await createNamespace('e2e-quota-scopes');
  const usedOf = async (name: string) => (JSON.parse(await kubectlOk(['get', 'quota', name, '-n', ns2, '-o', 'json'])) as { status?: { used?: Record<string, string> } }).status?.used ?? {};
  const settled = (name: string, want: Record<string, string>) => waitFor(`${name} used ${JSON.stringify(want)}`, async () => {
    const u = await usedOf(name);
    return Object.entries(want).every(([k, v]) => u[k] === v) ? u : undefined;
  }, 20_000, 200);
  const create = (yaml: string) => kubectl(['create', '-n', ns2, '-f', '-'], { input: yaml });

  await kubectlOk(['create', 'quota', 'mem', '-n', ns2, '--hard=requests.memory=512Mi,limits.memory=1Gi']);
  await settled('mem', { 'requests.memory': '0', 'limits.memory': '0' });
  // Container b states a memory limit (its request defaults to it); a states neither.
  const twoContainers = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: nomem\nspec:\n'
    + `  schedulerName: ${none}\n  containers:\n  - name: a\n    image: busybox\n  - name: b\n    image: busybox\n    resources: {limits: {memory: 64Mi}}\n`;
  const refused = await create(twoContainers);
  expect(refused.stderr.trim()).toBe('Error from server (Forbidden): error when creating "STDIN": pods "nomem" is forbidden: '
    + 'failed quota: mem: must specify limits.memory for: a; requests.memory for: a');
  await kubectlOk(['delete', 'quota', 'mem', '-n', ns2]);

  await kubectlOk(['create', 'quota', 'besteffort', '-n', ns2, '--hard=pods=1', '--scopes=BestEffort']);
  await kubectlOk(['create', 'quota', 'burstable', '-n', ns2, '--hard=pods=2,requests.cpu=1', '--scopes=NotBestEffort']);
  await settled('besteffort', { pods: '0' });
  await settled('burstable', { pods: '0', 'requests.cpu': '0' });
  const plain = (name: string, cpu?: string) => 'apiVersion: v1\nkind: Pod\nmetadata:\n'
    + `  name: ${name}\nspec:\n  schedulerName: ${none}\n  containers:\n  - name: c\n    image: busybox\n`
    + (cpu ? `    resources: {requests: {cpu: ${cpu}}}\n` : '');
  expect((await create(plain('be1'))).code).toBe(0);
  expect((await create(plain('bu1', '300m'))).code).toBe(0);
  await settled('besteffort', { pods: '1' });
  await settled('burstable', { pods: '1', 'requests.cpu': '300m' });
  const second = await create(plain('be2'));
  expect(second.stderr.trim()).toBe('Error from server (Forbidden): error when creating "STDIN": pods "be2" is forbidden: '
    + 'exceeded quota: besteffort, requested: pods=1, used: pods=1, limited: pods=1');
  // The BestEffort quota does not see a burstable pod.
  expect((await create(plain('bu2', '200m'))).code).toBe(0);
  await settled('burstable', { pods: '2', 'requests.cpu': '500m' });
  expect(await usedOf('besteffort')).toEqual({ pods: '1' });

  const described = await kubectlOk(['describe', 'quota', 'burstable', '-n', ns2]);
  expect(described).toMatch(/^Scopes:\s+NotBestEffort$/m);
  expect(described).toMatch(/^pods\s+2\s+2$/m);
  expect(described).toMatch(/^requests\.cpu\s+500m\s+1$/m);
  const rows = table(await kubectlOk(['get', 'quota', '-n', ns2]));
  expect(rows.slice(1).map((r) => [r[0], r[2]])).toEqual([['besteffort', 'pods: 1/1'], ['burstable', 'pods: 2/2, requests.cpu: 500m/1']]);

  await kubectlOk(['delete', 'pod', 'be1', 'bu1', '-n', ns2, '--grace-period=0', '--force']);
  await settled('besteffort', { pods: '0' });
  await settled('burstable', { pods: '1', 'requests.cpu': '200m' });
});

test('count/<resource> of a kind outside the built-in list (found by discovery) is counted and enforced', async () => {
  const ns3 = await createNamespace('e2e-quota-count');
  await kubectlOk(['create', 'quota', 'objects', '-n', ns3, '--hard=count/serviceaccounts=2']);
  // The namespace's default service account counts too.
  await waitFor('count/serviceaccounts used 1', async () => {
    const q = JSON.parse(await kubectlOk(['get', 'quota', 'objects', '-n', ns3, '-o', 'json'])) as { status?: { used?: Record<string, string> } };
    return q.status?.used?.['count/serviceaccounts'] === '1' ? true : undefined;
  }, 20_000, 200);
  await kubectlOk(['create', 'serviceaccount', 'robot', '-n', ns3]);
  const refused = await kubectl(['create', 'serviceaccount', 'robot2', '-n', ns3]);
  expect(refused.stderr.trim()).toBe('error: failed to create serviceaccount: serviceaccounts "robot2" is forbidden: '
    + 'exceeded quota: objects, requested: count/serviceaccounts=1, used: count/serviceaccounts=2, limited: count/serviceaccounts=2');
});

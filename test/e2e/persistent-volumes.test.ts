// Persistent storage end to end with stock kubectl on the suite's real node: a claim with no class gets
// the default class; a `local-path` claim waits for its first consumer, is provisioned on the node the scheduler
// picks and keeps its data across pods; protection holds a claim in use; Delete removes the volume and
// its directory; static volumes bind smallest-fit, and Retain/Delete-without-deleter end Released/Failed.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Event, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { createNamespace, dataDir, kubectl, kubectlOk, waitFor } from './kubectl';

let ns: string;
let node: string;
const staticVolumes: string[] = [];

function nodeName(): string {
  const layout = JSON.parse(readFileSync(path.join(dataDir(), 'cluster.json'), 'utf8')) as { node?: { name?: string } };
  if (!layout.node?.name) throw new Error('cluster.json has no node: `up` did not start a kubelet');
  return layout.node.name;
}

async function getJson<T>(args: string[]): Promise<T> {
  return JSON.parse(await kubectlOk([...args, '-o', 'json'])) as T;
}
const claim = (name: string) => getJson<PersistentVolumeClaim>(['get', 'pvc', name, '-n', ns]);
const volume = (name: string) => getJson<PersistentVolume>(['get', 'pv', name]);

async function events(name: string): Promise<Event[]> {
  return (await getJson<{ items: Event[] }>(['get', 'events', '-n', ns, '--field-selector', `involvedObject.name=${name}`])).items;
}

/** A busybox pod using claim `data`, placed by the scheduler (pinned to the real node by its hostname label). */
function claimPod(name: string, script: string, restartPolicy = 'Never'): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  restartPolicy: ${restartPolicy}\n  terminationGracePeriodSeconds: 1\n`
    + `  nodeSelector: {kubernetes.io/hostname: ${node}}\n`
    + `  containers:\n  - name: c\n    image: busybox\n    command: ["sh", "-c", ${JSON.stringify(script)}]\n`
    + '    volumeMounts: [{name: d, mountPath: /data}]\n'
    + '  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n';
}

async function podPhase(name: string, phase: string): Promise<Pod> {
  return waitFor(`pod ${name} ${phase}`, async () => {
    const p = await getJson<Pod>(['get', 'pod', name, '-n', ns]);
    return p.status?.phase === phase ? p : undefined;
  }, 60_000, 300);
}

beforeAll(async () => {
  node = nodeName();
  ns = await createNamespace('e2e-storage');
});

afterAll(async () => {
  for (const pv of staticVolumes) await kubectl(['delete', 'pv', pv, '--wait=false', '--ignore-not-found']);
});

test('the default local-path class is served and marked default', async () => {
  const out = await kubectlOk(['get', 'storageclass']);
  expect(out).toMatch(/^local-path \(default\)\s+kubets\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false/m);
});

test('a claim without a class gets the newest default class; "" keeps no class', async () => {
  // Other suites may add default classes of their own: the newest (then by name) wins, as upstream.
  const classes = (await getJson<{ items: StorageClass[] }>(['get', 'storageclass'])).items
    .filter((c) => c.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true')
    .sort((a, b) => Date.parse(b.metadata?.creationTimestamp ?? '') - Date.parse(a.metadata?.creationTimestamp ?? '')
      || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const claimYaml = (name: string, cls = '') => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${name}}\nspec:\n${cls}`
    + '  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Mi}}\n';
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: [claimYaml('defaulted'), claimYaml('classless', '  storageClassName: ""\n')].join('---\n') });
  expect((await claim('defaulted')).spec?.storageClassName).toBe(classes[0].metadata?.name);
  expect((await claim('classless')).spec?.storageClassName).toBe('');
  await kubectlOk(['delete', 'pvc', 'defaulted', 'classless', '-n', ns]);
});

test('a local-path claim is provisioned on first use and its data outlives the pod', async () => {
  await kubectlOk(['apply', '-n', ns, '-f', '-'], {
    input: 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  storageClassName: local-path\n'
      + '  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 32Mi}}\n',
  });
  let pvc = await claim('data');
  expect(pvc.metadata?.finalizers).toEqual(['kubernetes.io/pvc-protection']);
  await waitFor('WaitForFirstConsumer event', async () => (await events('data')).find((e) => e.reason === 'WaitForFirstConsumer'
    && e.message === 'waiting for first consumer to be created before binding'), 30_000, 300);
  expect((await claim('data')).status?.phase).toBe('Pending');

  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: claimPod('writer', 'echo kept-across-pods > /data/note; cat /data/note') });
  await podPhase('writer', 'Succeeded');
  pvc = await claim('data');
  expect(pvc.status?.phase).toBe('Bound');
  expect(pvc.status?.capacity).toEqual({ storage: '32Mi' });
  const ann = pvc.metadata?.annotations ?? {};
  expect(ann['volume.kubernetes.io/selected-node']).toBe(node);
  expect(ann['volume.kubernetes.io/storage-provisioner']).toBe('kubets.io/local-path');
  expect(ann['pv.kubernetes.io/bind-completed']).toBe('yes');
  const pvName = pvc.spec?.volumeName ?? '';
  expect(pvName).toBe(`pvc-${pvc.metadata?.uid}`);
  const pv = await volume(pvName);
  expect(pv.status?.phase).toBe('Bound');
  expect(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by']).toBe('kubets.io/local-path');
  expect(pv.metadata?.finalizers).toEqual(['kubernetes.io/pv-protection']);
  expect(pv.spec?.claimRef).toMatchObject({ namespace: ns, name: 'data', uid: pvc.metadata?.uid });
  expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
  expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0].matchExpressions?.[0]).toEqual({ key: 'kubernetes.io/hostname', operator: 'In', values: [node] });
  const dir = pv.spec?.local?.path ?? '';
  expect(dir.startsWith(path.resolve(dataDir()) + path.sep)).toBe(true);
  expect(readFileSync(path.join(dir, 'note'), 'utf8')).toBe('kept-across-pods\n');
  const reasons = (await events('data')).map((e) => e.reason);
  expect(reasons).toEqual(expect.arrayContaining(['ExternalProvisioning', 'Provisioning', 'ProvisioningSucceeded']));

  await kubectlOk(['delete', 'pod', 'writer', '-n', ns]);
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: claimPod('reader', 'cat /data/note; exec sleep 3600', 'Always') });
  await podPhase('reader', 'Running');
  await waitFor('reader log', async () => (await kubectlOk(['logs', 'reader', '-n', ns])).trim() === 'kept-across-pods', 20_000, 300);

  // In use: deleting the claim leaves it Terminating until the pod is gone, then the volume and its directory go.
  await kubectlOk(['delete', 'pvc', 'data', '-n', ns, '--wait=false']);
  await new Promise((r) => setTimeout(r, 2000));
  const held = await claim('data');
  expect(held.metadata?.deletionTimestamp).toBeDefined();
  expect(await kubectlOk(['get', 'pvc', 'data', '-n', ns])).toMatch(/^data\s+Terminating\s/m);
  expect(existsSync(dir)).toBe(true);
  await kubectlOk(['delete', 'pod', 'reader', '-n', ns]);
  await waitFor('claim gone', async () => (await kubectl(['get', 'pvc', 'data', '-n', ns])).code !== 0, 30_000, 300);
  await waitFor('volume gone', async () => (await kubectl(['get', 'pv', pvName])).code !== 0, 30_000, 300);
  expect(existsSync(dir)).toBe(false);
}, 180_000);

test('static volumes: smallest fit binds, Retain ends Released, Delete without a deleter ends Failed', async () => {
  const base = path.join(dataDir(), `static-${ns}`);
  const pv = (name: string, size: string, policy: string) => {
    mkdirSync(path.join(base, name), { recursive: true });
    staticVolumes.push(name);
    return `apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: ${name}}\nspec:\n  capacity: {storage: ${size}}\n`
      + `  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: ${policy}\n  storageClassName: manual-${ns}\n`
      + `  hostPath: {path: ${path.join(base, name)}}\n`;
  };
  const big = `${ns}-big`;
  const small = `${ns}-small`;
  const other = `${ns}-delete`;
  await kubectlOk(['apply', '-f', '-'], { input: [pv(big, '200Mi', 'Retain'), pv(small, '50Mi', 'Retain'), pv(other, '1Gi', 'Delete')].join('---\n') });
  await waitFor('volumes Available', async () => {
    for (const n of [big, small, other]) if ((await volume(n)).status?.phase !== 'Available') return false;
    return true;
  }, 30_000, 300);
  const claimYaml = (name: string, size: string, cls = `manual-${ns}`) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${name}}\n`
    + `spec:\n  storageClassName: "${cls}"\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: ${size}}}\n`;
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: claimYaml('fits', '40Mi') });
  const bound = await waitFor('claim fits Bound', async () => { const c = await claim('fits'); return c.status?.phase === 'Bound' ? c : undefined; }, 30_000, 300);
  expect(bound.spec?.volumeName).toBe(small);
  expect(bound.status?.capacity).toEqual({ storage: '50Mi' });
  const smallPv = await volume(small);
  expect(smallPv.status?.phase).toBe('Bound');
  expect(smallPv.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
  expect(await kubectlOk(['get', 'pv', small])).toMatch(new RegExp(`^${small}\\s+50Mi\\s+RWO\\s+Retain\\s+Bound\\s+${ns}/fits\\s`, 'm'));

  // Nothing fits and no class names a provisioner: Pending with upstream's event.
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: claimYaml('none', '10Gi', '') });
  await waitFor('FailedBinding event', async () => (await events('none')).find((e) => e.reason === 'FailedBinding'
    && e.message === 'no persistent volumes available for this claim and no storage class is set'), 30_000, 300);
  expect((await claim('none')).status?.phase).toBe('Pending');

  await kubectlOk(['delete', 'pvc', 'fits', '-n', ns]);
  await waitFor('Retain volume Released', async () => (await volume(small)).status?.phase === 'Released', 30_000, 300);
  expect(existsSync(path.join(base, small))).toBe(true);

  // A volume the user names binds to that claim even though a smaller one would fit.
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: claimYaml('named', '10Mi').replace('spec:\n', `spec:\n  volumeName: ${other}\n`) });
  await waitFor('named claim Bound', async () => (await claim('named')).status?.phase === 'Bound', 30_000, 300);
  await kubectlOk(['delete', 'pvc', 'named', '-n', ns]);
  const failed = await waitFor('Delete volume Failed', async () => { const v = await volume(other); return v.status?.phase === 'Failed' ? v : undefined; }, 30_000, 300);
  expect(failed.status?.message).toContain('no deletable volume plugin matched');
}, 120_000);

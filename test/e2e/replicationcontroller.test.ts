// The ReplicationController controller with real pods on the suite's node (default scheduler, containerd):
// an RC of 2 gets 2 ready pods it owns, `kubectl scale` shrinks it, `kubectl get rc` shows upstream's
// columns, and deleting the RC takes its pods with it.
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1';
import { createNamespace, kubectlOk, table, waitFor } from './kubectl';

const rcYaml = `apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: legacy}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: busybox, command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]}]
`;

test('an RC keeps its replicas of real pods, scales, and takes them along when deleted', async () => {
  const ns = await createNamespace('e2e-rc');
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: rcYaml });
  const rc = JSON.parse(await kubectlOk(['get', 'rc', 'legacy', '-n', ns, '-o', 'json'])) as ReplicationController;
  // Defaulted by the apiserver from the template's labels.
  expect(rc.spec?.selector).toEqual({ app: 'legacy' });
  await waitFor('2 ready replicas', async () => {
    const r = JSON.parse(await kubectlOk(['get', 'rc', 'legacy', '-n', ns, '-o', 'json'])) as ReplicationController;
    return r.status?.readyReplicas === 2 && r.status.availableReplicas === 2;
  }, 90_000, 500);
  const pods = (JSON.parse(await kubectlOk(['get', 'pods', '-n', ns, '-l', 'app=legacy', '-o', 'json'])) as { items: Pod[] }).items;
  expect(pods).toHaveLength(2);
  for (const p of pods) {
    expect(p.metadata?.name).toMatch(/^legacy-[a-z0-9]{5}$/);
    expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', uid: rc.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    expect(p.status?.phase).toBe('Running');
  }
  const rows = table(await kubectlOk(['get', 'rc', '-n', ns]));
  expect(rows[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
  expect(rows[1]!.slice(0, 4)).toEqual(['legacy', '2', '2', '2']);

  expect((await kubectlOk(['scale', 'rc', 'legacy', '-n', ns, '--replicas=1'])).trim()).toBe('replicationcontroller/legacy scaled');
  await waitFor('1 pod left', async () => {
    const left = (JSON.parse(await kubectlOk(['get', 'pods', '-n', ns, '-l', 'app=legacy', '-o', 'json'])) as { items: Pod[] }).items;
    return left.filter((p) => !p.metadata?.deletionTimestamp).length === 1;
  }, 60_000, 500);

  await kubectlOk(['delete', 'rc', 'legacy', '-n', ns, '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
  await waitFor('the pods gone', async () => (await kubectlOk(['get', 'pods', '-n', ns, '-l', 'app=legacy', '-o', 'name'])).trim() === '', 60_000, 500);
}, 180_000);

// Namespace deletion through the namespace controller: `kubectl delete ns` empties the namespace (every
// kind discovery lists), waits for graceful pods and finalizers while its conditions say what remains,
// then the namespace itself goes and `kubectl get ns` is NotFound.
import { confirmPodDeletion } from '../integration/lifecycle-pod-status';
import { ok } from '../integration/http';
import { createNamespace, kubectl, kubectlBackground, kubectlOk, waitFor } from './kubectl';

interface NsCondition { type: string; status: string; reason: string; message: string }
interface NsObj { status: { phase: string; conditions?: NsCondition[] } }

async function namespaceObj(ns: string): Promise<NsObj> {
  return JSON.parse(await kubectlOk(['get', 'ns', ns, '-o', 'json'])) as NsObj;
}

test('kubectl delete ns empties the namespace, waits for a graceful pod and a finalizer, then the namespace is gone', async () => {
  const ns = await createNamespace('e2e-nsdel');
  const node = `${ns}-node`;
  await kubectlOk(['create', '-f', '-'], { input: `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${node}\n` });
  await kubectlOk(['-n', ns, 'create', 'configmap', 'plain', '--from-literal=a=b']);
  await kubectlOk(['-n', ns, 'create', 'secret', 'generic', 'sec', '--from-literal=a=b']);
  await kubectlOk(['-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.27']);
  await kubectlOk(['-n', ns, 'create', 'service', 'clusterip', 'web', '--tcp=80:80']);
  await kubectlOk(['-n', ns, 'create', '-f', '-'], {
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers:\n  - example.com/hold\n',
  });
  await kubectlOk(['-n', ns, 'create', '-f', '-'], {
    input: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: bound\nspec:\n  nodeName: ${node}\n  terminationGracePeriodSeconds: 30\n  containers:\n  - name: c\n    image: nginx:1.27\n`,
  });

  const del = kubectlBackground(['delete', 'ns', ns]);
  try {
    // Everything that can go goes; the bound pod waits for its kubelet, the held configmap for its finalizer.
    await waitFor('unheld content deleted', async () => {
      const out = await kubectlOk(['-n', ns, 'get', 'configmaps,secrets,deployments,replicasets,services', '-o', 'name']);
      return out.trim() === 'configmap/held';
    }, 30_000);
    const pod = JSON.parse(await kubectlOk(['-n', ns, 'get', 'pod', 'bound', '-o', 'json'])) as { metadata: { deletionTimestamp?: string } };
    expect(pod.metadata.deletionTimestamp).toBeDefined();
    const conditions = await waitFor('conditions naming what remains', async () => {
      const o = await namespaceObj(ns);
      const byType = new Map((o.status.conditions ?? []).map((c) => [c.type, c]));
      const remaining = byType.get('NamespaceContentRemaining');
      return remaining?.status === 'True' && remaining.message.includes('pods. has 1') ? { phase: o.status.phase, byType } : undefined;
    }, 30_000);
    expect(conditions.phase).toBe('Terminating');
    expect(conditions.byType.get('NamespaceContentRemaining')).toMatchObject({
      reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 1 resource instances',
    });
    expect(conditions.byType.get('NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True', reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    });
    expect(conditions.byType.get('NamespaceDeletionDiscoveryFailure')).toMatchObject({
      status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered',
    });
    expect(conditions.byType.get('NamespaceDeletionContentFailure')).toMatchObject({ status: 'False', reason: 'ContentDeleted' });
    expect(del.running).toBe(true);
    const again = await kubectl(['delete', 'ns', ns, '--wait=false']);
    expect(again.stderr.trim()).toBe(`Error from server (Conflict): Operation cannot be fulfilled on namespaces "${ns}": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.`);

    // The kubelet's part, then the finalizer's owner's part: the namespace may now go.
    await confirmPodDeletion(ns, 'bound');
    await kubectlOk(['-n', ns, 'patch', 'configmap', 'held', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    const r = await del.exited;
    expect(r).toMatchObject({ code: 0, stdout: `namespace "${ns}" deleted\n` });
    expect(await kubectl(['get', 'ns', ns])).toMatchObject({ code: 1, stderr: `Error from server (NotFound): namespaces "${ns}" not found\n` });
  } finally {
    await del.stop();
    await ok('DELETE', `/api/v1/nodes/${node}`);
  }
});

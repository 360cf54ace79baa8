// The manifest corpus for networking, discovery, policy, rbac, storage, scheduling and node kinds,
// applied with stock kubectl: valid manifests round-trip with upstream's defaults, invalid ones get
// upstream's 422 message, every kind prints upstream's columns; plus `kubectl auth whoami / can-i`.
import { parse as parseYaml } from 'yaml';
import { corpusFiles } from './corpus-networking-rbac-storage-fixtures';
import { createNamespace, kubectl, kubectlOk, table, waitFor } from './kubectl';

let ns: string;
const valid = corpusFiles('valid');
const invalid = corpusFiles('invalid');

beforeAll(async () => {
  ns = await createNamespace('corpus-nrs');
  for (const f of valid) {
    const out = await kubectlOk(['apply', '-n', ns, '-f', f.path]);
    expect(out).toMatch(new RegExp(`^[a-z]+\\.${f.resource.split('.').slice(1).join('\\.')}/[a-z0-9.-]+ created\n$`));
  }
}, 120_000);

type Obj = Record<string, unknown>;
async function getYaml(resource: string, name: string): Promise<Obj> {
  return parseYaml(await kubectlOk(['get', resource, name, '-n', ns, '-o', 'yaml'])) as Obj;
}

describe('valid manifests round-trip with upstream defaults', () => {
  test('the corpus has a manifest for every kind', () => {
    expect(new Set(valid.map((f) => f.resource)).size).toBe(15);
  });

  test('NetworkPolicy: policyTypes Ingress+Egress when egress rules exist, ports default to TCP', async () => {
    const np = await getYaml('networkpolicies', 'db-access');
    expect(np).toMatchObject({
      metadata: { generation: 1 },
      spec: { policyTypes: ['Ingress', 'Egress'], ingress: [{ ports: [{ port: 6379, protocol: 'TCP' }] }], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] },
    });
  });

  test('Ingress: status.loadBalancer is empty, generation 1', async () => {
    const ing = await getYaml('ingresses', 'web');
    expect(ing).toMatchObject({ metadata: { generation: 1 }, status: { loadBalancer: {} } });
  });

  test('IngressClass: parameters.scope defaults to Cluster', async () => {
    expect(await getYaml('ingressclasses', 'corpus-nginx')).toMatchObject({ spec: { parameters: { scope: 'Cluster' } } });
  });

  test('EndpointSlice: port name defaults to "" and protocol to TCP', async () => {
    const es = await getYaml('endpointslices', 'example-abc');
    expect(es.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }, { name: '', port: 443, protocol: 'TCP' }]);
  });

  test('PodDisruptionBudget: the disruption controller counts it (no pods: minAvailable 2 wanted, none allowed)', async () => {
    const pdb = await waitFor('zk-pdb observed', async () => {
      const o = await getYaml('pdb', 'zk-pdb');
      return (o.status as Obj | undefined)?.observedGeneration === 1 ? o : undefined;
    }, 20_000, 200);
    expect(pdb).toMatchObject({
      metadata: { generation: 1 }, status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 2, expectedPods: 0 },
    });
  });

  test('RoleBinding: roleRef and User/Group subjects get the RBAC apiGroup, service accounts ""', async () => {
    const rb = await getYaml('rolebindings', 'read-pods');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' });
    expect(rb.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'robot', namespace: 'ci' },
    ]);
  });

  test('StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate', async () => {
    expect(await getYaml('sc', 'corpus-standard')).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
  });

  test('CSIDriver: upstream spec defaults', async () => {
    expect((await getYaml('csidrivers', 'corpus.csi.example.com')).spec).toEqual({
      attachRequired: true, podInfoOnMount: true, storageCapacity: false, fsGroupPolicy: 'ReadWriteOnceWithFSType',
      requiresRepublish: false, volumeLifecycleModes: ['Persistent'],
    });
  });

  test('PriorityClass: preemptionPolicy PreemptLowerPriority', async () => {
    expect(await getYaml('pc', 'corpus-high-priority')).toMatchObject({ value: 1000000, preemptionPolicy: 'PreemptLowerPriority' });
  });

  test('the two system PriorityClasses and the default ClusterRoles exist from the start', async () => {
    const pcs = table(await kubectlOk(['get', 'pc', 'system-cluster-critical', 'system-node-critical']));
    expect(pcs.slice(1).map((r) => r.slice(0, 3))).toEqual([['system-cluster-critical', '2000000000', 'false'], ['system-node-critical', '2000001000', 'false']]);
    const roles = table(await kubectlOk(['get', 'clusterroles', 'cluster-admin', 'admin', 'edit', 'view']));
    expect(roles.slice(1).map((r) => r[0])).toEqual(['cluster-admin', 'admin', 'edit', 'view']);
    const crb = table(await kubectlOk(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide']));
    expect(crb[1]).toEqual(['cluster-admin', 'ClusterRole/cluster-admin', crb[1][2], 'system:masters']);
  });
});

describe('invalid manifests are rejected with upstream\'s message', () => {
  test('the corpus covers at least 25 cases', () => { expect(invalid.length).toBeGreaterThanOrEqual(25); });

  test.each(invalid.map((f) => [f.file, f] as const))('%s', async (_name, f) => {
    const r = await kubectl(['apply', '-n', ns, '-f', f.path]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(f.expect);
  });

  test('a RoleBinding\'s roleRef cannot change', async () => {
    const r = await kubectl(['patch', 'rolebinding', 'read-pods', '-n', ns, '--type', 'merge', '-p', '{"roleRef":{"name":"other"}}']);
    expect(r.stderr.trim()).toBe('The RoleBinding "read-pods" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef');
  });

  test('a PriorityClass\'s value cannot change', async () => {
    const r = await kubectl(['patch', 'pc', 'corpus-high-priority', '--type', 'merge', '-p', '{"value":7}']);
    expect(r.stderr.trim()).toBe('The PriorityClass "corpus-high-priority" is invalid: value: Forbidden: may not be changed in an update.');
  });

  test('only one PriorityClass may be the global default; system classes cannot be deleted', async () => {
    const pc = (name: string) => `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: ${name}\nvalue: 5\nglobalDefault: true\n`;
    expect(await kubectlOk(['create', '-f', '-'], { input: pc('corpus-default-a') })).toBe('priorityclass.scheduling.k8s.io/corpus-default-a created\n');
    const r = await kubectl(['create', '-f', '-'], { input: pc('corpus-default-b') });
    expect(r.stderr.trim()).toBe('Error from server (Forbidden): error when creating "STDIN": priorityclasses.scheduling.k8s.io "corpus-default-b" is forbidden: PriorityClass corpus-default-a is already marked as default. Only one default can exist');
    const d = await kubectl(['delete', 'pc', 'system-node-critical']);
    expect(d.stderr.trim()).toBe('Error from server (Forbidden): priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: The system priority class system-node-critical cannot be deleted');
    // A global default would give every later pod of the suite its priority.
    await kubectlOk(['delete', 'pc', 'corpus-default-a']);
  });
});

describe('kubectl get columns', () => {
  const cases: [string, string[], string[]][] = [
    ['ingresses', ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'], []],
    ['ingressclasses', ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE'], []],
    ['networkpolicies', ['NAME', 'POD-SELECTOR', 'AGE'], []],
    ['endpointslices', ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'], []],
    ['poddisruptionbudgets', ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'], []],
    ['roles', ['NAME', 'CREATED AT'], []],
    ['rolebindings', ['NAME', 'ROLE', 'AGE'], ['USERS', 'GROUPS', 'SERVICEACCOUNTS']],
    ['clusterroles', ['NAME', 'CREATED AT'], []],
    ['clusterrolebindings', ['NAME', 'ROLE', 'AGE'], ['USERS', 'GROUPS', 'SERVICEACCOUNTS']],
    ['storageclasses', ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'], []],
    ['csidrivers', ['NAME', 'ATTACHREQUIRED', 'PODINFOONMOUNT', 'STORAGECAPACITY', 'TOKENREQUESTS', 'REQUIRESREPUBLISH', 'MODES', 'AGE'], []],
    ['csinodes', ['NAME', 'DRIVERS', 'AGE'], []],
    ['volumeattachments', ['NAME', 'ATTACHER', 'PV', 'NODE', 'ATTACHED', 'AGE'], []],
    ['priorityclasses', ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'], []],
    ['runtimeclasses', ['NAME', 'HANDLER', 'AGE'], []],
  ];
  test.each(cases)('%s', async (resource, columns, wide) => {
    expect(table(await kubectlOk(['get', resource, '-n', ns]))[0]).toEqual(columns);
    expect(table(await kubectlOk(['get', resource, '-n', ns, '-o', 'wide']))[0]).toEqual([...columns, ...wide]);
  });

  const row = async (args: string[]) => table(await kubectlOk(['get', ...args, '-n', ns, '-o', 'wide']))[1];

  test('cells are formatted as upstream formats them', async () => {
    // ADDRESS is empty until a controller writes status, so the split row has no cell for it.
    expect((await row(['ing', 'web'])).slice(0, 4)).toEqual(['web', 'nginx', 'shop.example.com,*.api.example.com', '80, 443']);
    expect((await row(['ingressclass', 'corpus-nginx'])).slice(0, 3)).toEqual(['corpus-nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb']);
    expect((await row(['netpol', 'db-access'])).slice(0, 2)).toEqual(['db-access', 'role=db']);
    expect((await row(['endpointslice', 'example-abc'])).slice(0, 4)).toEqual(['example-abc', 'IPv4', '80,443', '10.1.2.3,10.1.2.4']);
    expect((await row(['pdb', 'zk-pdb'])).slice(0, 4)).toEqual(['zk-pdb', '2', 'N/A', '0']);
    const rb = await row(['rolebinding', 'read-pods']);
    expect([rb[0], rb[1], ...rb.slice(3)]).toEqual(['read-pods', 'Role/pod-reader', 'jane', 'devs', 'ci/robot']);
    expect((await row(['role', 'pod-reader']))[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await row(['sc', 'corpus-standard'])).slice(0, 5)).toEqual(['corpus-standard (default)', 'example.com/hostpath', 'Delete', 'Immediate', 'false']);
    expect((await row(['csidriver', 'corpus.csi.example.com'])).slice(0, 7)).toEqual(['corpus.csi.example.com', 'true', 'true', 'false', '<unset>', 'false', 'Persistent']);
    expect((await row(['csinode', 'corpus-node-1'])).slice(0, 2)).toEqual(['corpus-node-1', '1']);
    expect((await row(['volumeattachment', 'corpus-va-1'])).slice(0, 5)).toEqual(['corpus-va-1', 'corpus.csi.example.com', 'pv-1', 'corpus-node-1', 'false']);
    const pc = await row(['pc', 'corpus-high-priority']);
    expect([...pc.slice(0, 3), pc[4]]).toEqual(['corpus-high-priority', '1000000', 'false', 'PreemptLowerPriority']);
    expect((await row(['runtimeclass', 'corpus-gvisor'])).slice(0, 2)).toEqual(['corpus-gvisor', 'runsc']);
  });
});

describe('kubectl auth', () => {
  test('whoami prints the certificate user and groups', async () => {
    expect(await kubectlOk(['auth', 'whoami'])).toBe(
      'ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [system:masters system:authenticated]\n');
  });

  test('can-i create pods says yes', async () => {
    expect(await kubectlOk(['auth', 'can-i', 'create', 'pods'])).toBe('yes\n');
    expect(await kubectlOk(['auth', 'can-i', 'get', '/healthz'])).toBe('yes\n');
  });

  test('reviews are create-only: a get is 405', async () => {
    const r = await kubectl(['get', '--raw', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews']);
    expect(r.stderr).toContain('(MethodNotAllowed)');
  });
});

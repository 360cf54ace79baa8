// `kubectl apply --server-side` against kubets on real etcd: create by apply, managedFields as kubectl
// shows them, a conflict between managers and --force-conflicts, removal of fields a manager stopped
// applying, server dry-run, managedFields kept by other writes, and the PatchOptions errors upstream answers with.
import { createNamespace, etcdctl, kubectl, kubectlOk } from './kubectl';
import { ok, request, type Status } from '../integration/http';

interface ManagedField { manager: string; operation: string; apiVersion: string; fieldsType: string; fieldsV1: Record<string, unknown> }
interface Deployment {
  metadata: { labels?: Record<string, string>; managedFields?: ManagedField[] };
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } };
}

let ns: string;

beforeAll(async () => {
  ns = await createNamespace('e2e-ssa');
});

function manifest(opts: { replicas?: number; labels?: string; image?: string } = {}): string {
  return 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n' + (opts.labels ?? '    app: web\n    tier: front\n')
    + 'spec:\n' + (opts.replicas === undefined ? '' : `  replicas: ${opts.replicas}\n`)
    + '  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n'
    + `    spec:\n      containers:\n      - name: main\n        image: ${opts.image ?? 'busybox'}\n        command: [sleep, "3600"]\n`;
}

const apply = (manager: string, input: string, ...extra: string[]) =>
  kubectl(['apply', '--server-side', `--field-manager=${manager}`, '-n', ns, '-f', '-', ...extra], { input });

async function get(): Promise<Deployment> {
  return JSON.parse(await kubectlOk(['get', 'deployment', 'web', '-n', ns, '-o', 'json', '--show-managed-fields'])) as Deployment;
}

test('apply creates the object, records the manager\'s fields, and a second apply changes nothing', async () => {
  expect(await apply('alice', manifest({ replicas: 2 }))).toMatchObject({ code: 0, stdout: 'deployment.apps/web serverside-applied\n' });
  const d = await get();
  expect(d.spec.replicas).toBe(2);
  const alice = d.metadata.managedFields?.find((f) => f.manager === 'alice');
  expect(alice).toMatchObject({ operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
  expect(alice?.fieldsV1).toMatchObject({
    'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } },
    'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
  });
  // kubectl hides managedFields unless asked.
  expect(await kubectlOk(['get', 'deployment', 'web', '-n', ns, '-o', 'yaml'])).not.toContain('managedFields');
  // Stored in etcd with the object.
  const stored = await etcdctl(['get', `/registry/deployments/${ns}/web`, '--print-value-only']);
  expect(stored.stdout).toContain('"manager":"alice"');

  expect(await apply('alice', manifest({ replicas: 2 }))).toMatchObject({ code: 0, stdout: 'deployment.apps/web serverside-applied\n' });
});

test('another manager changing an owned field gets the upstream conflict; --force-conflicts takes it over', async () => {
  const bob = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n';
  const r = await apply('bob', bob);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('error: Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
  expect((await get()).spec.replicas).toBe(2);

  expect(await apply('bob', bob, '--force-conflicts')).toMatchObject({ code: 0, stdout: 'deployment.apps/web serverside-applied\n' });
  const d = await get();
  expect(d.spec.replicas).toBe(3);
  expect(d.metadata.managedFields?.find((f) => f.manager === 'bob')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
  expect(d.metadata.managedFields?.find((f) => f.manager === 'alice')?.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
});

test('fields a manager stops applying are removed unless another manager owns them', async () => {
  // alice drops replicas (bob owns it now) and the tier label (nobody else does).
  expect((await apply('alice', manifest({ labels: '    app: web\n', image: 'busybox:2' }))).code).toBe(0);
  const d = await get();
  expect(d.metadata.labels).toEqual({ app: 'web' });
  expect(d.spec.replicas).toBe(3);
  expect(d.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'main', image: 'busybox:2' })]);

  // bob gives replicas up: the field goes, and the Deployment's default (1) comes back.
  expect((await apply('bob', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n')).code).toBe(0);
  expect((await get()).spec.replicas).toBe(1);
});

test('--dry-run=server answers with the applied object and stores nothing', async () => {
  const out = await kubectlOk(['apply', '--server-side', '--field-manager=carol', '--dry-run=server', '-n', ns, '-f', '-', '-o', 'json'],
    { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\ndata:\n  a: "1"\n' });
  expect((JSON.parse(out) as { data: Record<string, string> }).data).toEqual({ a: '1' });
  expect((await kubectl(['get', 'configmap', 'dry', '-n', ns])).stderr).toContain('configmaps "dry" not found');
});

test('a manager left owning nothing loses its entry; a patch (kubectl label) keeps the others', async () => {
  expect((await get()).metadata.managedFields?.map((f) => f.manager)).toEqual(['alice']);
  await kubectlOk(['label', 'deployment', 'web', '-n', ns, 'extra=yes']);
  const d = await get();
  expect(d.metadata.labels).toMatchObject({ extra: 'yes' });
  expect(d.metadata.managedFields?.map((f) => f.manager)).toEqual(['alice']);
});

test('a PUT without managedFields keeps the stored ones; one with an empty list clears them', async () => {
  const path = `/apis/apps/v1/namespaces/${ns}/deployments/web`;
  const cur = await ok<Deployment & { metadata: { resourceVersion: string } }>('GET', path);
  const { managedFields: _kept, ...meta } = cur.metadata;
  const put = await ok<Deployment>('PUT', path, { body: { ...cur, metadata: meta } });
  expect(put.metadata.managedFields?.map((f) => f.manager)).toEqual(['alice']);
  const cleared = await ok<Deployment>('PUT', path, { body: { ...put, metadata: { ...put.metadata, managedFields: [] } } });
  expect(cleared.metadata.managedFields).toBeUndefined();
});

test('an apply on the status subresource applies status only, under its own entry', async () => {
  await kubectlOk(['create', 'service', 'clusterip', 'lb', '--tcp=80:80', '-n', ns]);
  const path = `/api/v1/namespaces/${ns}/services/lb/status?fieldManager=lb-controller`;
  const status = (ips: string[]) => 'apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\n  labels:\n    ignored: "yes"\nspec:\n  type: NodePort\n'
    + `status:\n  loadBalancer:\n    ingress:\n${ips.map((ip) => `    - ip: ${ip}\n`).join('')}`;
  const r = await request('PATCH', path, { contentType: 'application/apply-patch+yaml', body: status(['192.0.2.10', '192.0.2.11']) });
  expect(r.status).toBe(200);
  type Svc = { metadata: { labels?: Record<string, string>; managedFields?: (ManagedField & { subresource?: string })[] }; spec: { type: string }; status: { loadBalancer: { ingress?: { ip: string }[] } } };
  const svc = await ok<Svc>('GET', `/api/v1/namespaces/${ns}/services/lb`);
  expect(svc.status.loadBalancer.ingress).toEqual([{ ip: '192.0.2.10' }, { ip: '192.0.2.11' }]);
  // The body's spec and labels say nothing through status.
  expect(svc.spec.type).toBe('ClusterIP');
  expect(svc.metadata.labels?.ignored).toBeUndefined();
  expect(svc.metadata.managedFields?.find((f) => f.manager === 'lb-controller')).toMatchObject({
    operation: 'Apply', subresource: 'status', fieldsV1: { 'f:status': { 'f:loadBalancer': { 'f:ingress': {} } } },
  });

  // Applying one address fewer leaves just the other: the ingress list is atomic and the manager owns it.
  const viaKubectl = await kubectl(['apply', '--server-side', '--subresource=status', '--field-manager=lb-controller', '-n', ns, '-f', '-'], { input: status(['192.0.2.11']) });
  expect(viaKubectl).toMatchObject({ code: 0, stdout: 'service/lb serverside-applied\n' });
  expect((await ok<Svc>('GET', `/api/v1/namespaces/${ns}/services/lb`)).status.loadBalancer.ingress).toEqual([{ ip: '192.0.2.11' }]);

  const missing = await request('PATCH', `/api/v1/namespaces/${ns}/services/nope/status?fieldManager=lb-controller`,
    { contentType: 'application/apply-patch+yaml', body: status(['192.0.2.12']).replace('name: lb', 'name: nope') });
  expect(missing.status).toBe(404);
});

describe('PatchOptions errors', () => {
  const path = () => `/apis/apps/v1/namespaces/${ns}/deployments/web`;
  const send = (query: string, contentType: string, body: string) => request('PATCH', `${path()}${query}`, { contentType, body });

  test('an apply without fieldManager is 422 Invalid', async () => {
    const r = await send('', 'application/apply-patch+yaml', manifest());
    expect(r.status).toBe(422);
    expect(JSON.parse(r.body) as Status).toMatchObject({
      reason: 'Invalid', message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', field: 'fieldManager' }] },
    });
  });

  test('force on a non-apply patch is 422; an apply of another version is 400', async () => {
    const forced = await send('?force=true', 'application/merge-patch+json', '{}');
    expect(forced.status).toBe(422);
    expect((JSON.parse(forced.body) as Status).message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    const wrong = await send('?fieldManager=x', 'application/apply-patch+yaml', manifest().replace('apps/v1', 'apps/v1beta1'));
    expect(wrong.status).toBe(400);
    expect((JSON.parse(wrong.body) as Status).message).toBe('Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1');
  });
});

// Request handling over raw HTTPS: malformed and oversized bodies, dry runs, optimistic concurrency,
// finalizers, pod field selectors, aggregated discovery and server-side Table output, as upstream answers them.
import { etcdKeys } from '../e2e/kubectl';
import {
  configMapBody, createNamespace, json, ok, podBody, request, type KubeObject, type List, type Status,
} from './http';

let ns: string;
beforeAll(async () => { ns = await createNamespace('it-requests'); });

const cms = () => `/api/v1/namespaces/${ns}/configmaps`;
const pods = () => `/api/v1/namespaces/${ns}/pods`;

describe('request bodies', () => {
  test('malformed JSON is a 400 BadRequest Status and stores nothing', async () => {
    const r = await request('POST', cms(), { body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"broken"' });
    expect(r.status).toBe(400);
    const s = json<Status>(r);
    expect(s).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400 });
    expect(s.message).toBeTruthy();
    expect(await etcdKeys(`/registry/configmaps/${ns}/broken`)).toEqual([]);
  });

  test('a body over 3 MiB is 413 RequestEntityTooLarge', async () => {
    const big = configMapBody('too-big', { blob: 'x'.repeat(3 * 1024 * 1024 + 1024) });
    const r = await request('POST', cms(), { body: big });
    expect(r.status).toBe(413);
    expect(json<Status>(r)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'RequestEntityTooLarge', code: 413 });
    expect(json<Status>(r).message).toContain('limit is 3145728');
    expect((await request('GET', `${cms()}/too-big`)).status).toBe(404);
  });

  test('a ConfigMap holding exactly 1 MiB of data (upstream counts values only) is accepted', async () => {
    // Well within the 3 MiB request limit; ValidateConfigMap rejects only totals *over* 1048576 value bytes.
    const r = await request('POST', cms(), { body: configMapBody('one-mib', { blob: 'y'.repeat(1024 * 1024) }) });
    expect(r.status).toBe(201);
    expect(json<KubeObject & { data: { blob: string } }>(r).data.blob).toHaveLength(1024 * 1024);
    const over = await request('POST', cms(), { body: configMapBody('one-mib-and-one', { blob: 'y'.repeat(1024 * 1024 + 1) }) });
    expect(over.status).toBe(422);
    expect(json<Status>(over)).toMatchObject({ reason: 'Invalid', code: 422 });
  });
});

describe('dryRun=All', () => {
  test('create answers with the would-be object but persists nothing', async () => {
    const r = await request('POST', `${cms()}?dryRun=All`, { body: configMapBody('dry', { k: 'v' }) });
    expect(r.status).toBe(201);
    const obj = json<KubeObject>(r);
    expect(obj.metadata).toMatchObject({ name: 'dry', namespace: ns });
    expect(obj.metadata.uid).toBeTruthy();
    expect(obj.metadata.creationTimestamp).toBeTruthy();
    expect((await request('GET', `${cms()}/dry`)).status).toBe(404);
    expect(await etcdKeys(`/registry/configmaps/${ns}/dry`)).toEqual([]);
  });

  test('delete answers as if deleted but the object stays', async () => {
    await ok('POST', cms(), { body: configMapBody('dry-delete', { k: 'v' }) }, 201);
    const r = await request('DELETE', `${cms()}/dry-delete?dryRun=All`);
    expect(r.status).toBe(200);
    expect((await request('GET', `${cms()}/dry-delete`)).status).toBe(200);
    expect(await etcdKeys(`/registry/configmaps/${ns}/dry-delete`)).toEqual([`/registry/configmaps/${ns}/dry-delete`]);
  });

  test('an unknown dryRun value is 422 Invalid CreateOptions', async () => {
    const r = await request('POST', `${cms()}?dryRun=Maybe`, { body: configMapBody('dry-bad') });
    expect(r.status).toBe(422);
    const s = json<Status>(r);
    expect(s.reason).toBe('Invalid');
    expect(s.message).toContain('dryRun: Unsupported value');
    expect((await request('GET', `${cms()}/dry-bad`)).status).toBe(404);
  });
});

describe('optimistic concurrency', () => {
  async function racingPuts(name: string, writers: number): Promise<{ statuses: number[]; bodies: string[]; rv: string }> {
    const created = await ok<KubeObject>('POST', cms(), { body: configMapBody(name, { writer: 'none' }) }, 201);
    const rv = created.metadata.resourceVersion;
    expect(rv).toMatch(/^\d+$/);
    const results = await Promise.all(Array.from({ length: writers }, (_, i) => request('PUT', `${cms()}/${name}`, {
      body: configMapBody(name, { writer: String(i) }, { resourceVersion: rv }),
    })));
    return { statuses: results.map((r) => r.status), bodies: results.map((r) => r.body), rv: rv ?? '' };
  }

  test('two PUTs with the same resourceVersion: exactly one wins, the other is 409 Conflict', async () => {
    const { statuses, bodies, rv } = await racingPuts('occ-two', 2);
    expect([...statuses].sort()).toEqual([200, 409]);
    const loser = JSON.parse(bodies[statuses.indexOf(409)]) as Status;
    expect(loser).toMatchObject({
      kind: 'Status', status: 'Failure', reason: 'Conflict', code: 409,
      message: 'Operation cannot be fulfilled on configmaps "occ-two": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'occ-two', kind: 'configmaps' },
    });
    const winner = JSON.parse(bodies[statuses.indexOf(200)]) as KubeObject & { data: { writer: string } };
    const stored = await ok<KubeObject & { data: { writer: string } }>('GET', `${cms()}/occ-two`);
    expect(stored.data.writer).toBe(winner.data.writer);
    expect(stored.metadata.resourceVersion).toBe(winner.metadata.resourceVersion);
    expect(Number(stored.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
  });

  test('five racing PUTs: one 200 and four 409s', async () => {
    const { statuses } = await racingPuts('occ-five', 5);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
  });

  test('a PUT without a resourceVersion is an unconditional update', async () => {
    await ok('POST', cms(), { body: configMapBody('occ-none', { v: '1' }) }, 201);
    const r = await request('PUT', `${cms()}/occ-none`, { body: configMapBody('occ-none', { v: '2' }) });
    expect(r.status).toBe(200);
    expect(json<KubeObject & { data: { v: string } }>(r).data.v).toBe('2');
  });
});

describe('admission lookups', () => {
  test('a pod created right after its PriorityClass (same apiserver) gets that class\'s priority', async () => {
    // Admission reads classes from the watch cache, which must already hold this apiserver's own writes.
    const own = await createNamespace('it-admission');
    const pc = `it-requests-${Math.random().toString(36).slice(2, 8)}`;
    await ok('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { body: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc }, value: 4242 } }, 201);
    try {
      const body = podBody('prioritized');
      (body.spec as Record<string, unknown>).priorityClassName = pc;
      const pod = await ok<KubeObject>('POST', `/api/v1/namespaces/${own}/pods`, { body }, 201);
      expect(pod.spec).toMatchObject({ priorityClassName: pc, priority: 4242, preemptionPolicy: 'PreemptLowerPriority' });
    } finally {
      await ok('DELETE', `/apis/scheduling.k8s.io/v1/priorityclasses/${pc}`);
    }
  });
});

describe('finalizers', () => {
  test('delete sets deletionTimestamp and keeps the object until the last finalizer is removed', async () => {
    await ok('POST', cms(), { body: configMapBody('final', { k: 'v' }, { finalizers: ['example.com/keep'] }) }, 201);
    const del = await request('DELETE', `${cms()}/final`);
    expect(del.status).toBe(200);
    const answered = json<KubeObject>(del);
    expect(answered.kind).toBe('ConfigMap');
    expect(answered.metadata.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const held = await ok<KubeObject & { metadata: { deletionGracePeriodSeconds?: number } }>('GET', `${cms()}/final`);
    expect(held.metadata.deletionTimestamp).toBe(answered.metadata.deletionTimestamp);
    expect(held.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(held.metadata.finalizers).toEqual(['example.com/keep']);
    expect(await etcdKeys(`/registry/configmaps/${ns}/final`)).toHaveLength(1);

    // A second delete changes nothing; new finalizers may not be added while deleting.
    expect((await request('DELETE', `${cms()}/final`)).status).toBe(200);
    const add = await request('PATCH', `${cms()}/final`, {
      body: { metadata: { finalizers: ['example.com/keep', 'example.com/another'] } }, contentType: 'application/merge-patch+json',
    });
    expect(add.status).toBe(422);
    expect(json<Status>(add).message).toContain('no new finalizers can be added if the object is being deleted');

    const removed = await request('PATCH', `${cms()}/final`, { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
    expect(removed.status).toBe(200);
    const gone = await request('GET', `${cms()}/final`);
    expect(gone.status).toBe(404);
    expect(json<Status>(gone)).toMatchObject({ reason: 'NotFound', message: 'configmaps "final" not found', details: { name: 'final', kind: 'configmaps' } });
    expect(await etcdKeys(`/registry/configmaps/${ns}/final`)).toEqual([]);
  });
});

describe('field selectors on pods', () => {
  beforeAll(async () => {
    await ok('POST', pods(), { body: podBody('bound', { nodeName: 'node-a' }) }, 201);
    await ok('POST', pods(), { body: podBody('unbound') }, 201);
  });

  const names = async (selector: string) => (await ok<List>('GET', `${pods()}?fieldSelector=${encodeURIComponent(selector)}`)).items.map((p) => p.metadata.name);

  test('spec.nodeName= selects the unscheduled pods, spec.nodeName=<node> the bound ones', async () => {
    expect(await names('spec.nodeName=')).toEqual(['unbound']);
    expect(await names('spec.nodeName=node-a')).toEqual(['bound']);
    expect(await names('spec.nodeName!=')).toEqual(['bound']);
    expect(await names('spec.nodeName=node-b')).toEqual([]);
    expect(await names('metadata.name=unbound,spec.nodeName=')).toEqual(['unbound']);
  });

  test('also across namespaces, as the scheduler and kubelets ask', async () => {
    const all = await ok<List>('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=node-a')}`);
    expect(all.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([`${ns}/bound`]);
  });

  test('an unsupported field label is a 400', async () => {
    const r = await request('GET', `${pods()}?fieldSelector=spec.foo%3Dbar`);
    expect(r.status).toBe(400);
    expect(json<Status>(r)).toMatchObject({ reason: 'BadRequest', message: 'field label not supported: spec.foo' });
  });
});

describe('bindings', () => {
  const binding = (pod: string, node: string) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name: pod }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
  type Pod = KubeObject & { spec: { nodeName?: string }; status?: { conditions?: { type: string; status: string }[] } };

  test('POST pods/<name>/binding and POST bindings both assign the pod, with its PodScheduled condition', async () => {
    for (const [pod, path] of [['via-sub', `${pods()}/via-sub/binding`], ['via-bindings', `/api/v1/namespaces/${ns}/bindings`]]) {
      await ok('POST', pods(), { body: podBody(pod) }, 201);
      const r = await request('POST', path, { body: JSON.stringify(binding(pod, 'node-x')) });
      expect(r.status).toBe(201);
      expect(json<Status>(r)).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
      const got = await ok<Pod>('GET', `${pods()}/${pod}`);
      expect(got.spec.nodeName).toBe('node-x');
      expect(got.status?.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]));
    }
  });

  test('binding a bound pod is 409 Conflict; binding a missing pod is 404; bindings cannot be listed', async () => {
    await ok('POST', pods(), { body: podBody('twice') }, 201);
    const path = `/api/v1/namespaces/${ns}/bindings`;
    await ok('POST', path, { body: JSON.stringify(binding('twice', 'node-x')) }, 201);
    const again = await request('POST', path, { body: JSON.stringify(binding('twice', 'node-y')) });
    expect(again.status).toBe(409);
    expect(json<Status>(again)).toMatchObject({ reason: 'Conflict', message: 'Operation cannot be fulfilled on pods "twice": pod twice is already assigned to node "node-x"' });
    expect((await ok<Pod>('GET', `${pods()}/twice`)).spec.nodeName).toBe('node-x');
    const missing = await request('POST', path, { body: JSON.stringify(binding('no-such-pod', 'node-x')) });
    expect(missing.status).toBe(404);
    expect(json<Status>(missing)).toMatchObject({ reason: 'NotFound', message: 'pods "no-such-pod" not found' });
    expect((await request('GET', path)).status).toBe(405);
  });
});

describe('status writes and metadata', () => {
  type Pod = KubeObject & { spec: { containers: { image: string }[] }; status?: { message?: string } };

  test('a status write keeps label, annotation and finalizer changes but never spec or owner references, as upstream', async () => {
    const created = await ok<Pod>('POST', pods(), { body: podBody('status-meta', { labels: { a: '1' } }) }, 201);
    const sent = JSON.parse(JSON.stringify(created)) as Pod;
    sent.metadata.labels = { a: '2', b: 'new' };
    sent.metadata.annotations = { note: 'from status' };
    sent.metadata.finalizers = ['example.com/keep'];
    sent.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '7b1c2d3e-0000-4000-8000-000000000001' }];
    sent.spec.containers[0].image = 'changed:1';
    sent.status = { ...sent.status, message: 'written via status' };
    const written = await ok<Pod>('PUT', `${pods()}/status-meta/status`, { body: JSON.stringify(sent) });
    const got = await ok<Pod>('GET', `${pods()}/status-meta`);
    for (const p of [written, got]) {
      expect(p.metadata.labels).toEqual({ a: '2', b: 'new' });
      expect(p.metadata.annotations).toEqual({ note: 'from status' });
      expect(p.metadata.finalizers).toEqual(['example.com/keep']);
      expect(p.metadata.ownerReferences).toBeUndefined();
      expect(p.spec.containers[0].image).toBe('nginx:1.27');
      expect(p.status?.message).toBe('written via status');
    }
    await ok('PATCH', `${pods()}/status-meta`, { body: JSON.stringify({ metadata: { finalizers: null } }), contentType: 'application/merge-patch+json' });
  });

  test('a Deployment status write keeps annotation changes but not label changes, as upstream\'s Deployment status strategy', async () => {
    const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;
    const body = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'status-meta', labels: { a: '1' } },
      spec: { replicas: 0, selector: { matchLabels: { app: 'status-meta' } },
        template: { metadata: { labels: { app: 'status-meta' } }, spec: { schedulerName: 'nobody', containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
    };
    const created = await ok<KubeObject>('POST', deployments, { body: JSON.stringify(body) }, 201);
    // No resourceVersion: the deployment controller writes this status too, and an unconditional write cannot lose that race.
    const sent = { ...created, metadata: { ...created.metadata, resourceVersion: undefined, labels: { a: '2' }, annotations: { note: 'from status' } } };
    await ok('PUT', `${deployments}/status-meta/status`, { body: JSON.stringify(sent) });
    const got = await ok<KubeObject>('GET', `${deployments}/status-meta`);
    expect(got.metadata.labels).toEqual({ a: '1' });
    expect(got.metadata.annotations).toEqual(expect.objectContaining({ note: 'from status' }));
  });
});

interface DiscoveryResource {
  resource: string; scope: string; singularResource?: string; verbs: string[]; shortNames?: string[];
  responseKind: { group: string; version: string; kind: string };
  subresources?: { subresource: string; responseKind?: { group: string; version: string; kind: string }; verbs: string[] }[];
}
interface DiscoveryList {
  kind: string; apiVersion: string;
  items: { metadata: { name?: string }; versions: { version: string; resources: DiscoveryResource[]; freshness?: string }[] }[];
}

describe('aggregated discovery', () => {
  const ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

  test('/apis answers an apidiscovery.k8s.io/v2 APIGroupDiscoveryList with that content type', async () => {
    const r = await request('GET', '/apis', { headers: { Accept: `${ACCEPT},application/json;q=0.9` } });
    expect(r.status).toBe(200);
    const ct = String(r.headers['content-type']);
    expect(ct).toContain('as=APIGroupDiscoveryList');
    expect(ct).toContain('g=apidiscovery.k8s.io');
    expect(ct).toContain('v=v2');
    const d = json<DiscoveryList>(r);
    expect(d).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    const apps = d.items.find((g) => g.metadata.name === 'apps');
    expect(apps?.versions[0].version).toBe('v1');
    const deployments = apps?.versions[0].resources.find((x) => x.resource === 'deployments');
    expect(deployments).toMatchObject({ resource: 'deployments', scope: 'Namespaced', singularResource: 'deployment', shortNames: ['deploy'] });
    expect([...(deployments?.verbs ?? [])].sort()).toEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    const scale = deployments?.subresources?.find((s) => s.subresource === 'scale');
    expect(scale?.responseKind).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    // A resource's own kind is reported with empty group and version (they are the enclosing ones), as upstream
    // converts it from the legacy APIResource, whose group/version are only set when they differ.
    expect(deployments?.responseKind).toEqual({ group: '', version: '', kind: 'Deployment' });
  });

  test('/api answers the core group as one APIGroupDiscovery with pods and their subresources', async () => {
    const r = await request('GET', '/api', { headers: { Accept: ACCEPT } });
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type'])).toContain('as=APIGroupDiscoveryList');
    const d = json<DiscoveryList>(r);
    expect(d.kind).toBe('APIGroupDiscoveryList');
    expect(d.items).toHaveLength(1);
    const v1 = d.items[0].versions.find((v) => v.version === 'v1');
    const pod = v1?.resources.find((x) => x.resource === 'pods');
    expect(pod).toMatchObject({ scope: 'Namespaced', singularResource: 'pod', shortNames: ['po'] });
    expect(pod?.subresources?.map((s) => s.subresource)).toEqual(expect.arrayContaining(['status', 'binding', 'eviction', 'log']));
    expect(v1?.resources.find((x) => x.resource === 'namespaces')?.scope).toBe('Cluster');
    expect(pod?.responseKind).toEqual({ group: '', version: '', kind: 'Pod' });
  });

  test('plain application/json still gets the legacy documents', async () => {
    expect(await ok<{ kind: string }>('GET', '/api')).toMatchObject({ kind: 'APIVersions' });
    expect(await ok<{ kind: string }>('GET', '/apis')).toMatchObject({ kind: 'APIGroupList' });
  });
});

interface Table {
  kind: string; apiVersion: string; metadata: { resourceVersion?: string };
  columnDefinitions: { name: string; type: string; format: string; description: string; priority: number }[];
  rows: { cells: unknown[]; object?: KubeObject }[];
}

describe('server-side Table output', () => {
  const ACCEPT = 'application/json;as=Table;g=meta.k8s.io;v=v1';

  test('a pod list as a meta.k8s.io/v1 Table with upstream\'s columns and PartialObjectMetadata rows', async () => {
    const r = await request('GET', pods(), { headers: { Accept: `${ACCEPT},application/json` } });
    expect(r.status).toBe(200);
    const t = json<Table>(r);
    expect(t).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(t.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(t.columnDefinitions[0]).toMatchObject({ name: 'Name', type: 'string', format: 'name', priority: 0 });
    expect(t.columnDefinitions[0].description).toMatch(/^Name must be unique within a namespace/);
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(t.columnDefinitions.map((c) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]);
    const bound = t.rows.find((row) => row.cells[0] === 'bound');
    // Restarts is a string column upstream ("3 (5m ago)" once containers restart).
    expect(bound?.cells.slice(1, 4)).toEqual(['0/1', 'Pending', '0']);
    expect(bound?.cells[5]).toBe('<none>');
    expect(bound?.cells[6]).toBe('node-a');
    expect(t.rows.find((row) => row.cells[0] === 'unbound')?.cells[6]).toBe('<none>');
    expect(bound?.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'bound', namespace: ns } });

    // Upstream's column descriptions are the API types' own field docs (SwaggerDoc), i.e. the served OpenAPI's.
    const openapi = await ok<{ definitions: Record<string, { properties: Record<string, { description?: string }> }> }>('GET', '/openapi/v2');
    const doc = (def: string, field: string) => openapi.definitions[def]?.properties[field]?.description;
    const described = Object.fromEntries(t.columnDefinitions.map((c) => [c.name, c.description]));
    expect(described).toEqual({
      Name: doc('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'name'),
      Ready: 'The aggregate readiness state of this pod for accepting traffic.',
      Status: 'The aggregate status of the containers in this pod.',
      Restarts: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      Age: doc('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'creationTimestamp'),
      IP: doc('io.k8s.api.core.v1.PodStatus', 'podIP'),
      Node: doc('io.k8s.api.core.v1.PodSpec', 'nodeName'),
      'Nominated Node': doc('io.k8s.api.core.v1.PodStatus', 'nominatedNodeName'),
      'Readiness Gates': doc('io.k8s.api.core.v1.PodSpec', 'readinessGates'),
    });
    expect(described.Name).toContain('Is required when creating resources');

    // Last, as it is the least informative failure: the response names its media type.
    expect(String(r.headers['content-type'])).toContain('as=Table');
  });

  test('includeObject=None drops the objects; includeObject=Object embeds the full pod', async () => {
    const none = await ok<Table>('GET', `${pods()}?includeObject=None`, { headers: { Accept: ACCEPT } });
    expect(none.rows.length).toBeGreaterThan(0);
    for (const row of none.rows) expect(row.object).toBeUndefined();
    const full = await ok<Table>('GET', `${pods()}/bound?includeObject=Object`, { headers: { Accept: ACCEPT } });
    expect(full.rows).toHaveLength(1);
    expect(full.rows[0].object).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'bound' }, spec: { nodeName: 'node-a' } });
  });
});

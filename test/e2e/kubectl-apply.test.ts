// kubectl create/apply/replace from YAML files against kubets: three-way apply with the last-applied
// annotation, strict field validation, stale-resourceVersion conflicts, upstream's error texts, and etcd's keys.
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createNamespace, dataDir, etcdKeys, fixture, kubectl, kubectlOk } from './kubectl';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

interface Deployment {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string };
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } };
}

let ns: string;
let scratch: string;

beforeAll(async () => {
  ns = await createNamespace('e2e-apply');
  scratch = mkdtempSync(path.join(dataDir(), 'apply-'));
});

async function getJson<T>(...args: string[]): Promise<T> {
  return JSON.parse(await kubectlOk(['get', ...args, '-n', ns, '-o', 'json'])) as T;
}

describe('kubectl create -f', () => {
  test('creates a pod from a YAML file, stores it under /registry/pods/<ns>/, and refuses a second create', async () => {
    const file = fixture('pod-create.yaml');
    const r = await kubectl(['create', '-f', file, '-n', ns]);
    expect(r).toMatchObject({ code: 0, stdout: 'pod/created-pod created\n' });

    const pod = await getJson<{ metadata: { namespace: string; uid: string; labels: Record<string, string> }; status: { phase: string } }>('pod', 'created-pod');
    expect(pod.metadata.namespace).toBe(ns);
    expect(pod.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(pod.metadata.labels).toEqual({ app: 'created' });
    expect(pod.status.phase).toBe('Pending');

    expect(await etcdKeys(`/registry/pods/${ns}/`)).toContain(`/registry/pods/${ns}/created-pod`);

    const again = await kubectl(['create', '-f', file, '-n', ns]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`Error from server (AlreadyExists): error when creating "${file}": pods "created-pod" already exists`);
  });
});

describe('kubectl apply -f', () => {
  test('creates, is unchanged on a repeat, configures on a change, and merges three ways', async () => {
    const v1 = fixture('deploy-v1.yaml');
    const v2 = fixture('deploy-v2.yaml');

    expect(await kubectl(['apply', '-f', v1, '-n', ns])).toMatchObject({ code: 0, stdout: 'deployment.apps/web created\n' });
    let d = await getJson<Deployment>('deployment', 'web');
    expect(d.spec.replicas).toBe(1);
    const applied1 = JSON.parse(d.metadata.annotations?.[LAST_APPLIED] ?? '{}') as Deployment & { metadata: { name: string } };
    expect(applied1.metadata.name).toBe('web');
    expect(applied1.spec.replicas).toBe(1);
    expect(applied1.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect(await etcdKeys(`/registry/deployments/${ns}/`)).toContain(`/registry/deployments/${ns}/web`);

    expect(await kubectl(['apply', '-f', v1, '-n', ns])).toMatchObject({ code: 0, stdout: 'deployment.apps/web unchanged\n' });

    // A change made outside the file: apply's three-way merge must leave it alone.
    expect(await kubectlOk(['label', 'deployment', 'web', 'outside=kept', '-n', ns])).toBe('deployment.apps/web labeled\n');

    expect(await kubectl(['apply', '-f', v2, '-n', ns])).toMatchObject({ code: 0, stdout: 'deployment.apps/web configured\n' });
    d = await getJson<Deployment>('deployment', 'web');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers).toHaveLength(1);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.27' });
    expect(d.metadata.labels).toEqual({ app: 'web', revision: 'two', outside: 'kept' });
    const applied2 = JSON.parse(d.metadata.annotations?.[LAST_APPLIED] ?? '{}') as Deployment;
    expect(applied2.spec.replicas).toBe(2);
    expect(applied2.metadata.labels).toEqual({ app: 'web', revision: 'two' });

    // Back to v1: the label only the old config had goes, the out-of-band one stays.
    expect(await kubectl(['apply', '-f', v1, '-n', ns])).toMatchObject({ code: 0, stdout: 'deployment.apps/web configured\n' });
    d = await getJson<Deployment>('deployment', 'web');
    expect(d.metadata.labels).toEqual({ app: 'web', outside: 'kept' });
    expect(d.spec.replicas).toBe(1);
    expect(d.metadata.annotations?.[LAST_APPLIED]).toBeDefined();
  });

  test('--validate=strict rejects an unknown field with the server\'s strict decoding error and stores nothing', async () => {
    const file = fixture('pod-unknown-field.yaml');
    const r = await kubectl(['apply', '--validate=strict', '-f', file, '-n', ns]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('strict decoding error: unknown field "spec.foo"');
    const get = await kubectl(['get', 'pod', 'strict-pod', '-n', ns]);
    expect(get.stderr).toContain('Error from server (NotFound): pods "strict-pod" not found');
    expect(await etcdKeys(`/registry/pods/${ns}/strict-pod`)).toEqual([]);
  });

  test('--validate=warn creates the object, drops the unknown field and prints the server\'s warning', async () => {
    const file = fixture('pod-unknown-field.yaml');
    const r = await kubectl(['apply', '--validate=warn', '-f', file, '-n', ns]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('pod/strict-pod created\n');
    expect(r.stderr).toContain('Warning: unknown field "spec.foo"');
    const pod = await getJson<{ spec: Record<string, unknown> }>('pod', 'strict-pod');
    expect(pod.spec).not.toHaveProperty('foo');
  });
});

describe('kubectl replace -f', () => {
  test('replaces with a fresh resourceVersion and fails with Conflict on a stale one', async () => {
    const out = await kubectlOk(['create', '-f', '-', '-n', ns, '-o', 'name'], {
      input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: replaced\nspec:\n  schedulerName: kubets-test-none\n  containers:\n  - name: c\n    image: nginx:1.27\n',
    });
    expect(out).toBe('pod/replaced\n');
    const staleYaml = await kubectlOk(['get', 'pod', 'replaced', '-n', ns, '-o', 'yaml']);
    expect(staleYaml).toMatch(/^ {2}resourceVersion: "\d+"$/m);

    const fresh = path.join(scratch, 'fresh.yaml');
    writeFileSync(fresh, staleYaml.replace(/^ {2}name: replaced$/m, '  labels:\n    replaced: "yes"\n  name: replaced'));
    expect(await kubectl(['replace', '-f', fresh])).toMatchObject({ code: 0, stdout: 'pod/replaced replaced\n' });
    const after = await getJson<{ metadata: { labels?: Record<string, string> } }>('pod', 'replaced');
    expect(after.metadata.labels).toEqual({ replaced: 'yes' });

    // staleYaml still carries the resourceVersion from before the replace above.
    const stale = path.join(scratch, 'stale.yaml');
    writeFileSync(stale, staleYaml.replace(/^ {2}name: replaced$/m, '  labels:\n    stale: "yes"\n  name: replaced'));
    const r = await kubectl(['replace', '-f', stale]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`Error from server (Conflict): error when replacing "${stale}": Operation cannot be fulfilled on pods "replaced": `
      + 'the object has been modified; please apply your changes to the latest version and try again');
    const final = await getJson<{ metadata: { labels?: Record<string, string> } }>('pod', 'replaced');
    expect(final.metadata.labels).toEqual({ replaced: 'yes' });
  });
});

describe('errors as upstream prints them', () => {
  test('get of a missing pod', async () => {
    const r = await kubectl(['get', 'pod', 'nope', '-n', ns]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
  });

  test('an invalid pod names the field and the rule', async () => {
    const r = await kubectl(['create', '-f', fixture('pod-invalid.yaml'), '-n', ns]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Pod "bad" is invalid: spec.containers[0].image: Required value');
    expect(await etcdKeys(`/registry/pods/${ns}/bad`)).toEqual([]);
  });

  test('creating in a namespace that does not exist', async () => {
    const missing = `${ns}-missing`;
    const file = fixture('pod-create.yaml');
    const r = await kubectl(['create', '-f', file, '-n', missing]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`Error from server (NotFound): error when creating "${file}": namespaces "${missing}" not found`);
    expect(await etcdKeys(`/registry/pods/${missing}/`)).toEqual([]);
  });

  test('an unknown resource type', async () => {
    const r = await kubectl(['get', 'nosuchthings', '-n', ns]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: the server doesn\'t have a resource type "nosuchthings"');
  });
});

describe('typed-client commands (kubectl sends their bodies as protobuf)', () => {
  test('kubectl create namespace', async () => {
    const name = `${ns}-typed`;
    const r = await kubectl(['create', 'namespace', name]);
    expect(r).toMatchObject({ code: 0, stdout: `namespace/${name} created\n`, stderr: '' });
    expect(await kubectlOk(['get', 'namespace', name, '-o', 'jsonpath={.status.phase}'])).toBe('Active');
  });

  test('kubectl create deployment', async () => {
    expect(await kubectl(['create', 'deployment', 'typed', '--image=nginx:1.27', '--replicas=2', '-n', ns]))
      .toMatchObject({ code: 0, stdout: 'deployment.apps/typed created\n' });
    const d = await getJson<Deployment>('deployment', 'typed');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.27' });
  });

  test('kubectl create configmap', async () => {
    expect(await kubectl(['create', 'configmap', 'typed', '--from-literal=k=v', '-n', ns]))
      .toMatchObject({ code: 0, stdout: 'configmap/typed created\n' });
    expect(await kubectlOk(['get', 'configmap', 'typed', '-n', ns, '-o', 'jsonpath={.data.k}'])).toBe('v');
  });
});

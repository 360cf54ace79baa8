// CustomResourceDefinitions with stock kubectl, on the CronTab example of the Kubernetes docs:
// create and wait for Established, discovery, schema validation (422), defaults and pruning, printer
// columns, explain, the status and scale subresources, and deletion taking every object with it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { probeFreePorts } from '../../src/cmd/cluster-layout';
import { ensureClusterPki } from '../../src/pki/cluster-pki';
import { Background, createNamespace, dataDir, etcdctl, etcdEndpoints, etcdKeys, fixture, kubectl, kubectlOk, table, waitFor } from './kubectl';

const CRD = 'crontabs.stable.example.com';
let ns: string;

async function createCrd(): Promise<void> {
  expect(await kubectlOk(['create', '-f', fixture('crd/crontab-crd.yaml')])).toBe(`customresourcedefinition.apiextensions.k8s.io/${CRD} created\n`);
  expect(await kubectlOk(['wait', '--for=condition=Established', `crd/${CRD}`, '--timeout=20s']))
    .toBe(`customresourcedefinition.apiextensions.k8s.io/${CRD} condition met\n`);
}

async function apiResourceRows(): Promise<string[][]> {
  return table(await kubectlOk(['api-resources', '--api-group=stable.example.com']));
}

beforeAll(async () => {
  ns = await createNamespace('e2e-crd');
  await createCrd();
});

afterAll(async () => {
  await kubectl(['delete', 'crd', CRD, '--ignore-not-found']);
});

describe('a CustomResourceDefinition', () => {
  test('reports NamesAccepted, Established, acceptedNames and storedVersions', async () => {
    const crd = parseYaml(await kubectlOk(['get', 'crd', CRD, '-o', 'yaml'])) as {
      spec: { conversion: unknown; names: Record<string, unknown> };
      status: { acceptedNames: Record<string, unknown>; storedVersions: string[]; conditions: { type: string; status: string; reason: string }[] };
    };
    expect(crd.spec.conversion).toEqual({ strategy: 'None' });
    expect(crd.spec.names.listKind).toBe('CronTabList');
    expect(crd.status.acceptedNames).toEqual({ kind: 'CronTab', listKind: 'CronTabList', plural: 'crontabs', singular: 'crontab', shortNames: ['ct'] });
    expect(crd.status.storedVersions).toEqual(['v1']);
    expect(crd.status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['NamesAccepted', 'True', 'NoConflicts'], ['Established', 'True', 'InitialNamesAccepted'],
    ]);
    const rows = table(await kubectlOk(['get', 'crd', CRD]));
    expect(rows[0]).toEqual(['NAME', 'CREATED AT']);
    expect(rows[1][0]).toBe(CRD);
    expect(rows[1][1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('kubectl api-resources lists it with its short name', async () => {
    expect((await apiResourceRows()).slice(1)).toEqual([['crontabs', 'ct', 'stable.example.com/v1', 'true', 'CronTab']]);
    const crdRow = table(await kubectlOk(['api-resources', '--api-group=apiextensions.k8s.io'])).slice(1);
    expect(crdRow).toEqual([['customresourcedefinitions', 'crd,crds', 'apiextensions.k8s.io/v1', 'false', 'CustomResourceDefinition']]);
  });

  test('a CRD whose name is not <plural>.<group> is rejected with upstream\'s message', async () => {
    const bad = readFileSync(fixture('crd/crontab-crd.yaml'), 'utf8').replace(`name: ${CRD}`, 'name: crontab.stable.example.com');
    const r = await kubectl(['create', '-f', '-'], { input: bad });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('The CustomResourceDefinition "crontab.stable.example.com" is invalid: metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group');
  });
});

describe('custom resources', () => {
  beforeAll(async () => {
    expect(await kubectlOk(['apply', '--validate=false', '-n', ns, '-f', fixture('crd/crontab.yaml')]))
      .toBe('crontab.stable.example.com/my-new-cron-object created\n');
    expect(await kubectlOk(['apply', '-n', ns, '-f', fixture('crd/crontab-defaulted.yaml')]))
      .toBe('crontab.stable.example.com/defaulted-cron created\n');
  });

  test('a wrong type is a 422 with upstream\'s message', async () => {
    const r = await kubectl(['apply', '-n', ns, '-f', fixture('crd/crontab-wrong-type.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('The CronTab "wrong-type" is invalid: spec.cronSpec: Invalid value: "integer": spec.cronSpec in body must be of type string: "integer"');
  });

  test('strict field validation rejects an unknown field, as upstream\'s decoder does', async () => {
    const r = await kubectl(['create', '-n', ns, '-f', fixture('crd/crontab.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.unknownField"');
  });

  test('kubectl get prints the additionalPrinterColumns', async () => {
    const rows = table(await kubectlOk(['get', 'crontabs', '-n', ns]));
    expect(rows[0]).toEqual(['NAME', 'SPEC', 'REPLICAS', 'AGE']);
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['defaulted-cron', '5 0 * * *', '1'],
      ['my-new-cron-object', '* * * * */5', '1'],
    ]);
    for (const r of rows.slice(1)) expect(r[3]).toMatch(/^\d+s$/);
  });

  test('kubectl get ct -o yaml shows defaults applied and unknown fields pruned', async () => {
    const list = parseYaml(await kubectlOk(['get', 'ct', '-n', ns, '-o', 'yaml'])) as {
      items: { apiVersion: string; kind: string; metadata: { name: string; generation: number }; spec: Record<string, unknown> }[];
    };
    const byName = new Map(list.items.map((i) => [i.metadata.name, i]));
    expect(byName.get('my-new-cron-object')).toMatchObject({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { generation: 1 } });
    expect(byName.get('my-new-cron-object')?.spec).toEqual({ cronSpec: '* * * * */5', image: 'my-awesome-cron-image', replicas: 1 });
    expect(byName.get('defaulted-cron')?.spec).toEqual({ cronSpec: '5 0 * * *', image: 'my-awesome-cron-image', replicas: 1 });
  });

  test('kubectl explain prints the schema\'s descriptions', async () => {
    const out = await kubectlOk(['explain', 'crontab.spec.cronSpec']);
    expect(out).toContain('KIND:       CronTab');
    expect(out).toContain('FIELD: cronSpec <string>');
    expect(out).toContain('The cron spec defining the interval a CronJob is run');
    const spec = await kubectlOk(['explain', 'crontab.spec']);
    expect(spec).toMatch(/replicas\t<integer>\n\s+The number of jobs launched by the CronJob/);
  });

  test('the status subresource writes status only, and the main resource leaves status alone', async () => {
    await kubectlOk(['patch', 'ct', 'my-new-cron-object', '-n', ns, '--subresource=status', '--type=merge',
      '-p', '{"status":{"replicas":2,"labelSelector":"app=cron"},"spec":{"image":"ignored"}}']);
    await kubectlOk(['patch', 'ct', 'my-new-cron-object', '-n', ns, '--type=merge', '-p', '{"status":{"replicas":9}}']);
    expect(await kubectlOk(['get', 'ct', 'my-new-cron-object', '-n', ns, '-o', 'jsonpath={.spec.image} {.status.replicas} {.status.labelSelector}']))
      .toBe('my-awesome-cron-image 2 app=cron');
    const bad = await kubectl(['patch', 'ct', 'my-new-cron-object', '-n', ns, '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":"two"}}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('status.replicas: Invalid value: "string": status.replicas in body must be of type integer: "string"');
  });

  test('kubectl scale goes through the scale subresource, validated by the schema', async () => {
    expect(await kubectlOk(['scale', 'ct/my-new-cron-object', '-n', ns, '--replicas=3'])).toBe('crontab.stable.example.com/my-new-cron-object scaled\n');
    const obj = JSON.parse(await kubectlOk(['get', 'ct', 'my-new-cron-object', '-n', ns, '-o', 'json'])) as { metadata: { generation: number }; spec: { replicas: number } };
    expect(obj.spec.replicas).toBe(3);
    expect(obj.metadata.generation).toBe(2);
    const scale = JSON.parse(await kubectlOk(['get', '--raw', `/apis/stable.example.com/v1/namespaces/${ns}/crontabs/my-new-cron-object/scale`])) as {
      kind: string; apiVersion: string; spec: { replicas: number }; status: { replicas: number; selector: string };
    };
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=cron' } });
    const tooMany = await kubectl(['scale', 'ct/my-new-cron-object', '-n', ns, '--replicas=11']);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10');
  });
});

describe('a CRD with two served versions', () => {
  const MULTI = 'gadgets.versions.kubets.dev';
  afterAll(async () => { await kubectl(['delete', 'crd', MULTI, '--ignore-not-found']); });

  test('stores the storage version and serves each version with its own apiVersion', async () => {
    await kubectlOk(['create', '-f', fixture('crd/multiversion-crd.yaml')]);
    await kubectlOk(['wait', '--for=condition=Established', `crd/${MULTI}`, '--timeout=20s']);
    const group = table(await kubectlOk(['api-resources', '--api-group=versions.kubets.dev'])).slice(1);
    // The preferred version is v1 (GA before beta); the empty SHORTNAMES cell merges into the spacing.
    expect(group).toEqual([['gadgets', 'versions.kubets.dev/v1', 'false', 'Gadget']]);
    await kubectlOk(['create', '-f', '-'], { input: 'apiVersion: versions.kubets.dev/v1beta1\nkind: Gadget\nmetadata:\n  name: g1\nspec:\n    size: 1\n' });
    const stored = await etcdKeys('/registry/versions.kubets.dev/gadgets/');
    expect(stored).toEqual(['/registry/versions.kubets.dev/gadgets/g1']);
    const raw = await etcdctl(['get', '--print-value-only', stored[0]]);
    expect((JSON.parse(raw.stdout) as { apiVersion: string }).apiVersion).toBe('versions.kubets.dev/v1');
    expect(await kubectlOk(['get', 'gadgets.v1beta1.versions.kubets.dev', 'g1', '-o', 'jsonpath={.apiVersion} {.spec.size}'])).toBe('versions.kubets.dev/v1beta1 1');
    expect(await kubectlOk(['get', 'gadget', 'g1', '-o', 'jsonpath={.apiVersion} {.spec.size}'])).toBe('versions.kubets.dev/v1 1');
    const rows = table(await kubectlOk(['get', 'all-gadgets']));
    expect(rows[0]).toEqual(['NAME', 'AGE']);
    expect(rows[1][0]).toBe('g1');
  });
});

describe('a second apiserver started on the same etcd', () => {
  test('serves every stored CRD and its objects from the start', async () => {
    const [port] = await probeFreePorts(1);
    const pki = ensureClusterPki(path.join(dataDir(), 'pki'));
    const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'cli.js');
    const server = new Background(spawn(process.execPath, [cli, 'apiserver', '--etcd-servers', etcdEndpoints(),
      '--secure-port', String(port), '--tls-cert-file', pki.apiserver.cert, '--tls-private-key-file', pki.apiserver.key,
      '--client-ca-file', pki.ca.cert], { stdio: ['ignore', 'pipe', 'pipe'] }));
    try {
      const at = `--server=https://127.0.0.1:${port}`;
      await waitFor('the second apiserver to be ready', async () => (await kubectl([at, 'get', '--raw', '/readyz'])).stdout === 'ok', 30_000, 250);
      const rows = table(await kubectlOk([at, 'get', 'ct', '-n', ns]));
      expect(rows[0]).toEqual(['NAME', 'SPEC', 'REPLICAS', 'AGE']);
      expect(rows.slice(1).map((r) => r[0])).toEqual(['defaulted-cron', 'my-new-cron-object']);
      expect((await kubectl([at, 'explain', 'crontab.spec.image'])).stdout).toContain('The image the CronTab runs.');
    } finally {
      await server.stop();
    }
  });
});

describe('deleting the CRD', () => {
  test('removes its objects and stops serving it; a re-created CRD starts empty', async () => {
    expect((await etcdKeys('/registry/stable.example.com/crontabs/')).length).toBe(2);
    expect(await kubectlOk(['delete', 'crd', CRD])).toBe(`customresourcedefinition.apiextensions.k8s.io "${CRD}" deleted\n`);
    await waitFor('the CRD to be gone', async () => (await kubectl(['get', 'crd', CRD])).code === 1);
    expect(await etcdKeys('/registry/stable.example.com/crontabs/')).toEqual([]);
    expect((await apiResourceRows()).slice(1)).toEqual([]);
    const r = await kubectl(['get', 'ct', '-n', ns]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the server doesn\'t have a resource type "ct"');

    await createCrd();
    const again = await kubectl(['get', 'crontabs', '-n', ns]);
    expect(again.code).toBe(0);
    expect(again.stderr.trim()).toBe(`No resources found in ${ns} namespace.`);
  });
});

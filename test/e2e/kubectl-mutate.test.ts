// kubectl's read-modify-write commands against kubets: describe, edit (through a sed EDITOR), patch
// (json, merge, strategic), label, annotate and scale, each checked against the stored object.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createNamespace, dataDir, fixture, kubectl, kubectlOk } from './kubectl';

interface Container { name: string; image: string; env?: { name: string; value: string }[] }
interface Obj {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion: string };
  spec: { replicas?: number; containers?: Container[]; template?: { spec: { containers: Container[] } } };
}

let ns: string;
let scratch: string;

beforeAll(async () => {
  ns = await createNamespace('e2e-mutate');
  scratch = mkdtempSync(path.join(dataDir(), 'mutate-'));
});

async function get(kind: string, name: string): Promise<Obj> {
  return JSON.parse(await kubectlOk(['get', kind, name, '-n', ns, '-o', 'json'])) as Obj;
}

function podYaml(name: string, labels: string, schedulerName?: string): string {
  const sched = schedulerName ? `  schedulerName: ${schedulerName}\n` : '';
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels:\n${labels}spec:\n${sched}  containers:\n  - name: web\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n`;
}

describe('kubectl describe', () => {
  test('describe pod prints the pod\'s details and its (empty) events', async () => {
    // A scheduler no one runs: the cluster's scheduler would otherwise add a FailedScheduling event.
    await kubectlOk(['create', '-f', '-', '-n', ns], { input: podYaml('described', '    app: desc\n', 'kubets-test-none') });
    const r = await kubectl(['describe', 'pod', 'described', '-n', ns]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^Name:\s+described$/m);
    expect(out).toMatch(new RegExp(`^Namespace:\\s+${ns}$`, 'm'));
    expect(out).toMatch(/^Service Account:\s+default$/m);
    expect(out).toMatch(/^Node:\s+<none>$/m);
    expect(out).toMatch(/^Labels:\s+app=desc$/m);
    expect(out).toMatch(/^Status:\s+Pending$/m);
    expect(out).toMatch(/^Containers:\n {2}web:\n/m);
    expect(out).toMatch(/^ {4}Image:\s+nginx:1\.27$/m);
    expect(out).toMatch(/^ {4}Port:\s+80\/TCP$/m);
    expect(out).toMatch(/^QoS Class:\s+BestEffort$/m);
    expect(out).toMatch(/^Events:\s+<none>$/m);
  });

  test('describe of a missing pod is NotFound', async () => {
    const r = await kubectl(['describe', 'pod', 'nope', '-n', ns]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (NotFound): pods "nope" not found');
  });
});

describe('kubectl edit', () => {
  test('applies what a non-interactive EDITOR (sed) changed', async () => {
    // Left unscheduled: a kubelet's status writes would move the resourceVersion this test pins below.
    await kubectlOk(['create', '-f', '-', '-n', ns], { input: podYaml('edited', '    stage: before\n', 'kubets-test-none') });
    const editor = path.join(scratch, 'sed-editor.sh');
    writeFileSync(editor, '#!/bin/sh\n# kubectl edit calls this with the temp file to edit.\nsed -i -e "s/stage: before/stage: after/" "$1"\n');
    chmodSync(editor, 0o755);
    const before = await get('pod', 'edited');

    const r = await kubectl(['edit', 'pod', 'edited', '-n', ns], { env: { EDITOR: editor } });
    expect(r).toMatchObject({ code: 0, stdout: 'pod/edited edited\n' });
    const after = await get('pod', 'edited');
    expect(after.metadata.labels).toEqual({ stage: 'after' });
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));

    // The same edit again changes nothing: kubectl says so and sends no update.
    const again = await kubectl(['edit', 'pod', 'edited', '-n', ns], { env: { EDITOR: editor } });
    expect(again.code).toBe(0);
    expect(`${again.stdout}${again.stderr}`).toContain('Edit cancelled, no changes made.');
    expect((await get('pod', 'edited')).metadata.resourceVersion).toBe(after.metadata.resourceVersion);
  });
});

describe('kubectl patch', () => {
  beforeAll(async () => {
    expect(await kubectlOk(['create', '-f', fixture('pod-two-containers.yaml'), '-n', ns])).toBe('pod/two-containers created\n');
  });

  test('--type=json replaces by JSON pointer', async () => {
    const r = await kubectl(['patch', 'pod', 'two-containers', '-n', ns, '--type=json',
      '-p', '[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.28"},{"op":"add","path":"/metadata/labels/json","value":"yes"}]']);
    expect(r).toMatchObject({ code: 0, stdout: 'pod/two-containers patched\n' });
    const pod = await get('pod', 'two-containers');
    expect(pod.spec.containers?.map((c) => [c.name, c.image])).toEqual([['app', 'nginx:1.28'], ['sidecar', 'busybox:1.36']]);
    expect(pod.metadata.labels).toEqual({ app: 'patched', json: 'yes' });

    const failed = await kubectl(['patch', 'pod', 'two-containers', '-n', ns, '--type=json',
      '-p', '[{"op":"test","path":"/metadata/labels/app","value":"wrong"},{"op":"add","path":"/metadata/labels/never","value":"x"}]']);
    expect(failed.code).not.toBe(0);
    // Upstream answers a failed test op with a bare 422 (NewGenericServerResponse), which kubectl prints so.
    expect(failed.stderr).toBe('The request is invalid: the server rejected our request due to an error in our request\n');
    expect((await get('pod', 'two-containers')).metadata.labels).toEqual({ app: 'patched', json: 'yes' });
  });

  test('--type=merge sets and (with null) removes keys', async () => {
    const r = await kubectl(['patch', 'pod', 'two-containers', '-n', ns, '--type=merge',
      '-p', '{"metadata":{"labels":{"merged":"true","json":null}}}']);
    expect(r).toMatchObject({ code: 0, stdout: 'pod/two-containers patched\n' });
    expect((await get('pod', 'two-containers')).metadata.labels).toEqual({ app: 'patched', merged: 'true' });

    const same = await kubectl(['patch', 'pod', 'two-containers', '-n', ns, '--type=merge', '-p', '{"metadata":{"labels":{"merged":"true"}}}']);
    expect(same).toMatchObject({ code: 0, stdout: 'pod/two-containers patched (no change)\n' });
  });

  test('--type=strategic merges containers by name instead of replacing the list', async () => {
    const r = await kubectl(['patch', 'pod', 'two-containers', '-n', ns, '--type=strategic',
      '-p', '{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.37"}]}}']);
    expect(r).toMatchObject({ code: 0, stdout: 'pod/two-containers patched\n' });
    const pod = await get('pod', 'two-containers');
    expect(pod.spec.containers?.map((c) => [c.name, c.image])).toEqual([['app', 'nginx:1.28'], ['sidecar', 'busybox:1.37']]);
  });

  test('on a deployment template: strategic adds an env var to one container, merge replaces the whole list', async () => {
    expect(await kubectlOk(['create', '-f', fixture('deploy-v1.yaml'), '-n', ns])).toBe('deployment.apps/web created\n');
    await kubectlOk(['patch', 'deployment', 'web', '-n', ns, '--type=strategic',
      '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"MODE","value":"strategic"}]}]}}}}']);
    let d = await get('deployment', 'web');
    expect(d.spec.template?.spec.containers).toHaveLength(1);
    expect(d.spec.template?.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.26', env: [{ name: 'MODE', value: 'strategic' }] });

    await kubectlOk(['patch', 'deployment', 'web', '-n', ns, '--type=merge',
      '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"other","image":"busybox:1.37"}]}}}}']);
    d = await get('deployment', 'web');
    expect(d.spec.template?.spec.containers.map((c) => [c.name, c.image, c.env])).toEqual([['other', 'busybox:1.37', undefined]]);
  });
});

describe('kubectl label and annotate', () => {
  beforeAll(async () => {
    await kubectlOk(['create', '-f', '-', '-n', ns], { input: podYaml('tagged', '    app: tagged\n') });
  });

  test('label adds, refuses to overwrite without --overwrite, overwrites, and removes', async () => {
    expect(await kubectl(['label', 'pod', 'tagged', 'tier=web', '-n', ns])).toMatchObject({ code: 0, stdout: 'pod/tagged labeled\n' });
    const refused = await kubectl(['label', 'pod', 'tagged', 'tier=db', '-n', ns]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('\'tier\' already has a value (web), and --overwrite is false');
    expect(await kubectl(['label', 'pod', 'tagged', 'tier=db', '--overwrite', '-n', ns])).toMatchObject({ code: 0, stdout: 'pod/tagged labeled\n' });
    expect((await get('pod', 'tagged')).metadata.labels).toEqual({ app: 'tagged', tier: 'db' });
    expect(await kubectl(['label', 'pod', 'tagged', 'tier-', '-n', ns])).toMatchObject({ code: 0, stdout: 'pod/tagged unlabeled\n' });
    expect((await get('pod', 'tagged')).metadata.labels).toEqual({ app: 'tagged' });
    expect(await kubectlOk(['get', 'pods', '-n', ns, '-l', 'app=tagged', '-o', 'name'])).toBe('pod/tagged\n');
  });

  test('an invalid label value sent as a patch is rejected by the server\'s validation', async () => {
    // kubectl label checks values itself, so send the bad value as a plain merge patch.
    const r = await kubectl(['patch', 'pod', 'tagged', '-n', ns, '--type=merge', '-p', '{"metadata":{"labels":{"bad":"-leading-dash"}}}']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Pod "tagged" is invalid: metadata.labels: Invalid value: "-leading-dash": a valid label must be an empty string or consist of alphanumeric characters');
    expect((await get('pod', 'tagged')).metadata.labels).toEqual({ app: 'tagged' });
  });

  test('annotate adds, overwrites with --overwrite, and removes', async () => {
    expect(await kubectl(['annotate', 'pod', 'tagged', 'example.com/note=first', '-n', ns])).toMatchObject({ code: 0, stdout: 'pod/tagged annotated\n' });
    expect((await get('pod', 'tagged')).metadata.annotations).toEqual({ 'example.com/note': 'first' });
    expect(await kubectl(['annotate', 'pod', 'tagged', 'example.com/note=second', '--overwrite', '-n', ns])).toMatchObject({ code: 0, stdout: 'pod/tagged annotated\n' });
    expect((await get('pod', 'tagged')).metadata.annotations).toEqual({ 'example.com/note': 'second' });
    expect(await kubectl(['annotate', 'pod', 'tagged', 'example.com/note-', '-n', ns])).toMatchObject({ code: 0, stdout: 'pod/tagged annotated\n' });
    expect((await get('pod', 'tagged')).metadata.annotations ?? {}).toEqual({});
  });
});

describe('kubectl scale', () => {
  test('scale deployment --replicas=3 sets spec.replicas through the scale subresource', async () => {
    const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: scaled\n  labels:\n    app: scaled\nspec:\n  replicas: 1\n'
      + '  selector:\n    matchLabels:\n      app: scaled\n  template:\n    metadata:\n      labels:\n        app: scaled\n'
      + '    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n';
    expect(await kubectlOk(['create', '-f', '-', '-n', ns], { input: manifest })).toBe('deployment.apps/scaled created\n');
    expect((await get('deployment', 'scaled')).spec.replicas).toBe(1);

    expect(await kubectl(['scale', 'deployment', 'scaled', '--replicas=3', '-n', ns])).toMatchObject({ code: 0, stdout: 'deployment.apps/scaled scaled\n' });
    expect((await get('deployment', 'scaled')).spec.replicas).toBe(3);

    const scale = JSON.parse(await kubectlOk(['get', '--raw', `/apis/apps/v1/namespaces/${ns}/deployments/scaled/scale`])) as {
      apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: { replicas: number }; status: { selector: string };
    };
    expect(scale).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'scaled', namespace: ns }, spec: { replicas: 3 } });
    expect(scale.status.selector).toBe('app=scaled');
    // `get --subresource=scale` prints the server's Scale table: upstream's Name, Desired, Available, Age.
    const table = (await kubectlOk(['get', 'deployment', 'scaled', '--subresource=scale', '-n', ns])).split('\n');
    expect(table[0]).toMatch(/^NAME\s+DESIRED\s+AVAILABLE\s+AGE$/);
    expect(table[1]).toMatch(/^scaled\s+3\s+\d+\s+\S+$/);

    // A failed precondition leaves the deployment alone.
    const wrong = await kubectl(['scale', 'deployment', 'scaled', '--current-replicas=2', '--replicas=5', '-n', ns]);
    expect(wrong.code).not.toBe(0);
    expect((await get('deployment', 'scaled')).spec.replicas).toBe(3);

    const described = await kubectlOk(['describe', 'deployment', 'scaled', '-n', ns]);
    // The deployment controller is rolling the new replicas out meanwhile: only the desired count is fixed here.
    expect(described).toMatch(/^Replicas:\s+3 desired \| \d+ updated \| \d+ total \| \d+ available \| \d+ unavailable$/m);
    expect(described).toMatch(/^Selector:\s+app=scaled$/m);
  });
});

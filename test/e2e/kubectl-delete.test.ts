// kubectl delete, delete --wait and wait --for=delete against kubets, with finalizers holding objects
// in deletion so the waiting is observable, and etcdctl confirming what is (no longer) stored.
import { createNamespace, etcdKeys, fixture, kubectl, kubectlBackground, kubectlOk, type Background } from './kubectl';

let ns: string;
const running: Background[] = [];
afterEach(async () => { for (const b of running.splice(0)) await b.stop(); });

beforeAll(async () => { ns = await createNamespace('e2e-delete'); });

function podYaml(name: string, opts: { finalizer?: boolean; labels?: Record<string, string> } = {}): string {
  const labels = Object.entries(opts.labels ?? {}).map(([k, v]) => `    ${k}: ${v}\n`).join('');
  return 'apiVersion: v1\nkind: Pod\nmetadata:\n'
    + `  name: ${name}\n`
    + (labels ? `  labels:\n${labels}` : '')
    + (opts.finalizer ? '  finalizers:\n  - example.com/hold\n' : '')
    + 'spec:\n  containers:\n  - name: c\n    image: nginx:1.27\n';
}

async function create(name: string, opts: { finalizer?: boolean; labels?: Record<string, string> } = {}): Promise<void> {
  expect(await kubectlOk(['create', '-f', '-', '-n', ns], { input: podYaml(name, opts) })).toBe(`pod/${name} created\n`);
}

async function podKeys(): Promise<string[]> { return etcdKeys(`/registry/pods/${ns}/`); }

interface PodMeta { metadata: { deletionTimestamp?: string; finalizers?: string[] } }

async function removeFinalizers(name: string): Promise<void> {
  expect(await kubectlOk(['patch', 'pod', name, '-n', ns, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']))
    .toBe(`pod/${name} patched\n`);
}

describe('kubectl delete', () => {
  test('deletes a pod by name, by file and by label, and etcd no longer holds them', async () => {
    await create('doomed');
    expect(await podKeys()).toContain(`/registry/pods/${ns}/doomed`);
    expect(await kubectl(['delete', 'pod', 'doomed', '-n', ns])).toMatchObject({ code: 0, stdout: 'pod "doomed" deleted\n' });
    expect((await kubectl(['get', 'pod', 'doomed', '-n', ns])).stderr).toBe('Error from server (NotFound): pods "doomed" not found\n');
    expect(await podKeys()).not.toContain(`/registry/pods/${ns}/doomed`);

    const again = await kubectl(['delete', 'pod', 'doomed', '-n', ns]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('Error from server (NotFound): pods "doomed" not found\n');
    expect(await kubectl(['delete', 'pod', 'doomed', '-n', ns, '--ignore-not-found'])).toMatchObject({ code: 0, stdout: '', stderr: '' });

    const file = fixture('pod-create.yaml');
    expect(await kubectlOk(['create', '-f', file, '-n', ns])).toBe('pod/created-pod created\n');
    expect(await kubectl(['delete', '-f', file, '-n', ns])).toMatchObject({ code: 0, stdout: 'pod "created-pod" deleted\n' });

    for (const n of ['bulk-1', 'bulk-2', 'bulk-3']) await create(n, { labels: { group: 'bulk' } });
    await create('bystander', { labels: { group: 'other' } });
    const bulk = await kubectl(['delete', 'pods', '-l', 'group=bulk', '-n', ns]);
    expect(bulk).toMatchObject({ code: 0, stdout: 'pod "bulk-1" deleted\npod "bulk-2" deleted\npod "bulk-3" deleted\n' });
    const keys = await podKeys();
    expect(keys.filter((k) => /\/bulk-\d$/.test(k))).toEqual([]);
    expect(keys).toContain(`/registry/pods/${ns}/bystander`);
  });

  test('delete --wait blocks while a finalizer holds the pod and returns once it is gone', async () => {
    await create('held', { finalizer: true });
    const del = kubectlBackground(['delete', 'pod', 'held', '--wait=true', '--timeout=60s', '-n', ns]);
    running.push(del);
    await del.waitUntil('delete to report the deletion', (b) => b.stdout.includes('pod "held" deleted'));

    const pod = JSON.parse(await kubectlOk(['get', 'pod', 'held', '-n', ns, '-o', 'json'])) as PodMeta;
    expect(pod.metadata.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(pod.metadata.finalizers).toEqual(['example.com/hold']);
    expect(await podKeys()).toContain(`/registry/pods/${ns}/held`);
    expect(del.running).toBe(true);

    await removeFinalizers('held');
    const r = await del.exited;
    expect(r).toMatchObject({ code: 0, stdout: 'pod "held" deleted\n' });
    expect(await podKeys()).not.toContain(`/registry/pods/${ns}/held`);
  });
});

describe('kubectl wait --for=delete', () => {
  test('returns "condition met" when a concurrent delete completes', async () => {
    await create('awaited', { finalizer: true });
    // -v=6 logs the watch request once the server has answered it: then the wait is really waiting.
    const wait = kubectlBackground(['wait', '--for=delete', 'pod/awaited', '--timeout=60s', '-n', ns, '-v=6']);
    running.push(wait);
    await wait.waitUntil('kubectl wait to open its watch', (b) => /watch=true/.test(b.stderr));

    const del = await kubectl(['delete', 'pod', 'awaited', '--wait=false', '-n', ns]);
    expect(del).toMatchObject({ code: 0, stdout: 'pod "awaited" deleted\n' });
    const pod = JSON.parse(await kubectlOk(['get', 'pod', 'awaited', '-n', ns, '-o', 'json'])) as PodMeta;
    expect(pod.metadata.deletionTimestamp).toBeDefined();
    // The finalizer still holds the pod, so the wait cannot have finished.
    expect(wait.running).toBe(true);

    await removeFinalizers('awaited');
    const r = await wait.exited;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('pod/awaited condition met\n');
  });

  test('times out with an error while the pod stays', async () => {
    await create('stays');
    const r = await kubectl(['wait', '--for=delete', 'pod/stays', '--timeout=2s', '-n', ns]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('timed out waiting for the condition on pods/stays');
    expect(await podKeys()).toContain(`/registry/pods/${ns}/stays`);
  });
});

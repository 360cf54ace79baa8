// core/v1 extras through stock kubectl: componentstatuses computed by probing (read-only, with
// upstream's deprecation warning) and the pods/eviction subresource deleting a pod.
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createNamespace, dataDir, kubectl, kubectlOk, table } from './kubectl';

let ns: string;
let scratch: string;

beforeAll(async () => {
  ns = await createNamespace('e2e-evict');
  scratch = mkdtempSync(path.join(dataDir(), 'evict-'));
});

describe('componentstatuses', () => {
  test('kubectl get cs probes etcd (healthy) and the absent scheduler and controller-manager', async () => {
    const r = await kubectl(['get', 'componentstatuses']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Warning: v1 ComponentStatus is deprecated in v1.19+');
    const rows = table(r.stdout);
    expect(rows[0]).toEqual(['NAME', 'STATUS', 'MESSAGE', 'ERROR']);
    const byName = new Map(rows.slice(1).map((row) => [row[0], row.slice(1)]));
    expect(byName.get('etcd-0')).toEqual(['Healthy', 'ok']);
    // A scheduler answers on its secure port, or the error says why as Go's client would.
    for (const [name, port] of [['scheduler', 10259], ['controller-manager', 10257]] as const) {
      expect([['Healthy', 'ok'], ['Unhealthy', `Get "https://127.0.0.1:${port}/healthz": dial tcp 127.0.0.1:${port}: connect: connection refused`]])
        .toContainEqual(byName.get(name));
    }
  });

  test('get by name and short name, NotFound for others, and no writes', async () => {
    const cs = JSON.parse(await kubectlOk(['get', 'cs', 'etcd-0', '-o', 'json'])) as { kind: string; conditions: unknown[] };
    expect(cs).toMatchObject({ kind: 'ComponentStatus', conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] });
    const missing = await kubectl(['get', 'cs', 'nope']);
    expect(missing.stderr).toContain('Error from server (NotFound): componentstatus "nope" not found');
    const del = await kubectl(['delete', 'cs', 'etcd-0']);
    expect(del.code).toBe(1);
    expect(del.stderr).toContain('Error from server (MethodNotAllowed): the server does not allow this method on the requested resource');
  });
});

describe('pods/eviction', () => {
  const eviction = (name: string) => {
    const f = path.join(scratch, `${name}.json`);
    writeFileSync(f, JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } }));
    return f;
  };

  test('an Eviction deletes the pod when no disruption budget stands in the way', async () => {
    // Unscheduled (a scheduler nobody runs), so the eviction's delete takes effect at once, with no kubelet grace.
    await kubectlOk(['run', 'evict-me', '--image=nginx:1.27', '-n', ns, '--overrides={"spec":{"schedulerName":"kubets-test-none"}}']);
    const out = await kubectlOk(['create', '--raw', `/api/v1/namespaces/${ns}/pods/evict-me/eviction`, '-f', eviction('evict-me')]);
    expect(JSON.parse(out)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const gone = await kubectl(['get', 'pod', 'evict-me', '-n', ns]);
    expect(gone.stderr).toContain('Error from server (NotFound): pods "evict-me" not found');
  });

  test('the Eviction must name the pod of the URL, and the pod must exist', async () => {
    await kubectlOk(['run', 'keep-me', '--image=nginx:1.27', '-n', ns]);
    const wrong = await kubectl(['create', '--raw', `/api/v1/namespaces/${ns}/pods/keep-me/eviction`, '-f', eviction('someone-else')]);
    expect(wrong.stderr).toContain('name in URL does not match name in Eviction object');
    expect(await kubectlOk(['get', 'pod', 'keep-me', '-n', ns, '-o', 'name'])).toBe('pod/keep-me\n');
    const absent = await kubectl(['create', '--raw', `/api/v1/namespaces/${ns}/pods/absent/eviction`, '-f', eviction('absent')]);
    expect(absent.stderr).toContain('pods "absent" not found');
  });
});

// kubectl get against kubets: server-side Table columns, -o wide/yaml/jsonpath, label and field selectors,
// chunked lists (--chunk-size) and get -w watches, asserted on kubectl's real output.
import { parse as parseYaml } from 'yaml';
import { createNamespace, kubectl, kubectlBackground, kubectlOk, table, type Background } from './kubectl';

let ns: string;
const PODS: { name: string; app?: string }[] = [
  { name: 'get-a', app: 'x' }, { name: 'get-b', app: 'y' }, { name: 'get-c', app: 'x' }, { name: 'get-d' }, { name: 'get-e' },
];
const NAMES = PODS.map((p) => p.name);

function podYaml(name: string, labels: Record<string, string> = {}): string {
  const l = Object.entries(labels).map(([k, v]) => `    ${k}: "${v}"\n`).join('');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${l ? `  labels:\n${l}` : ''}spec:\n  schedulerName: kubets-test-none\n  containers:\n  - name: c\n    image: nginx:1.27\n`;
}

beforeAll(async () => {
  ns = await createNamespace('e2e-get');
  const docs = PODS.map((p) => podYaml(p.name, p.app ? { app: p.app } : {})).join('---\n');
  const out = await kubectlOk(['create', '-f', '-', '-n', ns], { input: docs });
  expect(out).toBe(NAMES.map((n) => `pod/${n} created\n`).join(''));
});

const running: Background[] = [];
afterEach(async () => { for (const b of running.splice(0)) await b.stop(); });

describe('kubectl get pods', () => {
  test('default columns are NAME READY STATUS RESTARTS AGE, one row per pod', async () => {
    const rows = table(await kubectlOk(['get', 'pods', '-n', ns]));
    expect(rows[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(NAMES);
    for (const r of rows.slice(1)) {
      expect(r.slice(1, 4)).toEqual(['0/1', 'Pending', '0']);
      expect(r[4]).toMatch(/^\d+(s|m\d*s?)$/);
    }
  });

  test('-o wide adds IP, NODE, NOMINATED NODE and READINESS GATES', async () => {
    const rows = table(await kubectlOk(['get', 'pods', '-n', ns, '-o', 'wide']));
    expect(rows[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    const a = rows.find((r) => r[0] === 'get-a');
    expect(a?.slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
  });

  test('-o yaml prints a v1 List of the full objects', async () => {
    const doc = parseYaml(await kubectlOk(['get', 'pods', '-n', ns, '-o', 'yaml'])) as {
      apiVersion: string; kind: string; items: { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: { containers: { image: string }[] } }[];
    };
    expect(doc.apiVersion).toBe('v1');
    expect(doc.kind).toBe('List');
    expect(doc.items.map((i) => i.metadata.name)).toEqual(NAMES);
    for (const i of doc.items) {
      expect(i).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ns } });
      expect(i.spec.containers[0].image).toBe('nginx:1.27');
    }
  });

  test('-o jsonpath={.items[*].metadata.name}', async () => {
    expect(await kubectlOk(['get', 'pods', '-n', ns, '-o', 'jsonpath={.items[*].metadata.name}'])).toBe(NAMES.join(' '));
  });

  test('-l selects by label, equality- and set-based', async () => {
    expect(await kubectlOk(['get', 'pods', '-n', ns, '-l', 'app=x', '-o', 'name'])).toBe('pod/get-a\npod/get-c\n');
    expect(await kubectlOk(['get', 'pods', '-n', ns, '-l', 'app in (x,y)', '-o', 'name'])).toBe('pod/get-a\npod/get-b\npod/get-c\n');
    expect(await kubectlOk(['get', 'pods', '-n', ns, '-l', '!app', '-o', 'name'])).toBe('pod/get-d\npod/get-e\n');
    expect(await kubectlOk(['get', 'pods', '-n', ns, '-l', 'app!=x', '-o', 'name'])).toBe('pod/get-b\npod/get-d\npod/get-e\n');
    const none = await kubectl(['get', 'pods', '-n', ns, '-l', 'app=nothing']);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: `No resources found in ${ns} namespace.\n` });
  });

  test('--field-selector filters on the server', async () => {
    expect(await kubectlOk(['get', 'pods', '-n', ns, '--field-selector', 'metadata.name=get-b', '-o', 'name'])).toBe('pod/get-b\n');
    expect(await kubectlOk(['get', 'pods', '-n', ns, '--field-selector', 'metadata.name!=get-b,status.phase=Pending', '-o', 'name']))
      .toBe('pod/get-a\npod/get-c\npod/get-d\npod/get-e\n');
    const bad = await kubectl(['get', 'pods', '-n', ns, '--field-selector', 'spec.nosuch=1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error from server \(BadRequest\): .*field label not supported: spec\.nosuch$/m);
  });

  test('--chunk-size=2 pages through all five pods with continue tokens', async () => {
    const r = await kubectl(['get', 'pods', '-n', ns, '--chunk-size=2', '-v=6']);
    expect(r.code).toBe(0);
    expect(table(r.stdout).slice(1).map((row) => row[0])).toEqual(NAMES);
    // Three requests: limit=2, then two continues (2 + 2 + 1 items).
    const continues = new Set([...r.stderr.matchAll(/[?&]continue=([^&\s"]+)/g)].map((m) => m[1]));
    expect(continues.size).toBe(2);
    expect(r.stderr).toMatch(/pods\?limit=2/);
    // -o name and jsonpath go through the same chunked list.
    expect(await kubectlOk(['get', 'pods', '-n', ns, '--chunk-size=2', '-o', 'name'])).toBe(NAMES.map((n) => `pod/${n}\n`).join(''));
  });
});

describe('kubectl get -w', () => {
  test('prints the initial rows, then a row for a pod created while watching', async () => {
    const w = kubectlBackground(['get', 'pods', '-n', ns, '-w']);
    running.push(w);
    await w.waitUntil('the initial list from get -w', (b) => /^get-e\s/m.test(b.stdout));
    expect(w.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(w.stdout).not.toMatch(/^watched-new\s/m);

    await kubectlOk(['create', '-f', '-', '-n', ns], { input: podYaml('watched-new') });
    await w.waitUntil('watched-new to appear in get -w', (b) => /^watched-new\s.*\n/m.test(b.stdout));
    const line = w.stdout.split('\n').find((l) => /^watched-new\s/.test(l));
    expect(line).toMatch(/^watched-new\s+0\/1\s+Pending\s+0\s+\d+s$/);
    expect(w.running).toBe(true);
    await w.stop();
    await kubectlOk(['delete', 'pod', 'watched-new', '-n', ns]);
  });

  test('--watch-only --output-watch-events shows ADDED, MODIFIED and DELETED', async () => {
    const w = kubectlBackground(['get', 'pods', '-n', ns, '--watch-only', '--output-watch-events', '-v=6']);
    running.push(w);
    // -v=6 logs the watch request once the server has answered it, i.e. once the watch is established.
    await w.waitUntil('get -w to open its watch', (b) => /watch=true/.test(b.stderr));

    await kubectlOk(['create', '-f', '-', '-n', ns], { input: podYaml('watched-events') });
    await w.waitUntil('ADDED', (b) => /^ADDED\s+watched-events\s+0\/1\s+Pending/m.test(b.stdout));
    await kubectlOk(['label', 'pod', 'watched-events', 'seen=yes', '-n', ns]);
    await w.waitUntil('MODIFIED', (b) => /^MODIFIED\s+watched-events\s/m.test(b.stdout));
    await kubectlOk(['delete', 'pod', 'watched-events', '-n', ns]);
    await w.waitUntil('DELETED', (b) => /^DELETED\s+watched-events\s/m.test(b.stdout));

    const lines = w.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    // Only the watched pod's events: the five pre-existing pods are not replayed with --watch-only.
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(
      expect.arrayContaining(['ADDED watched-events', 'MODIFIED watched-events', 'DELETED watched-events']));
    expect(lines.slice(1).every((l) => /^\w+\s+watched-events\s/.test(l))).toBe(true);
  });
});

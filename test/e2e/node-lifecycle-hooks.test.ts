// Container lifecycle hooks on the suite's real node (containerd): postStart runs after the container
// starts, preStop before it is stopped (both seen through a hostPath the test reads), and a failing
// postStart is reported with upstream's FailedPostStartHook event and kills the container, which restarts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import { createNamespace, dataDir, kubectlOk, waitFor } from './kubectl';

let ns: string;
let node: string;
let hostDir: string;

beforeAll(async () => {
  ns = await createNamespace('e2e-hooks');
  node = (JSON.parse(readFileSync(path.join(dataDir(), 'cluster.json'), 'utf8')) as { node: { name: string } }).node.name;
  hostDir = mkdtempSync(path.join(os.tmpdir(), 'kubets-hooks-'));
});
afterAll(() => rmSync(hostDir, { recursive: true, force: true }));

const getPod = async (name: string): Promise<Pod> => JSON.parse(await kubectlOk(['get', 'pod', name, '-n', ns, '-o', 'json'])) as Pod;

test('postStart runs once the container started; preStop runs before it stops', async () => {
  const manifest = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hooks' },
    spec: {
      nodeName: node, terminationGracePeriodSeconds: 10,
      volumes: [{ name: 'host', hostPath: { path: hostDir, type: 'Directory' } }],
      containers: [{
        name: 'main', image: 'busybox', volumeMounts: [{ name: 'host', mountPath: '/host' }],
        command: ['sh', '-c', 'trap "exit 0" TERM; echo $$ > /host/main-pid; while true; do sleep 1; done'],
        lifecycle: {
          postStart: { exec: { command: ['sh', '-c', 'echo started-after-$(cat /host/main-pid 2>/dev/null || echo none) > /host/poststart'] } },
          preStop: { exec: { command: ['sh', '-c', 'echo stopping > /host/prestop'] } },
        },
      }],
    },
  };
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: JSON.stringify(manifest) });
  await waitFor('pod hooks Running', async () => (await getPod('hooks')).status?.phase === 'Running', 60_000, 300);
  expect(readFileSync(path.join(hostDir, 'poststart'), 'utf8')).toMatch(/^started-after-/);
  expect(() => readFileSync(path.join(hostDir, 'prestop'))).toThrow();

  await kubectlOk(['delete', 'pod', 'hooks', '-n', ns, '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
  expect(readFileSync(path.join(hostDir, 'prestop'), 'utf8').trim()).toBe('stopping');
  const events = await kubectlOk(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=hooks', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}{"\\n"}{end}']);
  expect(events).toContain('Killing:Stopping container main');
  expect(events).not.toContain('FailedPreStopHook');
}, 120_000);

test('a failing postStart hook is an event, kills the container, and the container restarts', async () => {
  const manifest = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'badhook' },
    spec: {
      nodeName: node, terminationGracePeriodSeconds: 2,
      containers: [{
        name: 'main', image: 'busybox', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
        lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo nope >&2; exit 3'] } } },
      }],
    },
  };
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: JSON.stringify(manifest) });
  const uid = (await getPod('badhook')).metadata?.uid;
  const events = await waitFor('FailedPostStartHook event', async () => {
    const out = await kubectlOk(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=badhook',
      '-o', 'jsonpath={range .items[*]}{.type}/{.reason}:{.message}{"\\n"}{end}']);
    return out.includes('FailedPostStartHook') ? out : undefined;
  }, 60_000, 500);
  expect(events).toContain(`Warning/FailedPostStartHook:Exec lifecycle hook ([sh -c echo nope >&2; exit 3]) for Container "main" in Pod "badhook_${ns}(${uid})" failed - error: command 'sh -c echo nope >&2; exit 3' exited with 3: nope\n, message: "nope\\n"`);
  expect(events).toContain('Normal/Killing:FailedPostStartHook');
  await waitFor('the container restarted', async () => ((await getPod('badhook')).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 60_000, 500);
  await kubectlOk(['delete', 'pod', 'badhook', '-n', ns, '--wait=false']);
}, 120_000);

// The node end to end: pods bound to the suite cluster's node run on its real containerd through the
// kubets kubelet, driven and observed with stock kubectl (status, logs, events, delete) and plain HTTP.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import { createNamespace, dataDir, kubectl, kubectlOk, waitFor } from './kubectl';

let ns: string;
let node: string;
/** A command line unique to this run, so `ps` finds this pod's process and not another cluster's. */
const adoptMarker = `sleep ${100000 + Math.floor(Math.random() * 900000)}`;

function nodeName(): string {
  const layout = JSON.parse(readFileSync(path.join(dataDir(), 'cluster.json'), 'utf8')) as { node?: { name?: string } };
  if (!layout.node?.name) throw new Error('cluster.json has no node: `up` did not start a kubelet');
  return layout.node.name;
}

async function getPod(name: string): Promise<Pod> {
  return JSON.parse(await kubectlOk(['get', 'pod', name, '-n', ns, '-o', 'json'])) as Pod;
}

async function podWhere(name: string, what: string, pred: (p: Pod) => boolean, timeoutMs = 40_000): Promise<Pod> {
  return waitFor(`pod ${name}: ${what}`, async () => { const p = await getPod(name); return pred(p) ? p : undefined; }, timeoutMs, 300);
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const busybox = (name: string, script: string, extra = ''): string =>
  `  - name: ${name}\n    image: busybox\n    command: ["sh", "-c", ${JSON.stringify(script)}]\n${extra}`;

function pod(name: string, body: string, spec = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels: {app: ${name}, tier: e2e}\n`
    + `spec:\n  nodeName: ${node}\n  terminationGracePeriodSeconds: 2\n${spec}  containers:\n${body}`;
}

const manifests = (): string[] => [
  pod('web', [
    '  - name: httpd\n    image: busybox:1.36\n    command: ["httpd", "-f", "-v", "-p", "80", "-h", "/www"]\n'
      + '    ports: [{containerPort: 80}]\n    readinessProbe: {httpGet: {path: /index.html, port: 80}, periodSeconds: 1}\n'
      + '    volumeMounts: [{name: www, mountPath: /www}]\n',
    busybox('client', 'until wget -q -O - http://localhost/index.html; do sleep 0.2; done; exec sleep 3600'),
  ].join(''), '  initContainers:\n' + busybox('init', 'echo hello-from-init > /work/index.html', '    volumeMounts: [{name: www, mountPath: /work}]\n')
    + '  volumes: [{name: www, emptyDir: {}}]\n'),
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {greeting: hello-cm, other: x}\n',
  'apiVersion: v1\nkind: Secret\nmetadata: {name: sec}\nstringData: {password: s3cret}\n',
  pod('config', busybox('show', 'cat /cfg/greeting; echo; cat /sec/password; echo; cat /info/labels; echo; cat /info/name; echo; '
    + 'echo "env $GREETING $PASSWORD $MY_NAME $MEM $FROM_other $EXPANDED"',
  '    env:\n    - {name: GREETING, valueFrom: {configMapKeyRef: {name: cfg, key: greeting}}}\n'
    + '    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: sec, key: password}}}\n'
    + '    - {name: MY_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n'
    + '    - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}\n'
    + '    - {name: EXPANDED, value: "$(MY_NAME)-x"}\n'
    + '    envFrom: [{configMapRef: {name: cfg}, prefix: FROM_}]\n'
    + '    resources: {limits: {memory: 32Mi}}\n'
    + '    volumeMounts: [{name: cfg, mountPath: /cfg}, {name: sec, mountPath: /sec}, {name: info, mountPath: /info}]\n'),
  '  restartPolicy: Never\n  volumes:\n  - {name: cfg, configMap: {name: cfg}}\n  - {name: sec, secret: {secretName: sec}}\n'
    + '  - name: info\n    downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: name, fieldRef: {fieldPath: metadata.name}}]}\n'),
  pod('oom', busybox('hog', 'tail /dev/zero', '    resources: {limits: {memory: 64Mi}}\n'), '  restartPolicy: Never\n'),
  pod('fail-never', busybox('c', 'exit 3'), '  restartPolicy: Never\n'),
  pod('ok-onfailure', busybox('c', 'exit 0'), '  restartPolicy: OnFailure\n'),
  pod('crash', busybox('c', 'echo crashing; exit 1')),
  pod('adopt', busybox('c', `exec ${adoptMarker}`)),
  pod('liveness', busybox('c', 'exec sleep 3600', '    livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 1, failureThreshold: 1}\n'
    + '    readinessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 1}\n')),
];

beforeAll(async () => {
  node = nodeName();
  ns = await createNamespace('e2e-node');
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: manifests().join('---\n') });
});

describe('kubelet on containerd', () => {
  test('an init container fills an emptyDir that busybox httpd serves; Ready, reachable by pod IP, logs', async () => {
    const p = await podWhere('web', 'Ready', (x) => x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
    expect(p.status).toMatchObject({ phase: 'Running', qosClass: 'BestEffort' });
    expect(p.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(p.status?.containerStatuses?.map((c) => [c.name, c.ready, c.started, c.restartCount])).toEqual([['httpd', true, true, 0], ['client', true, true, 0]]);
    expect(p.status?.containerStatuses?.[0]?.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(p.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(await httpGet(`http://${p.status!.podIP}/index.html`)).toBe('hello-from-init\n');
    // The second container reached the first over the pod's shared localhost.
    await waitFor('client logs', async () => (await kubectlOk(['logs', 'web', '-c', 'client', '-n', ns])) === 'hello-from-init\n');
    const wide = await kubectlOk(['get', 'pod', 'web', '-n', ns, '-o', 'wide']);
    expect(wide).toMatch(new RegExp(`web\\s+2/2\\s+Running\\s+0\\s+\\S+\\s+${p.status!.podIP!.replace(/\./g, '\\.')}\\s+${node}`));
    const events = await kubectlOk(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}{"\\n"}{end}']);
    expect(events).toContain('Pulled:Container image "busybox:1.36" already present on machine');
    expect(events).toContain('Created:Created container httpd');
    expect(events).toContain('Started:Started container init');
  });

  test('configMap, secret and downwardAPI volumes and env; restartPolicy Never ends Succeeded', async () => {
    const p = await podWhere('config', 'Succeeded', (x) => x.status?.phase === 'Succeeded');
    expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(await kubectlOk(['logs', 'config', '-n', ns])).toBe(
      'hello-cm\ns3cret\napp="config"\ntier="e2e"\nconfig\nenv hello-cm s3cret config 32 x config-x\n');
    expect(await kubectlOk(['logs', 'config', '-n', ns, '--tail', '1'])).toBe('env hello-cm s3cret config 32 x config-x\n');
  });

  test('a container allocating past its 64Mi limit is OOMKilled', async () => {
    const p = await podWhere('oom', 'Failed', (x) => x.status?.phase === 'Failed');
    expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  test('restartPolicy Never with a failure ends Failed; OnFailure with success ends Succeeded', async () => {
    const failed = await podWhere('fail-never', 'Failed', (x) => x.status?.phase === 'Failed');
    expect(failed.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(failed.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    const ok = await podWhere('ok-onfailure', 'Succeeded', (x) => x.status?.phase === 'Succeeded');
    expect(ok.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });

  test('a crashing container restarts with back-off, shown as CrashLoopBackOff', async () => {
    const p = await podWhere('crash', 'CrashLoopBackOff', (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff');
    const cs = p.status!.containerStatuses![0]!;
    expect(cs.restartCount).toBeGreaterThanOrEqual(1);
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(cs.state?.waiting?.message).toMatch(/^back-off (10|20)s restarting failed container=c pod=crash_/);
    expect(await kubectlOk(['get', 'pod', 'crash', '-n', ns])).toMatch(/crash\s+0\/1\s+CrashLoopBackOff\s+\d+ \(\S+ ago\)/);
    expect(await kubectlOk(['logs', 'crash', '-n', ns, '--previous'])).toBe('crashing\n');
  });

  test('a failing liveness probe restarts the container; a failing readiness probe keeps Ready false', async () => {
    const p = await podWhere('liveness', 'restarted', (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
    expect(p.status?.containerStatuses?.[0]?.ready).toBe(false);
    expect(p.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
    const events = await kubectlOk(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=liveness', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}{"\\n"}{end}']);
    expect(events).toContain('Killing:Container c failed liveness probe, will be restarted');
    expect(events).toMatch(/Unhealthy:Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory/);
  });

  test('deleting a pod stops its processes within the grace period and removes it', async () => {
    await podWhere('web', 'Running', (x) => x.status?.phase === 'Running');
    const started = Date.now();
    // httpd ignores SIGTERM as pid 1, so it is the grace period (2 s) that ends it.
    expect(await kubectlOk(['delete', 'pod', 'web', '-n', ns])).toBe('pod "web" deleted\n');
    expect(Date.now() - started).toBeLessThan(12_000);
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps).not.toContain('httpd -f -v -p 80 -h /www');
    expect((await kubectl(['get', 'pod', 'web', '-n', ns])).stderr).toContain('NotFound');
  });

  test('kill -9 of the kubelet leaves pods running; the restarted kubelet adopts them without duplicates', async () => {
    const before = await podWhere('adopt', 'Running', (x) => x.status?.containerStatuses?.[0]?.state?.running !== undefined);
    const uid = before.metadata!.uid!;
    // containerd's containers for the pod: its sandbox (pause) and its one app container.
    const runtimeContainers = (): number => execFileSync('ctr', ['-a', path.join(dataDir(), 'containerd', 'containerd.sock'), '-n', 'k8s.io',
      'containers', 'ls', '-q', `labels."io.kubernetes.pod.uid"==${uid}`], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
    expect(runtimeContainers()).toBe(2);
    const pid = Number(readFileSync(path.join(dataDir(), 'run', 'kubelet.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await waitFor('kubelet gone', () => { try { process.kill(pid, 0); return false; } catch { return true; } });
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).toContain(adoptMarker);
    execFileSync('node', [path.join(__dirname, '..', '..', 'dist', 'src', 'cli.js'), 'up', '--data-dir', dataDir()],
      { env: { ...process.env, HOME: dataDir() }, stdio: 'ignore' });
    // Give the new kubelet a few sync rounds: it must keep the same container, not start another.
    await new Promise((r) => setTimeout(r, 3000));
    const after = await getPod('adopt');
    expect(after.status?.containerStatuses?.[0]).toMatchObject({
      containerID: before.status!.containerStatuses![0]!.containerID, restartCount: 0, state: { running: {} },
    });
    expect(runtimeContainers()).toBe(2);
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(adoptMarker))).toHaveLength(1);
  });
});

// The fake CRI runtime hollow nodes run on: sandboxes get distinct IPs from the node's range (released on
// removal), containers run from StartContainer until stopped, label filters select, unknown ids are NOT_FOUND.
import { CriError, GRPC_NOT_FOUND } from '../../src/node/cri/cri-runtime';
import type { ContainerConfig, PodSandboxConfig } from '../../src/node/cri/cri-types';
import { FakeRuntime } from '../../src/node/cri/fake-runtime';

function sandboxConfig(uid: string, hostNetwork = false): PodSandboxConfig {
  return {
    metadata: { name: `pod-${uid}`, uid, namespace: 'default', attempt: 0 }, hostname: `pod-${uid}`, logDirectory: '/nowhere',
    portMappings: [], labels: { 'io.kubernetes.pod.uid': uid }, annotations: {},
    linux: { cgroupParent: '/x', securityContext: { namespaceOptions: { network: hostNetwork ? 'NODE' : 'POD' } } },
  };
}

function containerConfig(name: string, uid: string): ContainerConfig {
  return {
    metadata: { name, attempt: 0 }, image: { image: 'busybox' }, command: [], args: [], workingDir: '', envs: [], mounts: [],
    labels: { 'io.kubernetes.pod.uid': uid, 'io.kubernetes.container.name': name }, annotations: {}, logPath: `${name}/0.log`,
    stdin: false, stdinOnce: false, tty: false, linux: { resources: {}, securityContext: {} },
  };
}

test('sandboxes get distinct addresses from the node range, reused once removed; host-network ones get none', async () => {
  const rt = new FakeRuntime('10.128.7.0/24');
  const a = await rt.runPodSandbox(sandboxConfig('a'));
  const b = await rt.runPodSandbox(sandboxConfig('b'));
  const ipA = (await rt.podSandboxStatus(a)).network?.ip;
  expect(ipA).toBe('10.128.7.2');
  expect((await rt.podSandboxStatus(b)).network?.ip).toBe('10.128.7.3');
  expect((await rt.podSandboxStatus(await rt.runPodSandbox(sandboxConfig('h', true)))).network?.ip).toBe('');
  await rt.stopPodSandbox(a);
  expect((await rt.listPodSandbox({ state: 'SANDBOX_READY' })).map((s) => s.id)).not.toContain(a);
  await rt.removePodSandbox(a);
  const c = await rt.runPodSandbox(sandboxConfig('c'));
  expect((await rt.podSandboxStatus(c)).network?.ip).toBe(ipA);
  expect((await rt.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': 'b' } })).map((s) => s.id)).toEqual([b]);
});

test('a container runs from start until stopped; exec succeeds; every image is present; no streaming', async () => {
  const rt = new FakeRuntime('10.128.0.0/24');
  const sb = await rt.runPodSandbox(sandboxConfig('u'));
  const id = await rt.createContainer(sb, containerConfig('web', 'u'), sandboxConfig('u'));
  expect((await rt.containerStatus(id)).state).toBe('CONTAINER_CREATED');
  await rt.startContainer(id);
  const running = await rt.containerStatus(id);
  expect(running).toMatchObject({ state: 'CONTAINER_RUNNING', image: { image: 'busybox' }, logPath: 'web/0.log' });
  expect(running.startedAt).toBeGreaterThan(0);
  expect(running.imageRef).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect((await rt.execSync(id, ['cat', '/x'], 1)).exitCode).toBe(0);
  expect(await rt.imageStatus('anything:1.0')).toMatchObject({ repoTags: ['anything:1.0'] });
  await expect(rt.exec({ containerId: id, cmd: ['sh'], tty: false, stdin: false, stdout: true, stderr: false })).rejects.toBeInstanceOf(CriError);
  expect((await rt.listContainers({ state: 'CONTAINER_RUNNING', labelSelector: { 'io.kubernetes.container.name': 'web' } })).map((c) => c.id)).toEqual([id]);

  await rt.stopContainer(id);
  expect(await rt.containerStatus(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' });
  await rt.removeContainer(id);
  await expect(rt.containerStatus(id)).rejects.toMatchObject({ code: GRPC_NOT_FOUND });
  expect((await rt.version()).runtimeName).toBe('kubets-fake');
});

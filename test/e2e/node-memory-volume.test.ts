// An emptyDir with medium Memory on the suite's real node: the container sees a tmpfs of the sizeLimit,
// and the mount is gone from the host once the pod is deleted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import { createNamespace, dataDir, kubectlOk, waitFor } from './kubectl';

test('a Memory emptyDir is a tmpfs of its sizeLimit, unmounted when the pod goes', async () => {
  const ns = await createNamespace('e2e-tmpfs');
  const node = (JSON.parse(readFileSync(path.join(dataDir(), 'cluster.json'), 'utf8')) as { node: { name: string } }).node.name;
  const manifest = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mem' },
    spec: {
      nodeName: node, restartPolicy: 'Never',
      volumes: [{ name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }],
      containers: [{ name: 'main', image: 'busybox', volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
        command: ['sh', '-c', 'grep " /cache " /proc/mounts | cut -d" " -f3; df -k /cache | tail -n 1 | awk "{print \\$2}"'] }],
    },
  };
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: JSON.stringify(manifest) });
  const pod = await waitFor('pod mem Succeeded', async () => {
    const p = JSON.parse(await kubectlOk(['get', 'pod', 'mem', '-n', ns, '-o', 'json'])) as Pod;
    return p.status?.phase === 'Succeeded' ? p : undefined;
  }, 60_000, 300);
  expect((await kubectlOk(['logs', 'mem', '-n', ns])).trim().split('\n')).toEqual(['tmpfs', '16384']);
  const uid = pod.metadata?.uid ?? '';
  expect(readFileSync('/proc/self/mountinfo', 'utf8')).toContain(uid);
  await kubectlOk(['delete', 'pod', 'mem', '-n', ns, '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
  await waitFor('the tmpfs unmounted', () => !readFileSync('/proc/self/mountinfo', 'utf8').includes(uid), 20_000);
}, 120_000);

// A projected volume in the shape upstream's ServiceAccount admission gives pods (kube-api-access): the
// kubelet on the suite's real node fills it with a token bound to the pod, the cluster CA from
// kube-root-ca.crt and the namespace, and the token authenticates as the pod's service account.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import { apiPort, createNamespace, dataDir, kubectl, kubectlOk, waitFor } from './kubectl';

test('a serviceAccountToken projection holds a pod-bound token of the pod\'s service account', async () => {
  const ns = await createNamespace('e2e-token-volume');
  await kubectlOk(['create', 'serviceaccount', 'reader', '-n', ns]);
  await waitFor('kube-root-ca.crt', async () => (await kubectl(['get', 'cm', 'kube-root-ca.crt', '-n', ns])).code === 0, 20_000, 200);
  const node = (JSON.parse(readFileSync(path.join(dataDir(), 'cluster.json'), 'utf8')) as { node: { name: string } }).node.name;
  const mount = '/var/run/secrets/kubernetes.io/serviceaccount';
  const manifest = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tokened' },
    spec: {
      nodeName: node, serviceAccountName: 'reader', terminationGracePeriodSeconds: 0,
      volumes: [{ name: 'kube-api-access', projected: { defaultMode: 0o644, sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ] } }],
      containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'kube-api-access', mountPath: mount, readOnly: true }] }],
    },
  };
  await kubectlOk(['create', '-n', ns, '-f', '-'], { input: JSON.stringify(manifest) });
  const pod = await waitFor('pod tokened Running', async () => {
    const p = JSON.parse(await kubectlOk(['get', 'pod', 'tokened', '-n', ns, '-o', 'json'])) as Pod;
    return p.status?.phase === 'Running' ? p : undefined;
  }, 60_000, 300);
  const cat = (file: string) => kubectlOk(['exec', 'tokened', '-n', ns, '--', 'cat', `${mount}/${file}`]);
  expect(await cat('namespace')).toBe(ns);
  expect(await cat('ca.crt')).toBe(readFileSync(path.join(dataDir(), 'pki', 'ca.crt'), 'utf8'));
  const token = await cat('token');
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number; iat: number; 'kubernetes.io': { pod?: { name: string; uid: string } } };
  expect(claims.exp - claims.iat).toBe(3607);
  expect(claims['kubernetes.io'].pod).toEqual({ name: 'tokened', uid: pod.metadata?.uid });
  const who = await kubectl(['--kubeconfig', '/dev/null', '--server', `https://127.0.0.1:${apiPort()}`,
    '--certificate-authority', path.join(dataDir(), 'pki', 'ca.crt'), '--token', token, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
  expect(who).toMatchObject({ code: 0, stdout: `system:serviceaccount:${ns}:reader` });
  await kubectlOk(['delete', 'pod', 'tokened', '-n', ns, '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
}, 120_000);

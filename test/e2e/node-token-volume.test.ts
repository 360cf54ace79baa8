// A projected volume in the shape upstream's ServiceAccount admission gives pods (kube-api-access): the
// kubelet on the suite's real node fills it with a token bound to the pod, the cluster CA from
// kube-root-ca.crt and the namespace, and the token authenticates as the pod's service account, also
// from inside the pod through the `kubernetes` Service.
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
  // In-cluster access: the `kubernetes` Service (by its DNS name, through the proxy's rules) reaches the
  // apiserver on the node address, whose serving certificate names that address.
  const connect = async (target: string) => (await kubectl(['exec', 'tokened', '-n', ns, '--', 'sh', '-c', `nc -w 3 ${target} </dev/null`])).code;
  await waitFor('a TCP connection from the pod to kubernetes.default.svc:443', async () => (await connect('kubernetes.default.svc 443')) === 0, 30_000, 1000);
  // The control: a Service without endpoints is refused, so the exit code above tells the two apart.
  await kubectlOk(['create', 'service', 'clusterip', 'nobody', '--tcp=80', '-n', ns]);
  await waitFor('the endpoint-less Service refused', async () => (await connect(`nobody.${ns}.svc 80`)) !== 0, 30_000, 1000);
  const endpoint = JSON.parse(await kubectlOk(['get', 'endpointslice', 'kubernetes', '-n', 'default', '-o', 'json'])) as { endpoints: { addresses: string[] }[]; ports: { port: number }[] };
  const viaNode = await kubectl(['--kubeconfig', '/dev/null', '--server', `https://${endpoint.endpoints[0]!.addresses[0]}:${endpoint.ports[0]!.port}`,
    '--certificate-authority', path.join(dataDir(), 'pki', 'ca.crt'), '--token', token, 'get', 'pod', 'tokened', '-n', ns, '-o', 'jsonpath={.metadata.uid}']);
  expect(viaNode).toMatchObject({ code: 0, stdout: pod.metadata?.uid });
  await kubectlOk(['delete', 'pod', 'tokened', '-n', ns, '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
}, 120_000);

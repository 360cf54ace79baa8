// The etcd port scheme and the kubeconfig merge `up` does into ~/.kube/config (here a temp HOME): other
// entries survive, our entries are replaced not duplicated, and `down --purge` takes exactly ours away.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { chooseEtcdPorts, derivedEtcdPorts, isPortFree } from '../../src/cmd/cluster-layout';
import { resolveDataDir } from '../../src/cmd/cluster-flags';
import {
  buildKubeconfig, mergeIntoKubeconfig, readKubeconfig, removeFromKubeconfig, userKubeconfigPath, type KubeconfigEntry,
} from '../../src/pki/kubeconfig';

describe('etcd port scheme', () => {
  test('follows the apiserver port, two ports per cluster', () => {
    expect(derivedEtcdPorts(6443)).toEqual({ clientPort: 2379, peerPort: 2380 });
    expect(derivedEtcdPorts(6444)).toEqual({ clientPort: 2381, peerPort: 2382 });
    expect(derivedEtcdPorts(16443)).toEqual({ clientPort: 22379, peerPort: 22380 });
  });

  test('gives up outside usable ports or on hitting the apiserver port', () => {
    expect(derivedEtcdPorts(443)).toBeUndefined();
    expect(derivedEtcdPorts(40000)).toBeUndefined();
    expect(derivedEtcdPorts(10507)).toBeUndefined(); // client would be 10507 itself
  });

  test('probes free ports when the derived pair is busy, and keeps a persisted pair while etcd runs', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    try {
      const busy = (blocker.address() as net.AddressInfo).port;
      // An apiserver port whose derived etcd client port is the busy one (when that is representable).
      const apiPort = 6443 + (busy - 2379) / 2;
      const chosen = await chooseEtcdPorts(Number.isInteger(apiPort) ? apiPort : 6443, undefined, false);
      expect(chosen.clientPort).not.toBe(busy);
      expect(await isPortFree(chosen.clientPort)).toBe(true);
      expect(await isPortFree(chosen.peerPort)).toBe(true);
      const kept = await chooseEtcdPorts(6443, { embedded: true, servers: [], clientPort: busy, peerPort: busy + 1 }, true);
      expect(kept).toEqual({ clientPort: busy, peerPort: busy + 1 });
    } finally {
      blocker.close();
    }
  });
});

describe('kubeconfig', () => {
  let home: string;
  const savedHome = process.env.HOME;
  const entry = (name: string, server = 'https://127.0.0.1:6443'): KubeconfigEntry =>
    ({ name, server, caPem: 'CA', clientCertPem: 'CERT', clientKeyPem: 'KEY' });

  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'kubets-home-'));
    process.env.HOME = home;
    // Never let a test touch the real user's ~/.kube/config.
    if (!userKubeconfigPath().startsWith(home)) throw new Error('HOME override not honoured');
  });
  afterEach(() => {
    process.env.HOME = savedHome;
    rmSync(home, { recursive: true, force: true });
  });

  test('the cluster kubeconfig embeds credentials and skips no TLS verification', () => {
    const doc = buildKubeconfig(entry('kubets'));
    expect(doc['current-context']).toBe('kubets');
    expect(doc.clusters).toEqual([{ name: 'kubets', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from('CA').toString('base64') } }]);
    expect(doc.users[0]).toEqual({ name: 'kubets', user: {
      'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key-data': Buffer.from('KEY').toString('base64') } });
    expect(doc.contexts).toEqual([{ name: 'kubets', context: { cluster: 'kubets', user: 'kubets' } }]);
    expect(JSON.stringify(doc)).not.toContain('insecure');
  });

  test('merging creates ~/.kube/config owner-only under HOME', () => {
    const file = userKubeconfigPath();
    expect(file).toBe(path.join(home, '.kube', 'config'));
    mergeIntoKubeconfig(file, entry('kubets'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const doc = readKubeconfig(file);
    expect(doc['current-context']).toBe('kubets');
    expect(doc.contexts.map((c) => c.name)).toEqual(['kubets']);
  });

  test('merging keeps other entries, replaces ours and switches the current context', () => {
    const file = userKubeconfigPath();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, [
      'apiVersion: v1', 'kind: Config', 'current-context: other',
      'clusters:', '- name: other', '  cluster: {server: "https://10.0.0.1:6443"}',
      '- name: kubets', '  cluster: {server: "https://stale:1"}',
      'users:', '- name: other', '  user: {token: abc}',
      'contexts:', '- name: other', '  context: {cluster: other, user: other, namespace: dev}',
      '',
    ].join('\n'));
    mergeIntoKubeconfig(file, entry('kubets', 'https://127.0.0.1:7443'));
    mergeIntoKubeconfig(file, entry('kubets', 'https://127.0.0.1:7443'));
    const doc = parse(readFileSync(file, 'utf8')) as ReturnType<typeof readKubeconfig>;
    expect(doc['current-context']).toBe('kubets');
    expect(doc.clusters.map((c) => c.name)).toEqual(['other', 'kubets']);
    expect(doc.clusters[1]).toMatchObject({ cluster: { server: 'https://127.0.0.1:7443' } });
    expect(doc.users.map((u) => u.name)).toEqual(['other', 'kubets']);
    expect(doc.contexts[0]).toEqual({ name: 'other', context: { cluster: 'other', user: 'other', namespace: 'dev' } });

    expect(removeFromKubeconfig(file, 'kubets')).toBe(true);
    const after = readKubeconfig(file);
    expect(after.clusters.map((c) => c.name)).toEqual(['other']);
    expect(after.users.map((u) => u.name)).toEqual(['other']);
    expect(after.contexts.map((c) => c.name)).toEqual(['other']);
    expect(after['current-context']).toBe('');
    expect(removeFromKubeconfig(file, 'kubets')).toBe(false);
  });

  test('a named context leaves the default kubets entry alone', () => {
    const file = userKubeconfigPath();
    mergeIntoKubeconfig(file, entry('kubets'));
    mergeIntoKubeconfig(file, entry('kubets-test', 'https://127.0.0.1:16443'));
    expect(readKubeconfig(file).contexts.map((c) => c.name)).toEqual(['kubets', 'kubets-test']);
    removeFromKubeconfig(file, 'kubets-test');
    const doc = readKubeconfig(file);
    expect(doc.contexts.map((c) => c.name)).toEqual(['kubets']);
    expect(doc['current-context']).toBe('');
  });

  test('an empty or null-listed kubeconfig (as kubectl leaves it) still merges', () => {
    const file = userKubeconfigPath();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'apiVersion: v1\nkind: Config\nclusters: null\nusers: null\ncontexts: null\n');
    mergeIntoKubeconfig(file, entry('kubets'));
    expect(readKubeconfig(file).clusters).toHaveLength(1);
  });

  test('the data dir defaults to ~/.kubets and expands a leading ~', () => {
    expect(resolveDataDir(undefined)).toBe(path.join(home, '.kubets'));
    expect(resolveDataDir('~/x')).toBe(path.join(home, 'x'));
    expect(resolveDataDir('rel')).toBe(path.resolve('rel'));
  });
});

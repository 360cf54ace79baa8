// The manifest corpus for the everyday core and apps kinds (pods, services of each type, configMaps,
// secrets, service accounts, endpoints, events, namespaces, leases, deployments, replicasets), the
// study notes' examples among them: each applies with stock kubectl and reads back as upstream stores it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createNamespace, kubectl, kubectlOk, waitFor } from './kubectl';

type Json = Record<string, unknown>;

/** File-name prefix → the resource kubectl reads it back as. */
const kinds: Record<string, string> = {
  'pod-': 'pod', 'service-': 'service', 'configmap-': 'configmap', 'secret-': 'secret', 'serviceaccount-': 'serviceaccount',
  'endpoints-': 'endpoints', 'event-': 'event', 'namespace-': 'namespace', 'lease-': 'lease', 'deployment-': 'deployment',
  'replicaset-': 'replicaset', 'node-': 'node', 'eventsv1-': 'events.v1.events.k8s.io',
};
const dir = path.join(__dirname, 'fixtures', 'valid');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && Object.keys(kinds).some((k) => f.startsWith(k))).sort();
const resourceOf = (f: string) => kinds[Object.keys(kinds).find((k) => f.startsWith(k))!];
const nameOf = (text: string) => /^metadata:\n(?:[ ]{2}.*\n)*?[ ]{2}name: (\S+)$/m.exec(text)![1];

/** What the apiserver adds to a pod template, as upstream's SetDefaults_PodSpec / SetDefaults_Container do. */
const templateSpecDefaults = {
  restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
};
const containerDefaults = { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} };

let ns: string;
beforeAll(async () => { ns = await createNamespace('e2e-corpus-basics'); });
afterAll(async () => {
  await kubectlOk(['delete', 'namespace', 'corpus-team-a', '--ignore-not-found', '--wait=false']);
  await kubectlOk(['delete', 'node', 'corpus-node', '--ignore-not-found', '--wait=false']);
});

/** Upstream's stored form of each fixture; `settled` waits for the controller-written part. */
const stored: Record<string, { want: (o: Json) => void; settled?: (o: Json) => boolean }> = {
  'pod-javaweb.yaml': {
    want: (o) => {
      expect(o.spec).toMatchObject({
        ...templateSpecDefaults, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0,
        serviceAccountName: 'default', serviceAccount: 'default',
        // DefaultTolerationSeconds admission.
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        initContainers: [{ name: 'war', ...containerDefaults }],
        containers: [{ name: 'tomcat', ...containerDefaults, ports: [{ containerPort: 8080, hostPort: 8001, protocol: 'TCP' }] }],
        volumes: [{ name: 'app-volume', emptyDir: {} }],
      });
      expect((o.status as Json).qosClass).toBe('BestEffort');
    },
  },
  'deployment-nginx.yaml': {
    settled: (o) => ((o.metadata as Json).annotations as Json | undefined)?.['deployment.kubernetes.io/revision'] !== undefined,
    want: (o) => expect(o).toMatchObject({
      metadata: { generation: 1, labels: { app: 'nginx' }, annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: {
        replicas: 1, progressDeadlineSeconds: 600, revisionHistoryLimit: 10,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'nginx' } },
          spec: { ...templateSpecDefaults, containers: [{ name: 'nginx', image: 'nginx:1.7.9', ...containerDefaults, ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
        },
      },
    }),
  },
  'replicaset-nginx-set.yaml': {
    settled: (o) => (o.status as Json | undefined)?.replicas === 1,
    want: (o) => expect(o).toMatchObject({
      metadata: { generation: 1 },
      spec: { replicas: 1, template: { metadata: { creationTimestamp: null }, spec: { ...templateSpecDefaults, containers: [{ ...containerDefaults }] } } },
      status: { replicas: 1, observedGeneration: 1 },
    }),
  },
  'service-headless.yaml': {
    want: (o) => expect(o.spec).toEqual({
      clusterIP: 'None', clusterIPs: ['None'], type: 'ClusterIP', sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster', selector: { app: 'nginx' }, ports: [{ name: 'web', port: 80, protocol: 'TCP', targetPort: 80 }],
    }),
  },
  'service-nodeport.yaml': {
    want: (o) => {
      expect(o.spec).toMatchObject({
        type: 'NodePort', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', sessionAffinity: 'None',
        ports: [{ port: 3306, targetPort: 3306, nodePort: 30964, protocol: 'TCP' }],
      });
      expect((o.spec as Json).clusterIPs).toEqual([(o.spec as Json).clusterIP]);
      expect(o.status).toEqual({ loadBalancer: {} });
    },
  },
  'service-loadbalancer.yaml': {
    // Without a cloud the node's proxy announces the node's address, as k3s does.
    settled: (o) => ((o.status as Json).loadBalancer as Json).ingress !== undefined,
    want: (o) => {
      expect(o.spec).toMatchObject({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: true, externalTrafficPolicy: 'Cluster', ports: [{ port: 8765, targetPort: 9376, protocol: 'TCP' }] });
      const nodePort = ((o.spec as Json).ports as Json[])[0].nodePort as number;
      expect(nodePort >= 30000 && nodePort <= 32767).toBe(true);
      expect(((o.status as Json).loadBalancer as Json).ingress).toEqual([{ ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/), ipMode: 'VIP' }]);
    },
  },
  'service-externalname.yaml': {
    want: (o) => expect(o.spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' }),
  },
  'configmap-game.yaml': {
    want: (o) => expect(o).toMatchObject({ data: { player_initial_lives: '3', 'game.properties': 'enemy.types=aliens,monsters\nplayer.maximum-lives=5\n' }, binaryData: { blob: 'AAEC' } }),
  },
  'secret-opaque.yaml': {
    // stringData is merged into data and never stored; the type defaults to Opaque.
    want: (o) => {
      expect(o).toMatchObject({ type: 'Opaque', data: { username: Buffer.from('admin').toString('base64'), password: 'MWYyZDFlMmU2N2Rm' } });
      expect(o.stringData).toBeUndefined();
    },
  },
  'secret-basic-auth.yaml': {
    want: (o) => expect(o).toMatchObject({ type: 'kubernetes.io/basic-auth', data: { username: 'YWRtaW4=', password: Buffer.from('t0p-Secret').toString('base64') } }),
  },
  'serviceaccount-build-robot.yaml': {
    // Since v1.24 no token Secret is generated for a service account.
    want: (o) => { expect(o.automountServiceAccountToken).toBe(false); expect(o.secrets).toBeUndefined(); },
  },
  'endpoints-manual.yaml': {
    want: (o) => expect(o.subsets).toEqual([{ addresses: [{ ip: '192.0.2.42' }], ports: [{ port: 9376, protocol: 'TCP' }] }]),
  },
  'event-noted.yaml': {
    // Go's non-pointer time and string fields are always serialised.
    want: (o) => expect(o).toMatchObject({
      reason: 'Noted', type: 'Normal', source: { component: 'corpus' }, eventTime: null, firstTimestamp: null, lastTimestamp: null,
      reportingComponent: '', reportingInstance: '',
    }),
  },
  'namespace-team.yaml': {
    want: (o) => expect(o).toMatchObject({
      metadata: { labels: { team: 'a', 'kubernetes.io/metadata.name': 'corpus-team-a' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
    }),
  },
  'node-corpus.yaml': {
    // Go serialises the status structs a hand-made Node leaves empty.
    want: (o) => {
      expect(o.spec).toEqual({ podCIDR: '10.250.0.0/24', podCIDRs: ['10.250.0.0/24'], taints: [{ key: 'corpus', value: 'only', effect: 'NoExecute' }] });
      expect(o.status).toMatchObject({
        daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
        nodeInfo: { architecture: '', bootID: '', containerRuntimeVersion: '', kernelVersion: '', kubeProxyVersion: '', kubeletVersion: '', machineID: '', operatingSystem: '', osImage: '', systemUUID: '' },
      });
    },
  },
  'eventsv1-checked.yaml': {
    // One stored event, read through either API in its own field names.
    want: (o) => expect(o).toMatchObject({
      apiVersion: 'events.k8s.io/v1', reportingController: 'example.com/corpus', action: 'Checked', note: 'written through events.k8s.io/v1',
      regarding: { kind: 'ConfigMap', name: 'game-demo' }, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null, deprecatedSource: {},
    }),
  },
  'lease-leader.yaml': {
    want: (o) => expect(o.spec).toEqual({ holderIdentity: 'corpus-1', leaseDurationSeconds: 15 }),
  },
};

describe('valid core and apps manifests round-trip with upstream\'s defaults', () => {
  test('the corpus covers every kind and every file has its expectation', () => {
    for (const k of Object.keys(kinds)) expect(files.some((f) => f.startsWith(k))).toBe(true);
    expect(files.filter((f) => !stored[f])).toEqual([]);
  });

  test.each(files)('%s', async (file) => {
    const text = readFileSync(path.join(dir, file), 'utf8').replace(/NAMESPACE/g, ns);
    const resource = resourceOf(file);
    const name = nameOf(text);
    expect(await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: text })).toMatch(new RegExp(`/${name.replace(/\./g, '\\.')} created\n$`));
    const get = async () => JSON.parse(await kubectlOk(['get', resource, name, '-n', ns, '-o', 'json'])) as Json;
    const s = stored[file];
    const o = await waitFor(`${file} settled`, async () => { const x = await get(); return !s.settled || s.settled(x) ? x : undefined; }, 20_000, 200);
    s.want(o);
    // kubectl apply keeps what it applied, so a second apply is a no-op on what the user owns.
    const meta = o.metadata as Json;
    expect(JSON.parse(String((meta.annotations as Json)['kubectl.kubernetes.io/last-applied-configuration']))).toMatchObject({ metadata: { name } });
    expect(await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: text })).toMatch(/ (unchanged|configured)\n$/);
  });

  test('an events.k8s.io/v1 Event is the same object as a core/v1 Event', async () => {
    const core = JSON.parse(await kubectlOk(['get', 'events.v1.', 'game-demo.checked', '-n', ns, '-o', 'json'])) as Json;
    expect(core).toMatchObject({
      apiVersion: 'v1', reportingComponent: 'example.com/corpus', reportingInstance: 'corpus-1', message: 'written through events.k8s.io/v1',
      involvedObject: { kind: 'ConfigMap', name: 'game-demo', namespace: ns }, firstTimestamp: null, source: {},
    });
    const v1 = JSON.parse(await kubectlOk(['get', 'events.v1.events.k8s.io', 'game-demo.checked', '-n', ns, '-o', 'json'])) as Json;
    expect((v1.metadata as Json).uid).toBe((core.metadata as Json).uid);
    // Each API selects on its own field names.
    const names = async (args: string[]) => (await kubectlOk(['get', ...args, '-n', ns, '-o', 'name'])).split('\n').filter(Boolean).sort();
    expect(await names(['events.v1.events.k8s.io', '--field-selector', 'regarding.name=game-demo'])).toEqual(['event.events.k8s.io/game-demo.checked', 'event.events.k8s.io/game-demo.noted']);
    expect(await names(['events.v1.', '--field-selector', 'involvedObject.name=game-demo,reason=Checked'])).toEqual(['event/game-demo.checked']);
  });
});

describe('invalid pods are refused with upstream\'s 422 message', () => {
  const invalidDir = path.join(__dirname, 'fixtures', 'invalid');
  const invalid = readdirSync(invalidDir).filter((f) => f.startsWith('pod-') && f.endsWith('.yaml')).sort();
  test('the pod corpus covers probes, hooks, ports, policies, names and volume sources', () => { expect(invalid.length).toBeGreaterThanOrEqual(10); });
  test.each(invalid)('%s', async (file) => {
    const text = readFileSync(path.join(invalidDir, file), 'utf8');
    const want = /^# expect: (.*)$/.exec(text.split('\n')[0])![1];
    const r = await kubectl(['create', '-n', ns, '-f', '-'], { input: text });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(want);
  });
});

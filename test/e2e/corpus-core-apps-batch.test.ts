// The manifest corpus for core/v1, apps/v1, batch/v1 and autoscaling kinds, driven through stock kubectl:
// valid manifests apply and read back with upstream's defaults; each invalid manifest is refused with
// the exact 422 message kubectl prints, written in the fixture's `# expect:` lines; and every kind's
// `kubectl get` / `-o wide` headers are upstream's.
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { createNamespace, dataDir, etcdKeys, kubectl, kubectlOk, table, waitFor } from './kubectl';

/** The fixture prefixes this corpus owns (other groups' corpora share the directories). */
const KINDS = ['statefulset', 'daemonset', 'controllerrevision', 'job', 'cronjob', 'persistentvolumeclaim', 'persistentvolume',
  'replicationcontroller', 'podtemplate', 'limitrange', 'resourcequota', 'horizontalpodautoscaler'];
const ours = (f: string) => f.endsWith('.yaml') && KINDS.some((k) => f.startsWith(`${k}-`));

const fixtures = (sub: string) => path.join(__dirname, 'fixtures', sub);
const invalidFiles = readdirSync(fixtures('invalid')).filter(ours).sort();
const validFiles = readdirSync(fixtures('valid')).filter(ours).sort();

let ns: string;
let scratch: string;

beforeAll(async () => {
  ns = await createNamespace('e2e-corpus-cab');
  scratch = mkdtempSync(path.join(dataDir(), 'corpus-cab-'));
});

interface Expectation { lines: string[]; firstLineOnly: boolean }

function expectationOf(text: string): Expectation {
  const lines: string[] = [];
  let firstLineOnly = false;
  for (const l of text.split('\n')) {
    const m = /^# expect(-first-line)?: ?(.*)$/.exec(l);
    if (!m) continue;
    if (m[1]) firstLineOnly = true;
    lines.push(m[2]);
  }
  return { lines, firstLineOnly };
}

/** The manifest's documents: one is created; with two, the first is applied and the second applied over it. */
function documents(text: string): string[] {
  return text.split(/^---\s*$/m).map((d) => d.trim()).filter((d) => d.replace(/^#.*$/gm, '').trim() !== '');
}

describe('invalid manifests are refused with upstream\'s 422 message', () => {
  test('the corpus holds at least 35 manifests covering every kind', () => {
    expect(invalidFiles.length).toBeGreaterThanOrEqual(35);
    for (const k of KINDS) expect(invalidFiles.some((f) => f.startsWith(`${k}-`))).toBe(true);
  });

  test.each(invalidFiles)('%s', async (file) => {
    const text = readFileSync(path.join(fixtures('invalid'), file), 'utf8');
    const want = expectationOf(text);
    expect(want.lines.length).toBeGreaterThan(0);
    const docs = documents(text);
    let r;
    if (docs.length === 1) {
      r = await kubectl(['create', '-n', ns, '-f', '-'], { input: docs[0] });
    } else {
      const first = path.join(scratch, `${file}.0.yaml`);
      const second = path.join(scratch, `${file}.1.yaml`);
      writeFileSync(first, docs[0]);
      writeFileSync(second, docs[1]);
      await kubectlOk(['apply', '-n', ns, '-f', first]);
      r = await kubectl(['apply', '-n', ns, '-f', second]);
    }
    expect(r.code).toBe(1);
    const got = r.stderr.split('\n').map((l) => l.trimEnd());
    const expected = want.lines.map((l) => l.trimEnd());
    expect(want.firstLineOnly ? got.slice(0, 1) : got.filter((l) => l !== '')).toEqual(expected);
  });
});

type Json = Record<string, unknown>;

async function getJson(kind: string, name: string): Promise<Json> {
  return JSON.parse(await kubectlOk(['get', kind, name, '-n', ns, '-o', 'json'])) as Json;
}

/** Kinds whose controller (running in the suite's controller-manager) writes their status at any time. */
const controllerWritesStatus = new Set(['statefulset', 'daemonset', 'job', 'cronjob', 'rc']);

/** What each valid manifest must read back as: upstream's defaults, asserted as a subset. */
/** `settled`: a controller writes the object's status right after creation; read it once that is done. */
const defaults: Record<string, { kind: string; name: string; want: (o: Json) => void; settled?: (o: Json) => boolean }> = {
  'statefulset-web.yaml': {
    kind: 'statefulset', name: 'web', want: (o) => expect(o).toMatchObject({
      spec: {
        replicas: 1, podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: { metadata: { creationTimestamp: null }, spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' } },
        volumeClaimTemplates: [{
          apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'www', creationTimestamp: null },
          spec: { volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' },
        }],
      },
      // Status belongs to the StatefulSet controller, which may already have written it.
      status: { replicas: expect.any(Number), availableReplicas: expect.any(Number) },
    }),
  },
  'daemonset-fluentd.yaml': {
    kind: 'daemonset', name: 'fluentd-elasticsearch', want: (o) => expect(o).toMatchObject({
      metadata: { generation: 1, annotations: { 'deprecated.daemonset.template.generation': '1' } },
      spec: {
        revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        template: { spec: { containers: [{ resources: { requests: { cpu: '100m', memory: '200Mi' } }, imagePullPolicy: 'IfNotPresent' }] } },
      },
      // Status belongs to the DaemonSet controller, which may already have written it.
      status: { currentNumberScheduled: expect.any(Number), desiredNumberScheduled: expect.any(Number), numberMisscheduled: expect.any(Number), numberReady: expect.any(Number) },
    }),
  },
  'controllerrevision-web.yaml': {
    kind: 'controllerrevision', name: 'web-7b8c9d', want: (o) => expect(o).toMatchObject({ revision: 1, data: { spec: { template: { metadata: { labels: { app: 'web' } } } } } }),
  },
  'job-pi.yaml': {
    kind: 'job', name: 'pi', want: (o) => {
      const uid = (o.metadata as Json).uid as string;
      expect(uid).toMatch(/^[0-9a-f-]{36}$/);
      const generated = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' };
      expect(o).toMatchObject({
        metadata: { labels: generated },
        spec: {
          backoffLimit: 4, completions: 1, parallelism: 1, completionMode: 'NonIndexed', suspend: false, manualSelector: false,
          podReplacementPolicy: 'TerminatingOrFailed',
          selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
          template: { metadata: { labels: generated, creationTimestamp: null }, spec: { restartPolicy: 'Never' } },
        },
        status: {},
      });
    },
  },
  'cronjob-hello.yaml': {
    kind: 'cronjob', name: 'hello', want: (o) => expect(o).toMatchObject({
      spec: {
        concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1,
        jobTemplate: { metadata: { creationTimestamp: null }, spec: { template: { metadata: { creationTimestamp: null }, spec: { restartPolicy: 'OnFailure', terminationGracePeriodSeconds: 30 } } } },
      },
    }),
  },
  'persistentvolumeclaim-data.yaml': {
    kind: 'pvc', name: 'data', want: (o) => expect(o).toMatchObject({
      spec: { volumeMode: 'Filesystem', resources: { requests: { storage: '2Gi' } } }, status: { phase: 'Pending' },
    }),
  },
  'persistentvolume-local.yaml': {
    kind: 'pv', name: 'kinds-a-pv',
    // Created Pending; the persistentvolume-binder makes an unclaimed volume Available.
    settled: (o) => (o.status as Json | undefined)?.phase === 'Available',
    want: (o) => {
      expect(o).toMatchObject({
        spec: { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', hostPath: { path: '/mnt/data', type: '' } },
        status: { phase: 'Available' },
      });
      expect((o.status as Json).lastPhaseTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect((o.metadata as Json).namespace).toBeUndefined();
    },
  },
  'replicationcontroller-nginx.yaml': {
    kind: 'rc', name: 'nginx', want: (o) => expect(o).toMatchObject({
      metadata: { labels: { app: 'nginx' }, generation: 1 },
      spec: { replicas: 3, selector: { app: 'nginx' }, template: { spec: { containers: [{ imagePullPolicy: 'Always', ports: [{ protocol: 'TCP' }] }] } } },
    }),
  },
  'podtemplate-web.yaml': {
    kind: 'podtemplate', name: 'web-template', want: (o) => expect(o).toMatchObject({
      template: { metadata: { creationTimestamp: null }, spec: { restartPolicy: 'Always', containers: [{ terminationMessagePath: '/dev/termination-log' }] } },
    }),
  },
  'limitrange-cpu.yaml': {
    kind: 'limitrange', name: 'cpu-resource-constraint', want: (o) => expect(o).toMatchObject({
      spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '500m' }, max: { cpu: '1' }, min: { cpu: '100m' } }] },
    }),
  },
  'resourcequota-compute.yaml': {
    kind: 'quota', name: 'compute-resources', want: (o) => expect(o).toMatchObject({
      spec: { hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi', pods: '10' } },
    }),
  },
  'horizontalpodautoscaler-v2-memory.yaml': {
    kind: 'hpa', name: 'web-v2', want: (o) => expect(o).toMatchObject({
      apiVersion: 'autoscaling/v2',
      spec: {
        minReplicas: 2,
        behavior: {
          scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
          scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
        },
      },
      status: { desiredReplicas: 0 },
    }),
  },
  'horizontalpodautoscaler-v1-cpu.yaml': {
    // Written as v1, read in the preferred v2: one object, converted.
    kind: 'hpa', name: 'web-v1', want: (o) => expect(o).toMatchObject({
      apiVersion: 'autoscaling/v2',
      spec: { minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    }),
  },
};

describe('valid manifests apply and read back with upstream\'s defaults', () => {
  test('every kind has a valid manifest with asserted defaults', () => {
    for (const k of KINDS) expect(validFiles.some((f) => f.startsWith(`${k}-`))).toBe(true);
    expect(validFiles.filter((f) => !defaults[f])).toEqual([]);
  });

  test.each(validFiles)('%s', async (file) => {
    const p = path.join(fixtures('valid'), file);
    const out = await kubectlOk(['apply', '-n', ns, '-f', p]);
    expect(out).toMatch(/ created\n$/);
    const d = defaults[file];
    const stored = await waitFor(`${file} settled`, async () => {
      const o = await getJson(d.kind, d.name);
      return !d.settled || d.settled(o) ? o : undefined;
    }, 20_000, 200);
    d.want(stored);
    // Re-applying the manifest stores nothing new: defaults and canonical quantities round-trip. (kubectl
    // may still say "configured" where it re-sends a non-canonical quantity or an atomic list, as upstream.)
    expect(await kubectlOk(['apply', '-n', ns, '-f', p])).toMatch(/ (unchanged|configured)\n$/);
    const again = await getJson(d.kind, d.name);
    if (controllerWritesStatus.has(d.kind)) {
      // Its controller may write status meanwhile: what the user owns must be unchanged.
      const userOwned = (o: Json) => ({ metadata: { ...(o.metadata as Json), resourceVersion: undefined, managedFields: undefined }, spec: o.spec });
      expect(userOwned(again)).toEqual(userOwned(stored));
    } else {
      expect((again.metadata as Json).resourceVersion).toBe((stored.metadata as Json).resourceVersion);
    }
  });
});

const headers: [string, string[], string[]][] = [
  ['statefulsets', ['NAME', 'READY', 'AGE'], ['CONTAINERS', 'IMAGES']],
  ['daemonsets', ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'], ['CONTAINERS', 'IMAGES', 'SELECTOR']],
  ['controllerrevisions', ['NAME', 'CONTROLLER', 'REVISION', 'AGE'], []],
  ['jobs', ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'], ['CONTAINERS', 'IMAGES', 'SELECTOR']],
  ['cronjobs', ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'], ['CONTAINERS', 'IMAGES', 'SELECTOR']],
  ['persistentvolumeclaims', ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'], ['VOLUMEMODE']],
  ['persistentvolumes', ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'], ['VOLUMEMODE']],
  ['replicationcontrollers', ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], ['CONTAINERS', 'IMAGES', 'SELECTOR']],
  ['podtemplates', ['NAME', 'CONTAINERS', 'IMAGES', 'POD LABELS'], []],
  ['limitranges', ['NAME', 'CREATED AT'], []],
  ['resourcequotas', ['NAME', 'AGE', 'REQUEST', 'LIMIT'], []],
  ['horizontalpodautoscalers', ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'], []],
];

describe('kubectl get prints upstream\'s columns', () => {
  test.each(headers)('%s', async (resource, normal, wide) => {
    // The valid corpus has put one object of each kind in the namespace (PVs are cluster-wide).
    const rows = table(await kubectlOk(['get', resource, '-n', ns]));
    expect(rows[0]).toEqual(normal);
    expect(rows.length).toBeGreaterThan(1);
    const wideRows = table(await kubectlOk(['get', resource, '-n', ns, '-o', 'wide']));
    expect(wideRows[0]).toEqual([...normal, ...wide]);
  });

  test('cells: job completions, cronjob schedule and suspension, pv access modes, rc selector, daemonset node selector', async () => {
    const cell = async (resource: string, name: string, wide = false) =>
      table(await kubectlOk(['get', resource, name, '-n', ns, ...(wide ? ['-o', 'wide'] : [])]))[1];
    expect((await cell('job', 'pi')).slice(1, 3)).toEqual(['Running', '0/1']);
    // ACTIVE and LAST SCHEDULE are the cronjob controller's once a minute starts.
    expect((await cell('cronjob', 'hello')).slice(0, 4)).toEqual(['hello', '* * * * *', '<none>', 'False']);
    // Empty cells (CLAIM, REASON) vanish when kubectl's padding is split.
    const pvRow = await waitFor('pv Available', async () => { const r = await cell('pv', 'kinds-a-pv'); return r[4] === 'Available' ? r : undefined; }, 20_000, 200);
    expect(pvRow.slice(0, 7)).toEqual(['kinds-a-pv', '5Gi', 'RWO,ROX', 'Retain', 'Available', 'manual', '<unset>']);
    // CURRENT is the replicationcontroller controller's to fill in; the nginx image is not on the node, so none is READY.
    const rcRow = (await cell('rc', 'nginx', true)).slice(1, 4);
    expect([rcRow[0], rcRow[2]]).toEqual(['3', '0']);
    expect((await cell('rc', 'nginx', true)).slice(-1)).toEqual(['app=nginx']);
    // The DaemonSet controller places a pod on every untainted Ready linux node; its image is nowhere to be pulled.
    const nodes = JSON.parse(await kubectlOk(['get', 'nodes', '-o', 'json'])) as { items: { metadata: { labels?: Record<string, string> }; spec?: { taints?: unknown[] }; status?: { conditions?: { type: string; status: string }[] } }[] };
    const linux = String(nodes.items.filter((n) => n.metadata.labels?.['kubernetes.io/os'] === 'linux' && !(n.spec?.taints ?? []).length
      && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length);
    await waitFor('the DaemonSet row', async () => (await cell('ds', 'fluentd-elasticsearch')).slice(1, 7).join() === [linux, linux, '0', linux, '0', 'kubernetes.io/os=linux'].join());
    expect((await cell('sts', 'web')).slice(0, 2)).toEqual(['web', '0/1']);
    expect((await cell('pvc', 'data', true)).slice(1, 2).concat((await cell('pvc', 'data', true)).slice(-1))).toEqual(['Pending', 'Filesystem']);
  });

  test('kubectl get all lists the workloads of category all', async () => {
    const out = await kubectlOk(['get', 'all', '-n', ns]);
    for (const name of ['statefulset.apps/web', 'daemonset.apps/fluentd-elasticsearch', 'job.batch/pi', 'cronjob.batch/hello', 'replicationcontroller/nginx']) {
      expect(out).toContain(name);
    }
  });
});

describe('autoscaling v1 and v2 share one stored object', () => {
  test('each version reads every HPA in its own form, from one etcd key', async () => {
    const v1 = JSON.parse(await kubectlOk(['get', '--raw', `/apis/autoscaling/v1/namespaces/${ns}/horizontalpodautoscalers/web-v2`])) as Json;
    expect(v1).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { minReplicas: 2, maxReplicas: 5 }, status: { currentReplicas: 0, desiredReplicas: 0 } });
    // What v1 cannot express travels in upstream's alpha annotations.
    const ann = (v1.metadata as { annotations: Record<string, string> }).annotations;
    expect(JSON.parse(ann['autoscaling.alpha.kubernetes.io/metrics'])).toEqual([{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }]);
    const cpu = JSON.parse(await kubectlOk(['get', '--raw', `/apis/autoscaling/v1/namespaces/${ns}/horizontalpodautoscalers/web-v1`])) as Json;
    expect(cpu).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { targetCPUUtilizationPercentage: 50 } });
    expect(cpu.metadata).not.toHaveProperty(['annotations', 'autoscaling.alpha.kubernetes.io/metrics']);
    const keys = await etcdKeys(`/registry/horizontalpodautoscalers/${ns}/`);
    expect(keys).toEqual([`/registry/horizontalpodautoscalers/${ns}/web-v1`, `/registry/horizontalpodautoscalers/${ns}/web-v2`]);
  });

  test('a v1 write keeps the v2-only fields', async () => {
    const path1 = `/apis/autoscaling/v1/namespaces/${ns}/horizontalpodautoscalers/web-v2`;
    const v1 = JSON.parse(await kubectlOk(['get', '--raw', path1])) as { spec: { maxReplicas: number } };
    v1.spec.maxReplicas = 7;
    const f = path.join(scratch, 'hpa-v1-update.json');
    writeFileSync(f, JSON.stringify(v1));
    await kubectlOk(['replace', '--raw', path1, '-f', f]);
    const v2 = await getJson('hpa', 'web-v2');
    expect(v2).toMatchObject({ spec: { maxReplicas: 7, metrics: [{ resource: { name: 'memory' } }], behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } });
    expect((v2.metadata as { annotations?: Record<string, string> }).annotations).not.toHaveProperty(['autoscaling.alpha.kubernetes.io/metrics']);
    expect(table(await kubectlOk(['get', 'hpa', 'web-v2', '-n', ns]))[1].slice(1, 6)).toEqual(['Deployment/web', 'memory: <unknown>/500Mi', '2', '7', '0']);
  });
});

describe('subresources, strategic merge and explain on the new kinds', () => {
  test('kubectl scale uses the scale subresource of statefulsets and replicationcontrollers', async () => {
    expect(await kubectlOk(['scale', 'statefulset', 'web', '--replicas=3', '-n', ns])).toBe('statefulset.apps/web scaled\n');
    expect(await kubectlOk(['scale', 'rc', 'nginx', '--replicas=1', '-n', ns])).toBe('replicationcontroller/nginx scaled\n');
    expect((await getJson('sts', 'web')).spec).toMatchObject({ replicas: 3 });
    expect((await getJson('rc', 'nginx')).spec).toMatchObject({ replicas: 1 });
  });

  test('a strategic merge patch merges a statefulset template\'s containers by name', async () => {
    await kubectlOk(['patch', 'statefulset', 'web', '-n', ns, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"registry.k8s.io/nginx-slim:0.27"}]}}}}']);
    const c = ((await getJson('sts', 'web')).spec as { template: { spec: { containers: Json[] } } }).template.spec.containers;
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.27', ports: [{ containerPort: 80, name: 'web' }] });
  });

  test('kubectl explain describes the new kinds from the OpenAPI documents', async () => {
    expect(await kubectlOk(['explain', 'cronjob.spec.concurrencyPolicy'])).toContain('FIELD: concurrencyPolicy <string>');
    expect(await kubectlOk(['explain', 'statefulset.spec.updateStrategy.rollingUpdate.partition'])).toContain('FIELD: partition <integer>');
    expect(await kubectlOk(['explain', 'pvc.spec.accessModes'])).toContain('FIELD: accessModes <[]string>');
  });
});

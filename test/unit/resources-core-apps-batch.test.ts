// Defaults, validation and printer cells of the core/apps/batch/autoscaling kinds added for issue 3:
// cron schedules (robfig's errors), time zones, StatefulSet update rules, Job selector generation, claim
// immutability, HPA version conversion, and the Table cells upstream prints.
import { aggregateMessage } from '../../src/registry/field-error';
import type { KubeObject } from '../../src/registry/resource-types';
import { cronScheduleError } from '../../src/registry/validation/cron-schedule';
import { statefulSetResource } from '../../src/registry/resources/statefulset';
import { daemonSetResource } from '../../src/registry/resources/daemonset';
import { jobResource } from '../../src/registry/resources/job';
import { cronJobResource } from '../../src/registry/resources/cronjob';
import { persistentVolumeClaimResource } from '../../src/registry/resources/persistentvolumeclaim';
import { limitRangeResource } from '../../src/registry/resources/limitrange';
import { jobPrinter, cronJobPrinter } from '../../src/registry/printers/batch';
import { accessModesString, persistentVolumeClaimPrinter } from '../../src/registry/printers/persistent-volumes';
import { resourceQuotaPrinter } from '../../src/registry/printers/namespace-policies';
import { controllerRevisionPrinter, daemonSetPrinter } from '../../src/registry/printers/workloads';
import { goQuantity } from '../../src/registry/validation/go-format';
import { hpaV1ToV2, hpaV2ToV1 } from '../../src/registry/resources/hpa-conversion';

const container = { name: 'c', image: 'busybox:1.36' };

describe('cron schedules', () => {
  test.each([
    ['*/5 * * * *', undefined],
    ['0 0 1 jan,JUL mon-fri', undefined],
    ['@hourly', undefined],
    ['@every 1h30m', undefined],
    ['? * * * *', undefined],
    ['', 'empty spec string'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['0 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['@every 5x', 'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['TZ=Nowhere/City 0 * * * *', 'provided bad location Nowhere/City: unknown time zone Nowhere/City'],
  ])('%j', (spec, want) => {
    expect(cronScheduleError(spec)).toBe(want);
  });
});

function cronJob(spec: object): KubeObject {
  return {
    metadata: { name: 'cj', namespace: 'default' },
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container] } } } }, ...spec },
  };
}

describe('cronjobs', () => {
  const s = cronJobResource().strategy;
  test('defaults and a valid time zone', () => {
    const o = cronJob({ timeZone: 'Europe/Paris' });
    s.defaults?.(o);
    expect(o.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(s.validate?.(o)).toEqual([]);
  });
  test('a Local or empty time zone is refused', () => {
    for (const [tz, msg] of [['Local', 'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
      ['', 'spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string'],
      ['../etc', 'spec.timeZone: Invalid value: "../etc": unknown time zone ../etc']]) {
      const o = cronJob({ timeZone: tz });
      s.defaults?.(o);
      expect(aggregateMessage(s.validate?.(o) ?? []).split(', ')[0].replace(/^\[/, '')).toBe(msg);
    }
  });
  test('a jobTemplate selector is refused: the server generates it', () => {
    const o = cronJob({});
    (o.spec as { jobTemplate: { spec: object } }).jobTemplate.spec = { ...(o.spec as { jobTemplate: { spec: object } }).jobTemplate.spec, selector: { matchLabels: { a: 'b' } } };
    s.defaults?.(o);
    expect(aggregateMessage(s.validate?.(o) ?? [])).toBe(
      'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated');
  });
});

describe('jobs', () => {
  const s = jobResource().strategy;
  const job = (spec: object = {}): KubeObject => ({
    metadata: { name: 'j', namespace: 'default', uid: 'u-1' },
    spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container] } }, ...spec },
  });
  test('parallelism alone leaves completions unset; backoffLimitPerIndex makes backoffLimit MaxInt32', () => {
    const o = job({ parallelism: 3, backoffLimitPerIndex: 1, completionMode: 'Indexed', completions: 3 });
    s.defaults?.(o);
    expect(o.spec).toMatchObject({ parallelism: 3, completions: 3, backoffLimit: 2147483647 });
    const p = job({ parallelism: 3 });
    s.defaults?.(p);
    expect((p.spec as { completions?: number }).completions).toBeUndefined();
  });
  test('the generated selector and labels use the uid; a user selector without manualSelector is refused', async () => {
    const o = job();
    s.defaults?.(o);
    await s.prepareForCreate?.(o, {});
    expect(o.spec).toMatchObject({ selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } } });
    expect(s.validate?.(o)).toEqual([]);
    const bad = job({ selector: { matchLabels: { app: 'x' } } });
    (bad.spec as { template: { metadata?: object } }).template.metadata = { labels: { app: 'x' } };
    s.defaults?.(bad);
    await s.prepareForCreate?.(bad, {});
    expect((s.validate?.(bad) ?? []).map(String)).toContain(
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x", "batch.kubernetes.io/controller-uid":"u-1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated');
  });
  test('the template is immutable', async () => {
    const old = job();
    s.defaults?.(old);
    await s.prepareForCreate?.(old, {});
    const next = structuredClone(old);
    (next.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'busybox:1.37';
    expect((s.validateUpdate?.(next, old) ?? []).map((e) => e.field)).toEqual(['spec.template']);
  });
  test('a suspended Job that never started may change its scheduling directives, not its containers', async () => {
    const old = job({ suspend: true });
    s.defaults?.(old);
    await s.prepareForCreate?.(old, {});
    const next = structuredClone(old);
    const spec = (next.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    spec.nodeSelector = { zone: 'a' };
    spec.tolerations = [{ key: 'gpu', operator: 'Exists' }];
    expect(s.validateUpdate?.(next, old)).toEqual([]);
    (spec.containers as { image: string }[])[0].image = 'busybox:1.37';
    expect((s.validateUpdate?.(next, old) ?? []).map((e) => e.field)).toEqual(['spec.template']);
    const started = structuredClone(old);
    started.status = { startTime: '2024-01-01T00:00:00Z' };
    const moved = structuredClone(started);
    (moved.spec as { template: { spec: Record<string, unknown> } }).template.spec.nodeSelector = { zone: 'b' };
    expect((s.validateUpdate?.(moved, started) ?? []).map((e) => e.field)).toEqual(['spec.template']);
  });
});

describe('statefulsets and daemonsets', () => {
  const sts = statefulSetResource().strategy;
  const set = (spec: object = {}): KubeObject => ({
    metadata: { name: 'web', namespace: 'default' },
    spec: { serviceName: 'web', selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' } }, spec: { containers: [container] } }, ...spec },
  });
  test('OnDelete with a rollingUpdate block is refused', () => {
    const o = set({ updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 2 } } });
    sts.defaults?.(o);
    expect(aggregateMessage(sts.validate?.(o) ?? [])).toBe(
      "spec.updateStrategy.rollingUpdate: Invalid value: &apps.RollingUpdateStatefulSetStrategy{Partition:2, MaxUnavailable:<nil>}: only allowed for updateStrategy 'RollingUpdate'");
  });
  test('replicas, template and update strategy may change; volumeClaimTemplates may not', () => {
    const old = set();
    sts.defaults?.(old);
    const ok = set({ replicas: 5, updateStrategy: { type: 'OnDelete' } });
    sts.defaults?.(ok);
    expect(sts.validateUpdate?.(ok, old)).toEqual([]);
    const bad = set({ volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] });
    sts.defaults?.(bad);
    expect((sts.validateUpdate?.(bad, old) ?? []).map((e) => `${e.field}: ${e.type}`)).toEqual(['spec: Forbidden']);
  });
  test('a changed daemonset template bumps the template generation annotation', async () => {
    const ds = daemonSetResource().strategy;
    const old: KubeObject = { metadata: { name: 'd', namespace: 'default' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [container] } } } };
    ds.defaults?.(old);
    await ds.prepareForCreate?.(old, {});
    const next = structuredClone(old);
    (next.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'busybox:1.37';
    ds.prepareForUpdate?.(next, old);
    expect(next.metadata?.annotations?.['deprecated.daemonset.template.generation']).toBe('2');
  });
});

describe('claims and limit ranges', () => {
  test('a bound claim may grow its storage request, an unbound one may not change', () => {
    const s = persistentVolumeClaimResource().strategy;
    const claim = (storage: string, phase: string): KubeObject => ({
      metadata: { name: 'c', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], volumeName: 'pv-1', resources: { requests: { storage } } }, status: { phase, capacity: { storage: '1Gi' } },
    });
    expect(s.validateUpdate?.(claim('2Gi', 'Bound'), claim('1Gi', 'Bound'))).toEqual([]);
    expect((s.validateUpdate?.(claim('2Gi', 'Pending'), claim('1Gi', 'Pending')) ?? []).map((e) => e.field)).toEqual(['spec']);
  });
  test('container limit defaults come from max, then default, then min', () => {
    const s = limitRangeResource().strategy;
    const o: KubeObject = { metadata: { name: 'l', namespace: 'default' }, spec: { limits: [{ type: 'Container', max: { memory: '1024Mi' }, min: { cpu: '100m' } }] } };
    s.defaults?.(o);
    expect(o.spec).toEqual({ limits: [{ type: 'Container', max: { memory: '1Gi' }, min: { cpu: '100m' }, default: { memory: '1Gi' }, defaultRequest: { cpu: '100m', memory: '1Gi' } }] });
  });
  test('Go renders a quantity with its cached string only when canonical', () => {
    expect(goQuantity('100m')).toBe('resource.Quantity{i:resource.int64Amount{value:100, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"100m", Format:"DecimalSI"}');
    expect(goQuantity('1024Mi')).toBe('resource.Quantity{i:resource.int64Amount{value:1073741824, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"BinarySI"}');
  });
});

describe('printer cells', () => {
  // A clock frozen on a whole second, so ages computed from second-precision timestamps are exact.
  const now = Math.floor(Date.now() / 1000) * 1000;
  beforeEach(() => { jest.useFakeTimers({ now }); });
  afterEach(() => { jest.useRealTimers(); });
  const iso = (msAgo: number) => new Date(now - msAgo).toISOString().replace(/\.\d+Z$/, 'Z');
  test('job status, completions and duration', () => {
    const done = { metadata: { name: 'j', creationTimestamp: iso(120_000) }, spec: { completions: 3, selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [container] } } },
      status: { succeeded: 3, startTime: iso(100_000), completionTime: iso(40_000), conditions: [{ type: 'Complete', status: 'True' }] } };
    expect(jobPrinter.row(done).slice(0, 4)).toEqual(['j', 'Complete', '3/3', '60s']);
    const parallel = { metadata: { name: 'p' }, spec: { parallelism: 4, template: {} }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } };
    expect(jobPrinter.row(parallel).slice(1, 4)).toEqual(['Suspended', '0/1 of 4', '']);
  });
  test('cronjob suspension, active jobs and last schedule', () => {
    const cj = { metadata: { name: 'c' }, spec: { schedule: '@hourly', timeZone: 'UTC', suspend: true, jobTemplate: {} }, status: { active: [{ name: 'x' }], lastScheduleTime: iso(30 * 60_000) } };
    // Minutes, so a slow run's extra second cannot change the cell.
    expect(cronJobPrinter.row(cj).slice(0, 6)).toEqual(['c', '@hourly', 'UTC', 'True', 1, '30m']);
  });
  test('access modes, claim capacity once bound, quota usage, controller revision owner, daemonset selector', () => {
    expect(accessModesString(['ReadWriteOncePod', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'])).toBe('RWO,RWX,RWOP');
    const pvc = { metadata: { name: 'c' }, spec: { volumeName: 'pv1', volumeMode: 'Block' }, status: { phase: 'Bound', capacity: { storage: '1024Mi' }, accessModes: ['ReadWriteOnce'] } };
    expect(persistentVolumeClaimPrinter.row(pvc)).toEqual(['c', 'Bound', 'pv1', '1Gi', 'RWO', '', '<unset>', '<unknown>', 'Block']);
    const rq = { metadata: { name: 'q' }, status: { hard: { pods: '10', 'limits.cpu': '2', 'requests.cpu': '1' }, used: { pods: '1' } } };
    expect(resourceQuotaPrinter.row(rq).slice(2)).toEqual(['pods: 1/10, requests.cpu: 0/1', 'limits.cpu: 0/2']);
    const cr = { metadata: { name: 'r', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] }, revision: 2 };
    expect(controllerRevisionPrinter.row(cr).slice(0, 3)).toEqual(['r', 'statefulset.apps/web', 2]);
    expect(daemonSetPrinter.row({ metadata: { name: 'd' }, spec: { template: {} } }).slice(6)).toEqual(['<none>', '<unknown>', '', '', '<none>']);
  });
});

describe('autoscaling v1 <-> v2 conversion', () => {
  const v2: KubeObject = {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'default' },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 30 } },
    },
    status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40 } } }],
      conditions: [{ type: 'AbleToScale', status: 'True' }] },
  };
  test('the CPU target maps to v1 fields, the rest to annotations, and back unchanged', () => {
    const v1 = hpaV2ToV1(v2);
    expect(v1).toMatchObject({
      apiVersion: 'autoscaling/v1', spec: { targetCPUUtilizationPercentage: 60, minReplicas: 1, maxReplicas: 4 },
      status: { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 40 },
    });
    expect(Object.keys(v1.metadata?.annotations ?? {}).sort()).toEqual([
      'autoscaling.alpha.kubernetes.io/behavior', 'autoscaling.alpha.kubernetes.io/conditions', 'autoscaling.alpha.kubernetes.io/metrics']);
    expect(hpaV1ToV2(v1)).toEqual(v2);
  });
  test('a v1 object without a CPU target converts to no metrics (v2 defaults add 80%)', () => {
    const out = hpaV1ToV2({ apiVersion: 'autoscaling/v1', metadata: { name: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'w' }, maxReplicas: 2 } });
    expect(out.spec).toEqual({ scaleTargetRef: { kind: 'Deployment', name: 'w' }, maxReplicas: 2 });
  });
});

// Pod defaults, QoS, create/update validation and field attributes.
import type { Pod } from 'kubernetes-types/core/v1';
import { aggregateMessage } from '../../src/registry/field-error';
import type { KubeObject } from '../../src/registry/resource-types';
import { defaultImagePullPolicy } from '../../src/registry/resources/pod-defaults';
import { podQOSClass } from '../../src/registry/resources/pod-qos';
import { podResource } from '../../src/registry/resources/pod';
import { StatusError } from '../../src/registry/errors';

const def = podResource();
const s = def.strategy;

function newPod(containers: object[] = [{ name: 'web', image: 'nginx' }]): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers } };
}

function created(o: KubeObject): Pod {
  s.defaults?.(o);
  void s.prepareForCreate?.(o, {});
  return o as Pod;
}

describe('pod defaults', () => {
  test('pull policy by tag', () => {
    expect(defaultImagePullPolicy('nginx')).toBe('Always');
    expect(defaultImagePullPolicy('nginx:latest')).toBe('Always');
    expect(defaultImagePullPolicy('nginx:1.25')).toBe('IfNotPresent');
    expect(defaultImagePullPolicy('localhost:5000/app')).toBe('Always');
    expect(defaultImagePullPolicy('localhost:5000/app:v1')).toBe('IfNotPresent');
    expect(defaultImagePullPolicy('nginx@sha256:abc')).toBe('IfNotPresent');
  });

  test('spec and container defaults plus status on create', () => {
    const pod = created(newPod([{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }]));
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler',
      securityContext: {}, enableServiceLinks: true, priority: 0, preemptionPolicy: 'PreemptLowerPriority',
    });
    expect(pod.spec?.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {},
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  test('limits default requests and canonical quantities', () => {
    const pod = created(newPod([{ name: 'a', image: 'x', resources: { limits: { cpu: '1000m', memory: '1024Mi' } } }]));
    expect(pod.spec?.containers[0].resources).toEqual({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } });
    expect(pod.status?.qosClass).toBe('Guaranteed');
  });

  test('bad quantity is a 400 decode error', () => {
    try {
      s.defaults?.(newPod([{ name: 'a', image: 'x', resources: { requests: { cpu: 'lots' } } }]));
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(StatusError);
      expect((e as StatusError).code).toBe(400);
      expect((e as StatusError).message).toBe("Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }
  });
});

describe('qos', () => {
  test('classes', () => {
    expect(podQOSClass({ containers: [{ name: 'a' }] })).toBe('BestEffort');
    expect(podQOSClass({ containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }] })).toBe('Burstable');
    expect(podQOSClass({ containers: [{ name: 'a', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }] })).toBe('Guaranteed');
    expect(podQOSClass({ containers: [{ name: 'a', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }] })).toBe('Burstable');
  });
});

describe('pod validation', () => {
  const validate = (o: KubeObject) => aggregateMessage(s.validate?.(created(o) as KubeObject) ?? []);

  test('valid pod', () => {
    expect(s.validate?.(created(newPod()) as KubeObject)).toEqual([]);
  });

  test('image required', () => {
    expect(validate(newPod([{ name: 'web' }]))).toBe('spec.containers[0].image: Required value');
  });

  test('containers required', () => {
    expect(validate(newPod([]))).toBe('spec.containers: Required value');
  });

  test('duplicate and invalid names', () => {
    const msg = validate(newPod([{ name: 'a', image: 'x' }, { name: 'a', image: 'x' }, { name: 'B', image: 'x' }]));
    expect(msg).toContain('spec.containers[1].name: Duplicate value: "a"');
    expect(msg).toContain('spec.containers[2].name: Invalid value: "B": a lowercase RFC 1123 label must consist of');
  });

  test('ports and restart policy', () => {
    const o = newPod([{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }]);
    (o.spec as { restartPolicy: string }).restartPolicy = 'Sometimes';
    expect(validate(o)).toBe('[spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive, ' +
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]');
  });

  test('requests above limits', () => {
    expect(validate(newPod([{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }])))
      .toBe('spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1');
  });

  test('volume mounts must name a volume', () => {
    expect(validate(newPod([{ name: 'a', image: 'x', volumeMounts: [{ name: 'v', mountPath: '/d' }] }])))
      .toBe('spec.containers[0].volumeMounts[0].name: Not found: "v"');
  });
});

describe('pod update', () => {
  test('image may change, other fields may not', () => {
    const old = created(newPod()) as KubeObject;
    const next = structuredClone(old);
    ((next as Pod).spec as { containers: { image: string }[] }).containers[0].image = 'nginx:2';
    s.defaults?.(next);
    s.prepareForUpdate?.(next, old);
    expect(s.validateUpdate?.(next, old)).toEqual([]);

    const bad = structuredClone(old);
    ((bad as Pod).spec as { restartPolicy: string }).restartPolicy = 'Never';
    const errs = s.validateUpdate?.(bad, old) ?? [];
    expect(errs).toHaveLength(1);
    expect(String(errs[0])).toMatch(/^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/);
  });

  test('adding containers is forbidden', () => {
    const old = created(newPod()) as KubeObject;
    const next = created(newPod([{ name: 'web', image: 'nginx' }, { name: 'b', image: 'x' }])) as KubeObject;
    expect((s.validateUpdate?.(next, old) ?? []).map(String)).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
  });
});

describe('pod field attributes', () => {
  test('all supported keys are present', () => {
    expect(Object.keys(s.fieldAttributes?.({}) ?? {}).sort()).toEqual([
      'spec.hostNetwork', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName',
      'status.nominatedNodeName', 'status.phase', 'status.podIP',
    ]);
  });
});

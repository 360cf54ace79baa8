// Protobuf request bodies: golden bodies captured from kubectl 1.32 must decode to exactly the JSON that kubectl
// itself prints for the same command with --dry-run=client -o json; synthetic bodies cover the special types.
import * as fs from 'fs';
import * as path from 'path';
import { decodeKubernetesProtobuf, isProtobufMediaType, ProtobufDecodeError } from '../../src/api/protobuf-decode';
import { goDuration } from '../../src/api/protobuf-json';
import { lookupMessage } from '../../src/api/protobuf-schema';

const fixtures = path.join(__dirname, 'protobuf-fixtures');

function envelope(apiVersion: string, kind: string, raw: Uint8Array, contentEncoding = ''): Buffer {
  const unknown = lookupMessage('k8s.io.apimachinery.pkg.runtime.Unknown');
  if (!unknown) throw new Error('runtime.Unknown missing');
  const body = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding })).finish();
  return Buffer.concat([Buffer.from('k8s\0', 'binary'), Buffer.from(body)]);
}

function encode(apiVersion: string, kind: string, message: string, object: Record<string, unknown>): Buffer {
  const type = lookupMessage(message);
  if (!type) throw new Error(`${message} missing`);
  const err = type.verify(object);
  if (err) throw new Error(err);
  return envelope(apiVersion, kind, type.encode(type.fromObject(object)).finish());
}

describe('kubectl 1.32 golden bodies', () => {
  const cases = fs.readdirSync(fixtures).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
  test('fixtures present', () => expect(cases.length).toBeGreaterThanOrEqual(20));
  test.each(cases)('%s', (name) => {
    const want: unknown = JSON.parse(fs.readFileSync(path.join(fixtures, `${name}.json`), 'utf8'));
    const got = decodeKubernetesProtobuf(fs.readFileSync(path.join(fixtures, `${name}.bin`)));
    // Key order too: the object should serialise byte-for-byte like the Go client's JSON.
    expect(JSON.stringify(got.object)).toBe(JSON.stringify(want));
    expect(got.object['kind']).toBe(got.kind);
    expect(got.object['apiVersion']).toBe(got.apiVersion);
  });
});

describe('decodeKubernetesProtobuf', () => {
  test('pod with volumes, probes, resources, security context and scheduling', () => {
    const body = encode('v1', 'Pod', 'k8s.io.api.core.v1.Pod', {
      metadata: {
        name: 'p', namespace: 'ns', labels: { a: 'b' }, creationTimestamp: { seconds: 1767225600 },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }],
      },
      spec: {
        containers: [{
          name: 'c', image: 'busybox', command: ['sh'], args: ['-c', 'sleep 1'],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'C', valueFrom: { secretKeyRef: { localObjectReference: { name: 's' }, key: 'k', optional: false } } },
            { name: 'D', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: { string: '1m' } } } },
          ],
          envFrom: [{ prefix: 'P_', configMapRef: { localObjectReference: { name: 'cm' } } }],
          resources: { limits: { cpu: { string: '500m' }, memory: { string: '128Mi' } }, requests: { cpu: { string: '100m' } } },
          volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
          livenessProbe: { handler: { httpGet: { path: '/healthz', port: { type: 1, strVal: 'http' } } }, periodSeconds: 5 },
          readinessProbe: { handler: { tcpSocket: { port: { type: 0, intVal: 8080 } } } },
          startupProbe: { handler: { exec: { command: ['true'] } }, failureThreshold: 30 },
          lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
          securityContext: { runAsUser: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        }],
        volumes: [
          { name: 'data', volumeSource: { emptyDir: { medium: 'Memory', sizeLimit: { string: '1Gi' } } } },
          { name: 'cfg', volumeSource: { configMap: { localObjectReference: { name: 'cm' }, items: [{ key: 'a', path: 'a.txt' }], defaultMode: 420 } } },
          { name: 'sec', volumeSource: { secret: { secretName: 's', optional: true } } },
          { name: 'host', volumeSource: { hostPath: { path: '/var/log', type: 'Directory' } } },
          { name: 'claim', volumeSource: { persistentVolumeClaim: { claimName: 'pvc' } } },
          { name: 'proj', volumeSource: { projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } } },
          { name: 'dapi', volumeSource: { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } } },
        ],
        restartPolicy: 'Always', terminationGracePeriodSeconds: 0, nodeSelector: { disk: 'ssd' },
        securityContext: { fsGroup: 2000 },
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
          { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
      },
    });
    const { object } = decodeKubernetesProtobuf(body);
    expect(object).toEqual({
      kind: 'Pod', apiVersion: 'v1',
      metadata: {
        name: 'p', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z', labels: { a: 'b' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }],
      },
      spec: {
        volumes: [
          { name: 'data', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
          { name: 'cfg', configMap: { name: 'cm', items: [{ key: 'a', path: 'a.txt' }], defaultMode: 420 } },
          { name: 'sec', secret: { secretName: 's', optional: true } },
          { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
          { name: 'claim', persistentVolumeClaim: { claimName: 'pvc' } },
          { name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
          { name: 'dapi', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        ],
        containers: [{
          name: 'c', image: 'busybox', command: ['sh'], args: ['-c', 'sleep 1'],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          envFrom: [{ prefix: 'P_', configMapRef: { name: 'cm' } }],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'C', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: false } } },
            { name: 'D', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
          ],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
          volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
          livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
          readinessProbe: { tcpSocket: { port: 8080 } },
          startupProbe: { exec: { command: ['true'] }, failureThreshold: 30 },
          lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
          securityContext: { capabilities: { drop: ['ALL'] }, runAsUser: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false },
        }],
        restartPolicy: 'Always', terminationGracePeriodSeconds: 0, nodeSelector: { disk: 'ssd' },
        securityContext: { fsGroup: 2000 },
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
          { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }],
      },
      status: {},
    });
  });

  test('zero-valued Go value fields are omitted or kept exactly as encoding/json would', () => {
    // Go clients always write non-pointer scalars, even when zero.
    const { object } = decodeKubernetesProtobuf(encode('v1', 'Service', 'k8s.io.api.core.v1.Service', {
      metadata: { name: 's', generateName: '', uid: '', generation: 0 },
      spec: { ports: [{ name: '', protocol: 'TCP', port: 80, targetPort: { type: 0, intVal: 0 }, nodePort: 0 }], clusterIP: '' },
    }));
    expect(object).toEqual({
      kind: 'Service', apiVersion: 'v1',
      metadata: { name: 's', creationTimestamp: null },
      spec: { ports: [{ protocol: 'TCP', port: 80, targetPort: 0 }] },
      status: { loadBalancer: {} },
    });
  });

  test('deployment: pointer fields keep an explicit zero, strategy and intstr percentages', () => {
    const { object } = decodeKubernetesProtobuf(encode('apps/v1', 'Deployment', 'k8s.io.api.apps.v1.Deployment', {
      metadata: { name: 'd' },
      spec: {
        replicas: 0, paused: false,
        selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['x'] }] },
        template: { spec: { containers: [{ name: 'c', image: 'i' }] } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: { type: 1, strVal: '25%' }, maxSurge: { type: 0, intVal: 1 } } },
      },
    }));
    expect(object['spec']).toEqual({
      replicas: 0,
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['x'] }] },
      template: { metadata: { creationTimestamp: null }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
    });
  });

  test('configmap binaryData and secret data become base64; immutable pointer kept', () => {
    const cm = decodeKubernetesProtobuf(encode('v1', 'ConfigMap', 'k8s.io.api.core.v1.ConfigMap', {
      metadata: { name: 'c' }, immutable: false, data: { a: 'b' }, binaryData: { bin: Buffer.from([0, 1, 2, 255]) },
    })).object;
    expect(cm).toEqual({
      kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', creationTimestamp: null },
      immutable: false, data: { a: 'b' }, binaryData: { bin: 'AAEC/w==' },
    });
    const secret = decodeKubernetesProtobuf(encode('v1', 'Secret', 'k8s.io.api.core.v1.Secret', {
      metadata: { name: 's' }, data: { pw: Buffer.from('hunter2') }, stringData: { x: 'y' }, type: 'Opaque',
    })).object;
    expect(secret).toEqual({
      kind: 'Secret', apiVersion: 'v1', metadata: { name: 's', creationTimestamp: null },
      data: { pw: 'aHVudGVyMg==' }, stringData: { x: 'y' }, type: 'Opaque',
    });
  });

  test('lease MicroTime keeps microseconds; Time drops sub-second precision', () => {
    const { object } = decodeKubernetesProtobuf(encode('coordination.k8s.io/v1', 'Lease', 'k8s.io.api.coordination.v1.Lease', {
      metadata: { name: 'l', namespace: 'kube-node-lease', creationTimestamp: { seconds: 1767225600, nanos: 999 } },
      spec: { holderIdentity: 'node1', leaseDurationSeconds: 40, renewTime: { seconds: 1767225601, nanos: 123456789 } },
    }));
    expect(object).toEqual({
      kind: 'Lease', apiVersion: 'coordination.k8s.io/v1',
      metadata: { name: 'l', namespace: 'kube-node-lease', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { holderIdentity: 'node1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:01.123456Z' },
    });
  });

  test('managedFields FieldsV1 and RawExtension are parsed JSON', () => {
    const { object } = decodeKubernetesProtobuf(encode('apps/v1', 'ControllerRevision', 'k8s.io.api.apps.v1.ControllerRevision', {
      metadata: {
        name: 'r',
        managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', time: { seconds: 0 }, fieldsType: 'FieldsV1',
          fieldsV1: { Raw: Buffer.from('{"f:metadata":{}}') } }],
      },
      data: { raw: Buffer.from('{"spec":{"x":1}}') },
      revision: 3,
    }));
    expect(object).toEqual({
      kind: 'ControllerRevision', apiVersion: 'apps/v1',
      metadata: {
        name: 'r', creationTimestamp: null,
        managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', time: '1970-01-01T00:00:00Z',
          fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }],
      },
      data: { spec: { x: 1 } },
      revision: 3,
    });
  });

  test('job and cronjob specs', () => {
    const job = decodeKubernetesProtobuf(encode('batch/v1', 'CronJob', 'k8s.io.api.batch.v1.CronJob', {
      metadata: { name: 'cj' },
      spec: {
        schedule: '0 * * * *', concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 3,
        jobTemplate: { spec: { backoffLimit: 2, completions: 1, parallelism: 1, activeDeadlineSeconds: 600,
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'i' }] } } } },
      },
    })).object;
    expect(job['spec']).toEqual({
      schedule: '0 * * * *', concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { creationTimestamp: null },
        spec: { parallelism: 1, completions: 1, activeDeadlineSeconds: 600, backoffLimit: 2,
          template: { metadata: { creationTimestamp: null }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }], restartPolicy: 'OnFailure' } } },
      },
    });
  });

  test('DeleteOptions under any apiVersion, and eviction', () => {
    const opts = decodeKubernetesProtobuf(encode('v1', 'DeleteOptions', 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions', {
      gracePeriodSeconds: 0, propagationPolicy: 'Foreground', preconditions: { uid: 'u', resourceVersion: '5' }, dryRun: ['All'],
    }));
    expect(opts.object).toEqual({
      kind: 'DeleteOptions', apiVersion: 'v1',
      gracePeriodSeconds: 0, preconditions: { uid: 'u', resourceVersion: '5' }, propagationPolicy: 'Foreground', dryRun: ['All'],
    });
    const ev = decodeKubernetesProtobuf(encode('policy/v1', 'Eviction', 'k8s.io.api.policy.v1.Eviction', {
      metadata: { name: 'p', namespace: 'n' }, deleteOptions: { gracePeriodSeconds: 30 },
    }));
    expect(ev.object).toEqual({
      kind: 'Eviction', apiVersion: 'policy/v1',
      metadata: { name: 'p', namespace: 'n', creationTimestamp: null }, deleteOptions: { gracePeriodSeconds: 30 },
    });
  });

  test('authorization extra values render as string arrays', () => {
    const { object } = decodeKubernetesProtobuf(encode('authorization.k8s.io/v1', 'SubjectAccessReview',
      'k8s.io.api.authorization.v1.SubjectAccessReview', {
        spec: { user: 'u', groups: ['g'], extra: { scopes: { items: ['a', 'b'] } }, nonResourceAttributes: { path: '/x', verb: 'get' } },
      }));
    expect(object['spec']).toEqual({ nonResourceAttributes: { path: '/x', verb: 'get' }, user: 'u', groups: ['g'], extra: { scopes: ['a', 'b'] } });
  });

  test('rejects bodies without the magic, with unknown kinds, encodings or broken bytes', () => {
    const reason = (body: Buffer) => {
      try { decodeKubernetesProtobuf(body); } catch (err) { return err instanceof ProtobufDecodeError ? err.reason : 'other'; }
      return 'none';
    };
    expect(reason(Buffer.from('{"kind":"Pod"}'))).toBe('NotKubernetesProtobuf');
    expect(reason(envelope('v1', 'Widget', new Uint8Array()))).toBe('UnknownKind');
    expect(reason(envelope('v1', 'PodSpec', new Uint8Array()))).toBe('UnknownKind');
    expect(reason(envelope('apps.example.com/v1', 'Deployment', new Uint8Array()))).toBe('UnknownKind');
    expect(reason(envelope('v1', 'Pod', new Uint8Array(), 'gzip'))).toBe('UnsupportedEncoding');
    expect(reason(envelope('v1', 'Pod', Uint8Array.from([0x0a, 0x05, 0x01])))).toBe('Malformed');
    expect(reason(fs.readFileSync(path.join(fixtures, 'selfsubjectreview-v1beta1.bin')))).toBe('UnknownKind');
  });
});

test('isProtobufMediaType', () => {
  expect(isProtobufMediaType('application/vnd.kubernetes.protobuf')).toBe(true);
  expect(isProtobufMediaType('Application/VND.Kubernetes.Protobuf; charset=utf-8')).toBe(true);
  expect(isProtobufMediaType('application/json')).toBe(false);
  expect(isProtobufMediaType('')).toBe(false);
});

test('goDuration matches time.Duration.String', () => {
  expect(goDuration(0)).toBe('0s');
  expect(goDuration(1.5e9)).toBe('1.5s');
  expect(goDuration(3600e9)).toBe('1h0m0s');
  expect(goDuration(90e9)).toBe('1m30s');
  expect(goDuration(2e6)).toBe('2ms');
  expect(goDuration(-5e9)).toBe('-5s');
});

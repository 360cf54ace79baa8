// Guards proto/k8s against accidental edits: field numbers are wire facts, and every field note must be one
// the JSON renderer understands.
import { Type } from 'protobufjs';
import { lookupMessage, protobufRoot, typeForKind } from '../../src/api/protobuf-schema';

function fieldIds(name: string): Record<string, number> {
  const type = lookupMessage(name);
  if (!type) throw new Error(`${name} missing`);
  return Object.fromEntries(type.fieldsArray.map((f) => [f.name, f.id]));
}

test('well-known field numbers', () => {
  expect(fieldIds('k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta')).toMatchObject({
    name: 1, generateName: 2, namespace: 3, uid: 5, resourceVersion: 6, creationTimestamp: 8, labels: 11, annotations: 12,
    ownerReferences: 13, finalizers: 14, managedFields: 17,
  });
  expect(fieldIds('k8s.io.apimachinery.pkg.runtime.Unknown')).toEqual({ typeMeta: 1, raw: 2, contentEncoding: 3, contentType: 4 });
  expect(fieldIds('k8s.io.api.core.v1.Container')).toMatchObject({
    name: 1, image: 2, command: 3, args: 4, workingDir: 5, ports: 6, env: 7, resources: 8, volumeMounts: 9, livenessProbe: 10,
    readinessProbe: 11, lifecycle: 12, imagePullPolicy: 14, securityContext: 15, envFrom: 19, startupProbe: 22, resizePolicy: 23,
  });
  expect(fieldIds('k8s.io.api.apps.v1.DeploymentSpec')).toMatchObject({
    replicas: 1, selector: 2, template: 3, strategy: 4, minReadySeconds: 5, revisionHistoryLimit: 6, paused: 7, progressDeadlineSeconds: 9,
  });
  expect(fieldIds('k8s.io.api.core.v1.Secret')).toMatchObject({ metadata: 1, data: 2, type: 3, stringData: 4, immutable: 5 });
});

test('every field note is understood', () => {
  const known = /^(ptr|omitempty|inline|nilable|json=[A-Za-z0-9]+)$/;
  const visit = (ns: { nestedArray: unknown[] }): number => {
    let count = 0;
    for (const child of ns.nestedArray) {
      if (child instanceof Type) {
        for (const f of child.fieldsArray) {
          const note = f.options?.['(kubets.json)'];
          if (note === undefined) continue;
          expect(typeof note).toBe('string');
          for (const part of String(note).split(',').filter((p) => p !== '')) expect(part).toMatch(known);
          count++;
        }
      } else if (typeof child === 'object' && child !== null && 'nestedArray' in child) {
        count += visit(child as { nestedArray: unknown[] });
      }
    }
    return count;
  };
  expect(visit(protobufRoot())).toBeGreaterThan(1000);
});

test.each([
  ['v1', 'Namespace'], ['v1', 'Pod'], ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'Service'], ['v1', 'ServiceAccount'],
  ['apps/v1', 'Deployment'], ['apps/v1', 'ReplicaSet'], ['batch/v1', 'Job'], ['batch/v1', 'CronJob'],
  ['authentication.k8s.io/v1', 'TokenRequest'], ['authorization.k8s.io/v1', 'SelfSubjectAccessReview'],
  ['coordination.k8s.io/v1', 'Lease'], ['policy/v1', 'Eviction'], ['meta.k8s.io/v1', 'DeleteOptions'],
])('%s %s resolves', (apiVersion, kind) => {
  expect(typeForKind(apiVersion, kind)).toBeDefined();
});

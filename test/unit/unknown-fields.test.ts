// Strict field detection: upstream's paths and message wording.
import {
  strictDecodingError, strictDecodingMessage, UnknownFieldDetector, unknownFieldWarnings,
} from '../../src/registry/unknown-fields';
import type { Schema } from '../../src/registry/schema-types';
import { schemaSource } from './definitions-fixture';

describe('unknown fields', () => {
  const detector = new UnknownFieldDetector(schemaSource());

  it('accepts a well-formed pod', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'a', labels: { x: 'y' }, annotations: { any: 'thing' } },
      spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }] },
    };
    expect(detector.find('io.k8s.api.core.v1.Pod', pod)).toEqual([]);
  });

  it('reports nested unknown fields with list indexes', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', foo: 1,
      metadata: { name: 'a', bogus: true },
      spec: { containers: [{ name: 'c' }, { name: 'd', foo: 'x', env: [{ name: 'e', valueFrom: { nope: 1 } }] }], bar: {} },
    };
    expect(detector.find('io.k8s.api.core.v1.Pod', pod)).toEqual([
      'foo', 'metadata.bogus', 'spec.containers[1].foo', 'spec.containers[1].env[0].valueFrom.nope', 'spec.bar',
    ]);
  });

  it('does not look inside raw JSON fields', () => {
    const cr = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x',
      managedFields: [{ fieldsV1: { 'f:anything': {} } }] },
    spec: { group: 'g', names: { kind: 'K', plural: 'ks' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', default: { whatever: 1 }, properties: { spec: { type: 'object' } } } } }] } };
    expect(detector.find('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition', cr)).toEqual([]);
  });

  it('walks CRD structural schemas, honouring preserve-unknown-fields', () => {
    const schema: Schema = { type: 'object', properties: {
      spec: { type: 'object', properties: { size: { type: 'integer' }, free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
    } };
    expect(detector.findWithSchema(schema, { spec: { size: 1, extra: 2, free: { a: { b: 1 } } }, other: 1 }))
      .toEqual(['spec.extra', 'other']);
  });

  it('words messages like upstream', () => {
    expect(strictDecodingMessage(['spec.foo', 'spec.bar']))
      .toBe('strict decoding error: unknown field "spec.foo", unknown field "spec.bar"');
    expect(unknownFieldWarnings(['spec.foo'])).toEqual(['unknown field "spec.foo"']);
    const err = strictDecodingError('Deployment', 'apps/v1', ['spec.foo']);
    expect(err.code).toBe(400);
    expect(err.message).toBe('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"');
  });
});

// Name/label/annotation validators and object-meta validation produce upstream's messages.
import { FieldPath } from '../../src/registry/field-error';
import {
  isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortName,
  nameIsDNSSubdomain,
} from '../../src/registry/validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../src/registry/validation/object-meta';
import { validateLabelSelector } from '../../src/registry/validation/label-selector';
import { aggregateMessage } from '../../src/registry/field-error';

describe('name validators', () => {
  test('DNS-1123 subdomain', () => {
    expect(isDNS1123Subdomain('example.com')).toEqual([]);
    expect(isDNS1123Subdomain('Bad_Name')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(isDNS1123Subdomain('a'.repeat(254))[0]).toBe('must be no more than 253 characters');
  });

  test('DNS-1123 label uses the doubled-space example list', () => {
    expect(isDNS1123Label('my-name')).toEqual([]);
    expect(isDNS1123Label('a.b')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  test('DNS-1035 label must start with a letter', () => {
    expect(isDNS1035Label('abc-1')).toEqual([]);
    expect(isDNS1035Label('1abc')[0]).toContain("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character");
  });

  test('qualified names and label values', () => {
    expect(isQualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(isQualifiedName('/x')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/^a qualified name must consist of/);
    expect(isQualifiedName('-x')[0]).toMatch(/^name part must consist of alphanumeric characters/);
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('a b')[0]).toContain("a valid label must be an empty string or consist of alphanumeric characters");
  });

  test('config keys and port names', () => {
    expect(isConfigMapKey('key.name')).toEqual([]);
    expect(isConfigMapKey('..x')).toEqual(["must not start with '..'"]);
    expect(isValidPortName('http')).toEqual([]);
    expect(isValidPortName('HTTP')).toContain('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  });
});

describe('validateObjectMeta', () => {
  test('name required', () => {
    const errs = validateObjectMeta({ namespace: 'default' }, true, nameIsDNSSubdomain);
    expect(aggregateMessage(errs)).toBe('metadata.name: Required value: name or generateName is required');
  });

  test('namespace required for namespaced, forbidden for cluster-scoped', () => {
    expect(validateObjectMeta({ name: 'a' }, true, nameIsDNSSubdomain).map(String)).toEqual(['metadata.namespace: Required value']);
    expect(validateObjectMeta({ name: 'a', namespace: 'x' }, false, nameIsDNSSubdomain).map(String))
      .toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });

  test('invalid name and labels', () => {
    const errs = validateObjectMeta({ name: 'Bad', namespace: 'default', labels: { 'a b': 'x' } }, true, nameIsDNSSubdomain);
    expect(errs.map((e) => e.field)).toEqual(['metadata.name', 'metadata.labels']);
    expect(String(errs[0])).toMatch(/^metadata\.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain/);
  });

  test('generateName may end with a dash', () => {
    expect(validateObjectMeta({ generateName: 'web-', name: 'web-abcde', namespace: 'd' }, true, nameIsDNSSubdomain)).toEqual([]);
  });

  test('annotation size limit', () => {
    const errs = validateObjectMeta({ name: 'a', namespace: 'd', annotations: { big: 'x'.repeat(262144) } }, true, nameIsDNSSubdomain);
    expect(errs.map(String)).toEqual(['metadata.annotations: Too long: may not be more than 262144 bytes']);
  });

  test('immutable identity fields on update', () => {
    const old = { name: 'a', namespace: 'd', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z' };
    const errs = validateObjectMetaUpdate({ ...old, uid: 'u2', name: 'b' }, old);
    expect(errs.map(String)).toEqual([
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
  });
});

describe('validateLabelSelector', () => {
  test('operator rules', () => {
    const errs = validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Foo' }] },
      FieldPath.root('spec').child('selector'));
    expect(errs.map(String)).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator',
    ]);
  });
});

// Custom resources against their CRD's structural schema: ajv validation with upstream's field paths
// and wording, structural defaulting, pruning of unknown fields, and the CRD's own validation.
import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1';
import { compileValidator, toJsonSchema } from '../../src/registry/crd-schema-validation';
import { applyDefaults } from '../../src/registry/crd-defaulting';
import { compareVersions, customResourceDefs, customResourceOpenapiName } from '../../src/registry/custom-resources';
import { customResourcePrinter } from '../../src/registry/printers/custom-resource';
import { defaultCustomResourceDefinition } from '../../src/registry/resources/crd';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from '../../src/registry/validation/crd';
import { UnknownFieldDetector } from '../../src/registry/unknown-fields';
import { pruneUnknownFields } from '../../src/registry/prune-fields';
import { invalid } from '../../src/registry/errors';
import type { Schema } from '../../src/registry/schema-types';

const cronTabSchema: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['image'],
      properties: {
        cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$', default: '5 0 * * *' },
        image: { type: 'string', maxLength: 20 },
        replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
        mode: { type: 'string', enum: ['Fast', 'Slow'] },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
        nothing: { type: 'string', nullable: true },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        settings: { type: 'object', additionalProperties: { type: 'object', properties: { level: { type: 'integer', default: 3 } } } },
      },
    },
  },
};

function crontabCrd(): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com', scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: cronTabSchema as never } }],
    },
    status: { acceptedNames: { kind: '', plural: '' }, storedVersions: ['v1'] },
  };
}

describe('custom resource schema validation', () => {
  const validate = compileValidator(cronTabSchema);
  const messages = (obj: unknown) => validate(obj).map((e) => e.toString());

  test('a valid object has no errors', () => {
    expect(messages({ metadata: { name: 'x', anything: 1 }, spec: { cronSpec: '* * * * */5', image: 'img', port: 'http', nothing: null } })).toEqual([]);
  });

  test('a wrong type is reported as upstream words it', () => {
    expect(messages({ spec: { cronSpec: 5, image: 'img' } })).toEqual([
      'spec.cronSpec: Invalid value: "integer": spec.cronSpec in body must be of type string: "integer"',
    ]);
    expect(messages({ spec: { image: 'img', replicas: 1.5 } })).toEqual([
      'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
    ]);
    expect(messages({ spec: { image: 'img', port: true } })).toEqual([
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    ]);
  });

  test('required, enum, bounds, pattern, lengths and item counts', () => {
    expect(messages({ spec: {} })).toEqual(['spec.image: Required value']);
    expect(messages({ spec: { image: 'img', mode: 'Medium' } })).toEqual(['spec.mode: Unsupported value: "Medium": supported values: "Fast", "Slow"']);
    expect(messages({ spec: { image: 'img', replicas: 0 } })).toEqual([
      'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    ]);
    expect(messages({ spec: { image: 'img', replicas: 11 } })).toEqual([
      'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
    ]);
    expect(messages({ spec: { image: 'img', cronSpec: 'soon' } })).toEqual([
      `spec.cronSpec: Invalid value: "soon": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'`,
    ]);
    expect(messages({ spec: { image: 'a'.repeat(21) } })).toEqual(['spec.image: Too long: may not be more than 20 bytes']);
    expect(messages({ spec: { image: 'img', tags: ['a', 'b', 'c'] } })).toEqual(['spec.tags: Too many: 3: must have at most 2 items']);
  });

  test('array items are addressed with [i]', () => {
    expect(messages({ spec: { image: 'img', tags: ['a', 7] } })).toEqual([
      'spec.tags[1]: Invalid value: "integer": spec.tags[1] in body must be of type string: "integer"',
    ]);
  });

  test('errors become one 422 with every cause', () => {
    const err = invalid('stable.example.com', 'CronTab', 'x', validate({ spec: { cronSpec: 5 } }));
    expect(err.code).toBe(422);
    expect(err.message).toBe('CronTab.stable.example.com "x" is invalid: [spec.image: Required value, spec.cronSpec: Invalid value: "integer": spec.cronSpec in body must be of type string: "integer"]');
    expect(err.status.details?.causes?.map((c) => [c.reason, c.field])).toEqual([
      ['FieldValueRequired', 'spec.image'], ['FieldValueTypeInvalid', 'spec.cronSpec'],
    ]);
  });

  test('OpenAPI-only keywords become JSON Schema', () => {
    expect(toJsonSchema({ type: 'number', maximum: 5, exclusiveMaximum: true, nullable: true, description: 'd', default: 1 }))
      .toEqual({ type: ['number', 'null'], exclusiveMaximum: 5 });
  });
});

describe('structural defaulting', () => {
  test('fills missing fields, nulls of non-nullable fields and map values', () => {
    const obj = { spec: { image: 'img', replicas: null, settings: { a: {}, b: { level: 1 } } } };
    applyDefaults(obj, cronTabSchema);
    expect(obj.spec).toEqual({ image: 'img', cronSpec: '5 0 * * *', replicas: 1, settings: { a: { level: 3 }, b: { level: 1 } } });
  });

  test('does not create a missing parent object', () => {
    const obj: Record<string, unknown> = { metadata: { name: 'x' } };
    applyDefaults(obj, cronTabSchema);
    expect(obj).toEqual({ metadata: { name: 'x' } });
  });
});

describe('pruning custom resources', () => {
  test('drops unknown fields except under x-kubernetes-preserve-unknown-fields', () => {
    const detector = new UnknownFieldDetector({ schemaFor: () => undefined });
    const obj = { spec: { image: 'img', bogus: 1, free: { any: { thing: true } }, settings: { a: { level: 1, extra: 2 } } }, top: 1 };
    const unknown = detector.findWithSchema(cronTabSchema, obj);
    expect(unknown).toEqual(['spec.bogus', 'spec.settings.a.extra', 'top']);
    pruneUnknownFields(obj, unknown);
    expect(obj).toEqual({ spec: { image: 'img', free: { any: { thing: true } }, settings: { a: { level: 1 } } } });
  });
});

describe('CustomResourceDefinition validation', () => {
  const messages = (crd: CustomResourceDefinition) => validateCustomResourceDefinition(crd).map((e) => e.toString());

  test('the docs example is valid', () => {
    expect(messages(crontabCrd())).toEqual([]);
  });

  test('defaults fill singular, listKind and the None conversion', () => {
    const crd = crontabCrd();
    const names = crd.spec.names as { singular?: string; listKind?: string };
    delete names.singular;
    delete names.listKind;
    defaultCustomResourceDefinition(crd);
    expect(crd.spec.names).toMatchObject({ singular: 'crontab', listKind: 'CronTabList' });
    expect(crd.spec.conversion).toEqual({ strategy: 'None' });
  });

  test('the name must be <plural>.<group>', () => {
    const crd = crontabCrd();
    (crd.metadata as { name: string }).name = 'crontab.stable.example.com';
    expect(messages(crd)).toEqual(['metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group']);
  });

  test('names, group, scope and storage versions', () => {
    const crd = crontabCrd();
    const spec = crd.spec as unknown as { group: string; scope: string; names: Record<string, unknown>; versions: { storage: boolean }[] };
    spec.group = 'example';
    spec.scope = 'Global';
    spec.names.kind = 'Cron_Tab';
    spec.names.listKind = 'Cron_Tab';
    spec.versions[0].storage = false;
    (crd.metadata as { name: string }).name = 'crontabs.example';
    expect(messages(crd)).toEqual([
      'spec.group: Invalid value: "example": should be a domain with at least one dot',
      'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
      'spec.versions: Invalid value: must have exactly one version marked as storage version',
      expect.stringMatching(/^spec\.names\.kind: Invalid value: "Cron_Tab": may have mixed case, but should otherwise match: a DNS-1035 label/),
      expect.stringMatching(/^spec\.names\.listKind: Invalid value: "Cron_Tab": may have mixed case/),
      'spec.names.listKind: Invalid value: "Cron_Tab": kind and listKind may not be the same',
    ]);
  });

  test('structural schema rules', () => {
    const crd = crontabCrd();
    (crd.spec.versions[0] as { schema: unknown }).schema = { openAPIV3Schema: { type: 'object', properties: {
      spec: { properties: { a: { type: 'array' }, b: { type: 'object', properties: { c: {} }, additionalProperties: { type: 'string' } } } },
      metadata: { type: 'object', properties: { labels: { type: 'object' } } },
    } } };
    expect(messages(crd)).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].items: Required value: must be specified',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[b].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[b].properties[c].type: Required value: must not be empty for specified object fields',
      'spec.versions[0].schema.openAPIV3Schema.properties[metadata].properties[labels]: Forbidden: must not be specified',
    ]);
  });

  test('printer columns and scale paths', () => {
    const crd = crontabCrd();
    Object.assign(crd.spec.versions[0], {
      additionalPrinterColumns: [{ name: 'X', type: 'float', jsonPath: '.spec.x' }, { name: 'Y', type: 'string', jsonPath: '' }],
      subresources: { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' } },
    });
    expect(messages(crd)).toEqual([
      'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
      'spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "float": must be one of boolean,date,integer,number,string',
      'spec.versions[0].additionalPrinterColumns[1].JSONPath: Required value',
    ]);
  });

  test('group and plural never change; scope and kind not once established', () => {
    const old = crontabCrd();
    (old.status as { conditions: unknown[] }).conditions = [{ type: 'Established', status: 'True' }];
    const next = crontabCrd();
    Object.assign(next.spec, { scope: 'Cluster' });
    Object.assign(next.spec.names, { kind: 'Tab' });
    expect(validateCustomResourceDefinitionUpdate(next, old).map((e) => e.toString())).toEqual([
      'spec.scope: Invalid value: "Cluster": field is immutable',
      'spec.names.kind: Invalid value: "Tab": field is immutable',
    ]);
  });
});

describe('resource-table entries from a CRD', () => {
  test('one entry per served version, stored under <group>/<plural>', () => {
    const crd = crontabCrd();
    (crd.spec as { versions: unknown[] }).versions = [
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: cronTabSchema },
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } } },
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: cronTabSchema } },
      { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: cronTabSchema } },
    ];
    const defs = customResourceDefs(crd, () => false);
    expect(defs.map((d) => [d.version, d.storagePrefix, d.openapiName, d.namespaced, d.shortNames])).toEqual([
      ['v1', 'stable.example.com/crontabs', 'com.example.stable.v1.CronTab', true, ['ct']],
      ['v1beta1', 'stable.example.com/crontabs', 'com.example.stable.v1beta1.CronTab', true, ['ct']],
    ]);
    expect(defs[0].subresources).toEqual({ status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas' } });
    expect(defs[1].subresources).toEqual({});
    expect(customResourceOpenapiName('a.b.c', 'v2', 'K')).toBe('c.b.a.v2.K');
    expect(defs.map((d) => d.conversion?.storageApiVersion)).toEqual(['stable.example.com/v1', 'stable.example.com/v1']);
  });

  test('versions in Kubernetes priority order', () => {
    expect(['v1alpha1', 'foo1', 'v1beta1', 'v2', 'v1', 'v11alpha2', 'v10beta3', 'foo10', 'v1beta2'].sort(compareVersions))
      .toEqual(['v2', 'v1', 'v10beta3', 'v1beta2', 'v1beta1', 'v11alpha2', 'v1alpha1', 'foo1', 'foo10']);
  });

  test('creating while the CRD terminates is refused with 405', () => {
    const [def] = customResourceDefs(crontabCrd(), () => true);
    expect(() => def.strategy.prepareForCreate?.({ metadata: { name: 'x' } }, {})).toThrow('create is not supported on resources of kind "crontabs.stable.example.com"');
  });
});

describe('printer columns', () => {
  const created = new Date(Date.now() - 90_000).toISOString();
  const obj = { metadata: { name: 'x', creationTimestamp: created }, spec: { cronSpec: '* * * * */5', replicas: 3 },
    status: { conditions: [{ type: 'Ready', status: 'True' }] } };

  test('JSONPath cells typed as upstream, Age from a date', () => {
    const p = customResourcePrinter([
      { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec', description: 'The cron spec' },
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', priority: 1 },
      { name: 'Missing', type: 'string', jsonPath: '.spec.nope' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ]);
    expect(p.columns.map((c) => [c.name, c.type, c.priority, c.description])).toEqual([
      ['Name', 'string', 0, 'Name must be unique within a namespace. Cannot be updated.'],
      ['Spec', 'string', 0, 'The cron spec'],
      ['Replicas', 'integer', 0, 'Custom resource definition column (in JSONPath format): .spec.replicas'],
      ['Ready', 'string', 1, 'Custom resource definition column (in JSONPath format): .status.conditions[?(@.type=="Ready")].status'],
      ['Missing', 'string', 0, 'Custom resource definition column (in JSONPath format): .spec.nope'],
      ['Age', 'date', 0, 'Custom resource definition column (in JSONPath format): .metadata.creationTimestamp'],
    ]);
    expect(p.row(obj)).toEqual(['x', '* * * * */5', 3, 'True', null, '90s']);
  });

  test('a version without columns gets Age', () => {
    const p = customResourcePrinter(undefined);
    expect(p.columns.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Age', 'date']]);
    expect(p.row(obj)).toEqual(['x', '90s']);
  });
});

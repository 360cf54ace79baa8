// Validation of CustomResourceDefinitions with upstream's rules and wording
// (apiextensions-apiserver's validation.go and structural schema checks): the name must be
// <plural>.<group>, names are DNS-1035 labels, exactly one storage version, a structural schema
// per version, valid printer columns and subresource paths, and what may not change on update.
import type {
  CustomResourceColumnDefinition, CustomResourceDefinition, CustomResourceDefinitionNames,
  CustomResourceDefinitionSpec, CustomResourceSubresources,
} from 'kubernetes-types/apiextensions/v1';
import { FieldError, FieldPath, forbiddenField, invalidValue, notSupported, required } from '../field-error';
import type { Schema } from '../schema-types';
import { isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain } from './names';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from './object-meta';

const columnTypes = ['boolean', 'date', 'integer', 'number', 'string'];
const columnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'name', 'password'];
const schemaTypes = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

export function validateCustomResourceDefinition(crd: CustomResourceDefinition): FieldError[] {
  const spec = crd.spec ?? ({} as CustomResourceDefinitionSpec);
  const wanted = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
  const errs = validateObjectMeta(crd.metadata, false, (name, prefix) => {
    const msgs = nameIsDNSSubdomain(name, prefix);
    if (name !== wanted) msgs.push('must be spec.names.plural+"."+spec.group');
    return msgs;
  });
  errs.push(...validateSpec(spec, FieldPath.root('spec')));
  errs.push(...validateNames(crd.status?.acceptedNames, FieldPath.root('status').child('acceptedNames')));
  errs.push(...validateStoredVersions(crd));
  return errs;
}

export function validateCustomResourceDefinitionUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  const errs = validateObjectMetaUpdate(crd.metadata, old.metadata);
  const p = FieldPath.root('spec');
  const established = (old.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
  if (established) {
    errs.push(...validateImmutableField(crd.spec?.scope, old.spec?.scope, p.child('scope')));
    errs.push(...validateImmutableField(crd.spec?.names?.kind, old.spec?.names?.kind, p.child('names').child('kind')));
  }
  errs.push(...validateImmutableField(crd.spec?.group, old.spec?.group, p.child('group')));
  errs.push(...validateImmutableField(crd.spec?.names?.plural, old.spec?.names?.plural, p.child('names').child('plural')));
  return errs;
}

function validateSpec(spec: CustomResourceDefinitionSpec, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.group) errs.push(required(p.child('group')));
  else {
    const bad = isDNS1123Subdomain(spec.group);
    if (bad.length) errs.push(invalidValue(p.child('group'), spec.group, bad.join(',')));
    else if (spec.group.split('.').length < 2) errs.push(invalidValue(p.child('group'), spec.group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(required(p.child('scope')));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(notSupported(p.child('scope'), spec.scope, ['Cluster', 'Namespaced']));

  const versions = spec.versions ?? [];
  const seen = new Set<string>();
  let unique = true;
  let storage = 0;
  versions.forEach((v, i) => {
    const vp = p.child('versions').index(i);
    if (v.storage) storage++;
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    const bad = isDNS1035Label(v.name ?? '');
    if (bad.length) errs.push(invalidValue(vp.child('name'), v.name ?? '', bad.join(',')));
    const schema = v.schema?.openAPIV3Schema as Schema | undefined;
    if (!schema) errs.push(required(vp.child('schema').child('openAPIV3Schema'), 'schemas are required'));
    else errs.push(...validateRootSchema(schema, vp.child('schema').child('openAPIV3Schema'), !!v.subresources?.status));
    errs.push(...validateSubresources(v.subresources, vp.child('subresources')));
    (v.additionalPrinterColumns ?? []).forEach((c, j) => errs.push(...validateColumn(c, vp.child('additionalPrinterColumns').index(j))));
  });
  // The value upstream prints here is Go's dump of the whole list; the message is what matters.
  if (!unique) errs.push(new FieldError('Invalid', String(p.child('versions')), undefined, 'must contain unique version names', true));
  if (storage !== 1) errs.push(new FieldError('Invalid', String(p.child('versions')), undefined, 'must have exactly one version marked as storage version', true));

  const names = spec.names ?? ({} as CustomResourceDefinitionNames);
  const np = p.child('names');
  if (!names.plural) errs.push(required(np.child('plural')));
  if (!names.singular) errs.push(required(np.child('singular')));
  if (!names.kind) errs.push(required(np.child('kind')));
  if (!names.listKind) errs.push(required(np.child('listKind')));
  errs.push(...validateNames(names, np));

  const conv = spec.conversion;
  if (conv) {
    const cp = p.child('conversion');
    if (!conv.strategy) errs.push(required(cp.child('strategy')));
    else if (conv.strategy !== 'None' && conv.strategy !== 'Webhook') errs.push(notSupported(cp.child('strategy'), conv.strategy, ['None', 'Webhook']));
    else if (conv.strategy === 'Webhook' && !conv.webhook?.clientConfig) errs.push(required(cp.child('webhookClientConfig'), 'required when strategy is set to Webhook'));
    else if (conv.strategy === 'None' && conv.webhook) errs.push(forbiddenField(cp.child('webhookClientConfig'), 'should not be set when strategy is not set to Webhook'));
  }
  if (spec.preserveUnknownFields) {
    errs.push(invalidValue(p.child('preserveUnknownFields'), true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  }
  return errs;
}

function validateNames(names: CustomResourceDefinitionNames | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!names) return errs;
  const label = (v: string | undefined, fp: FieldPath, prefix = '') => {
    if (!v) return;
    const bad = isDNS1035Label(prefix ? v.toLowerCase() : v);
    if (bad.length) errs.push(invalidValue(fp, v, prefix + bad.join(',')));
  };
  label(names.plural, p.child('plural'));
  label(names.singular, p.child('singular'));
  label(names.kind, p.child('kind'), 'may have mixed case, but should otherwise match: ');
  label(names.listKind, p.child('listKind'), 'may have mixed case, but should otherwise match: ');
  (names.shortNames ?? []).forEach((s, i) => label(s, p.child('shortNames').index(i)));
  if (names.kind && names.kind === names.listKind) errs.push(invalidValue(p.child('listKind'), names.listKind, 'kind and listKind may not be the same'));
  (names.categories ?? []).forEach((c, i) => label(c, p.child('categories').index(i)));
  return errs;
}

function validateStoredVersions(crd: CustomResourceDefinition): FieldError[] {
  const stored = crd.status?.storedVersions ?? [];
  const p = FieldPath.root('status').child('storedVersions');
  if (!stored.length) return [invalidValue(p, [], 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const versions = crd.spec?.versions ?? [];
  for (const v of versions) {
    if (v.storage && !stored.includes(v.name)) errs.push(invalidValue(p, stored, `must have the storage version ${v.name}`));
  }
  stored.forEach((s, i) => {
    if (!versions.some((v) => v.name === s)) {
      errs.push(invalidValue(p.index(i), s, `missing from spec.versions; ${s} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${s} and removes ${s} from status.storedVersions`));
    }
  });
  return errs;
}

function validateColumn(c: CustomResourceColumnDefinition, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(p.child('name')));
  const types = `must be one of ${columnTypes.join(',')}`;
  if (!c.type) errs.push(required(p.child('type'), types));
  else if (!columnTypes.includes(c.type)) errs.push(invalidValue(p.child('type'), c.type, types));
  if (c.format && !columnFormats.includes(c.format)) errs.push(invalidValue(p.child('format'), c.format, `must be one of ${columnFormats.join(',')}`));
  if (!c.jsonPath) errs.push(required(p.child('JSONPath')));
  else if (!c.jsonPath.startsWith('.')) errs.push(invalidValue(p.child('JSONPath'), c.jsonPath, "must be a simple json path starting with ."));
  return errs;
}

function validateSubresources(s: CustomResourceSubresources | undefined, p: FieldPath): FieldError[] {
  const scale = s?.scale;
  if (!scale) return [];
  const errs: FieldError[] = [];
  const sp = p.child('scale');
  const under = (v: string | undefined, fp: FieldPath, roots: string[], what: string, needed: boolean) => {
    if (!v) { if (needed) errs.push(required(fp)); return; }
    if (!roots.some((r) => v.startsWith(`.${r}.`))) errs.push(invalidValue(fp, v, `should be a json path under ${what}`));
  };
  under(scale.specReplicasPath, sp.child('specReplicasPath'), ['spec'], '.spec', true);
  under(scale.statusReplicasPath, sp.child('statusReplicasPath'), ['status'], '.status', true);
  under(scale.labelSelectorPath, sp.child('labelSelectorPath'), ['spec', 'status'], 'either .spec or .status', false);
  return errs;
}

type Level = 'root' | 'item' | 'field';

const emptyTypeDetail: Record<Level, string> = {
  root: 'must not be empty at the root',
  item: 'must not be empty for specified array items',
  field: 'must not be empty for specified object fields',
};

function validateRootSchema(schema: Schema, p: FieldPath, statusEnabled: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (statusEnabled && schema.type && schema.type !== 'object') {
    errs.push(invalidValue(p.child('type'), schema.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
  }
  if (schema.nullable === true) errs.push(forbiddenField(p.child('nullable'), 'nullable cannot be true at the root'));
  errs.push(...validateStructural(schema, p, 'root'));
  const meta = schema.properties?.metadata;
  if (meta) {
    const mp = p.child('properties').key('metadata');
    if (meta.type !== 'object') errs.push(invalidValue(mp.child('type'), meta.type ?? '', 'must be object'));
    for (const k of Object.keys(meta.properties ?? {})) {
      if (k !== 'name' && k !== 'generateName') errs.push(forbiddenField(mp.child('properties').key(k), 'must not be specified'));
    }
  }
  return errs;
}

/** Upstream's structural-schema invariants: every node typed, types valid, properties xor additionalProperties. */
function validateStructural(s: Schema, p: FieldPath, level: Level): FieldError[] {
  const errs: FieldError[] = [];
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s['x-kubernetes-embedded-resource'] === true && s.type !== 'object') {
    const detail = 'must be object if x-kubernetes-embedded-resource is true';
    errs.push(s.type ? invalidValue(p.child('type'), s.type, detail) : required(p.child('type'), detail));
  } else if (!s.type && !intOrString && !preserve) {
    errs.push(required(p.child('type'), emptyTypeDetail[level]));
  }
  if (s.type && !schemaTypes.includes(s.type)) errs.push(notSupported(p.child('type'), s.type, schemaTypes));
  if (level === 'root' && s.type && s.type !== 'object') errs.push(invalidValue(p.child('type'), s.type, 'must be object at the root'));
  if (s.type === 'array' && !s.items) errs.push(required(p.child('items'), 'must be specified'));
  if (s.uniqueItems === true) errs.push(forbiddenField(p.child('uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.properties && Object.keys(s.properties).length && s.additionalProperties !== undefined &&
    (s.additionalProperties !== true)) {
    errs.push(forbiddenField(p.child('additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.$ref) errs.push(forbiddenField(p.child('$ref'), '$ref is not supported'));
  for (const [k, v] of Object.entries(s.properties ?? {})) errs.push(...validateStructural(v, p.child('properties').key(k), 'field'));
  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) errs.push(...validateStructural(s.items, p.child('items'), 'item'));
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    errs.push(...validateStructural(s.additionalProperties, p.child('additionalProperties'), 'field'));
  }
  return errs;
}

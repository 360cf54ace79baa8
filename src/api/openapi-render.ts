// Renders neutral operation descriptions and v2-style definitions as OpenAPI v2 (swagger) or
// OpenAPI v3 documents, including the v3 ref layout and the reachable-schema pruning per group version.
import {
  componentsRefPrefix, definitionsRefPrefix, isSchema, refName, type Definitions, type Schema,
} from '../registry/schema-types';
import type { Operation, Param, PathItem } from './openapi-operations';

function v2Param(p: Param): Record<string, unknown> {
  const out: Record<string, unknown> = { description: p.description, in: p.in, name: p.name, type: p.type };
  if (p.required) out.required = true;
  if (p.uniqueItems) out.uniqueItems = true;
  return out;
}

function v3Param(p: Param): Record<string, unknown> {
  const schema: Record<string, unknown> = { type: p.type };
  if (p.uniqueItems) schema.uniqueItems = true;
  const out: Record<string, unknown> = { description: p.description, in: p.in, name: p.name, schema };
  if (p.required) out.required = true;
  return out;
}

function v2Operation(op: Operation): Record<string, unknown> {
  const params: Record<string, unknown>[] = [];
  if (op.body) {
    params.push({ in: 'body', name: 'body', required: op.body.required, schema: { $ref: definitionsRefPrefix + op.body.name } });
  }
  params.push(...op.params.map(v2Param));
  const responses: Record<string, unknown> = {};
  for (const [code, def] of Object.entries(op.responses)) {
    responses[code] = def ? { description: describeCode(code), schema: { $ref: definitionsRefPrefix + def } } : { description: describeCode(code) };
  }
  const out: Record<string, unknown> = {
    consumes: op.body ? op.body.mediaTypes : ['*/*'],
    description: op.description,
    operationId: op.operationId,
    produces: op.produces,
    responses,
    schemes: ['https'],
    tags: [op.tag],
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
  if (params.length) out.parameters = params;
  return out;
}

function v3Operation(op: Operation): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [code, def] of Object.entries(op.responses)) {
    if (!def) { responses[code] = { description: describeCode(code) }; continue; }
    const content: Record<string, unknown> = {};
    for (const t of op.produces) content[t] = { schema: { $ref: componentsRefPrefix + def } };
    responses[code] = { content, description: describeCode(code) };
  }
  const out: Record<string, unknown> = {
    description: op.description,
    operationId: op.operationId,
    responses,
    tags: [op.tag],
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
  if (op.params.length) out.parameters = op.params.map(v3Param);
  if (op.body) {
    const content: Record<string, unknown> = {};
    for (const t of op.body.mediaTypes) content[t] = { schema: { $ref: componentsRefPrefix + op.body.name } };
    out.requestBody = op.body.required ? { content, required: true } : { content };
  }
  return out;
}

function describeCode(code: string): string {
  return ({ '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' } as Record<string, string>)[code] ?? code;
}

export function renderV2Paths(items: PathItem[]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const item of items) {
    const entry: Record<string, unknown> = { parameters: item.params.map(v2Param) };
    for (const op of item.operations) entry[op.method] = v2Operation(op);
    paths[item.path] = entry;
  }
  return paths;
}

export function renderV3Paths(items: PathItem[]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const item of items) {
    const entry: Record<string, unknown> = { parameters: item.params.map(v3Param) };
    for (const op of item.operations) entry[op.method] = v3Operation(op);
    paths[item.path] = entry;
  }
  return paths;
}

/**
 * v2 definitions → v3 components: refs move to #/components/schemas, and a ref that carries
 * siblings (a described field) is wrapped in allOf, since v3 ignores siblings of $ref.
 */
export function toV3Schema(schema: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string') continue;
    out[k] = convertValue(k, v);
  }
  if (typeof schema.$ref === 'string') {
    const ref = { $ref: componentsRefPrefix + refName(schema.$ref) };
    if (Object.keys(out).length === 0) return ref;
    return { ...out, allOf: [ref] };
  }
  return out;
}

function convertValue(key: string, v: unknown): unknown {
  if (key === 'properties' && isSchema(v)) {
    const props: Record<string, Schema> = {};
    for (const [name, p] of Object.entries(v)) props[name] = isSchema(p) ? toV3Schema(p) : (p as Schema);
    return props;
  }
  if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isSchema(v)) return toV3Schema(v);
  if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(v)) {
    return v.map((s: unknown) => (isSchema(s) ? toV3Schema(s) : s));
  }
  return v;
}

/**
 * Types upstream marks as unions for v3 (OpenAPIV3OneOfTypes): v3 documents describe them with
 * oneOf instead of v2's plain string type, which is also why kubectl explain shows their names.
 */
const v3OneOfTypes: Record<string, string[]> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': ['integer', 'string'],
  'io.k8s.apimachinery.pkg.api.resource.Quantity': ['string', 'number'],
};

/** A named definition as it appears in a v3 document's components. */
export function toV3Definition(name: string, schema: Schema): Schema {
  const out = toV3Schema(schema);
  const oneOf = v3OneOfTypes[name];
  if (!oneOf) return out;
  const { type: _type, ...rest } = out;
  return { ...rest, oneOf: oneOf.map((type) => ({ type })) };
}

/** Every definition reachable from `roots` through `$ref`s. */
export function reachable(roots: Iterable<string>, lookup: (name: string) => Schema | undefined): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) { for (const x of v) visit(x); return; }
    if (!isSchema(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') stack.push(refName(x));
      else if (k !== 'enum' && k !== 'default' && k !== 'example') visit(x);
    }
  };
  while (stack.length) {
    const name = stack.pop();
    if (name === undefined || seen.has(name)) continue;
    const s = lookup(name);
    if (!s) continue;
    seen.add(name);
    visit(s);
  }
  return seen;
}

/** Definition names a set of path items refer to directly. */
export function referencedDefinitions(items: PathItem[]): Set<string> {
  const names = new Set<string>();
  for (const item of items) {
    for (const op of item.operations) {
      if (op.body) names.add(op.body.name);
      for (const d of Object.values(op.responses)) if (d) names.add(d);
    }
  }
  return names;
}

export function pickDefinitions(names: Iterable<string>, lookup: (name: string) => Schema | undefined): Definitions {
  const out: Definitions = {};
  for (const n of [...names].sort()) {
    const s = lookup(n);
    if (s) out[n] = s;
  }
  return out;
}

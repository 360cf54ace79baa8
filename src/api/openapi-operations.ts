// Describes the REST operations the apiserver serves for one resource, in a neutral form that
// openapi-render turns into OpenAPI v2 or v3 path items (kubectl reads GVKs and parameters here).
import type { ResourceDef } from '../registry/resource-types';
import type { GroupVersionKind } from '../registry/schema-types';

export type ParamType = 'string' | 'boolean' | 'integer';

export interface Param {
  name: string;
  in: 'query' | 'path';
  type: ParamType;
  description: string;
  required?: boolean;
  uniqueItems?: boolean;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  operationId: string;
  description: string;
  tag: string;
  action: string;
  gvk: GroupVersionKind;
  params: Param[];
  /** Definition name of the request body, when there is one. */
  body?: { name: string; required: boolean; mediaTypes: string[] };
  /** Status code → definition name (undefined for responses without a body). */
  responses: Record<string, string | undefined>;
  /** Response media types; watches also stream. */
  produces: string[];
}

export interface PathItem {
  path: string;
  params: Param[];
  operations: Operation[];
}

const q = (name: string, type: ParamType, description: string, uniqueItems = false): Param =>
  ({ name, in: 'query', type, description, ...(uniqueItems ? { uniqueItems: true } : {}) });

const pretty = q('pretty', 'string', "If 'true', the output is pretty printed.", true);
const dryRun = q('dryRun', 'string', 'When present, the modification is validated and admitted but not persisted. The only accepted value is All.', true);
const fieldManager = q('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields.', true);
const fieldValidation = q('fieldValidation', 'string',
  'How the server treats unknown and duplicate fields in the request body: Ignore drops them, Warn reports each as a warning header, Strict rejects the request.', true);
const force = q('force', 'boolean', 'For apply requests, take ownership of conflicting fields from other managers.', true);

const listParams: Param[] = [
  q('allowWatchBookmarks', 'boolean', 'Ask a watch to send BOOKMARK events carrying the current resourceVersion.', true),
  q('continue', 'string', 'Token returned by a previous paged list to fetch the next page.', true),
  q('fieldSelector', 'string', 'Restrict results to objects whose fields match this selector.', true),
  q('labelSelector', 'string', 'Restrict results to objects whose labels match this selector.', true),
  q('limit', 'integer', 'Maximum number of items to return in one page.', true),
  q('resourceVersion', 'string', 'Which resource version the read is served at; see the API concepts documentation.', true),
  q('resourceVersionMatch', 'string', 'How resourceVersion is interpreted: Exact or NotOlderThan.', true),
  q('sendInitialEvents', 'boolean', 'With watch, start the stream with synthetic ADDED events for the current state.', true),
  q('timeoutSeconds', 'integer', 'Upper bound on how long the list or watch call may take.', true),
];
const watchParam = q('watch', 'boolean', 'Return a stream of change events instead of a list.', true);

const deleteParams: Param[] = [
  dryRun,
  q('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; zero deletes immediately.', true),
  q('ignoreStoreReadErrorWithClusterBreakingPotential', 'boolean', 'Delete an object that cannot be read from storage (unsafe).', true),
  q('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy. Whether dependents are orphaned.', true),
  q('propagationPolicy', 'string', 'Garbage collection mode for dependents: Orphan, Background or Foreground.', true),
];

const jsonTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const watchTypes = [...jsonTypes, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

export const metaDef = (n: string) => `io.k8s.apimachinery.pkg.apis.meta.v1.${n}`;

function capitalize(s: string): string { return s.charAt(0).toUpperCase() + s.slice(1); }

/** "rbac.authorization.k8s.io" → ["rbac", "authorization"]; core → ["core"]. */
function groupWords(group: string): string[] {
  return group ? group.replace(/\.k8s\.io$/, '').split(/[.-]/).filter(Boolean) : ['core'];
}

export function operationPrefix(group: string, version: string): string {
  return groupWords(group).map(capitalize).join('') + capitalize(version);
}

export function tagFor(group: string, version: string): string {
  const [first, ...rest] = groupWords(group);
  return `${first}${rest.map(capitalize).join('')}_${version}`;
}

/** The URL root of a group version, "/api/v1" or "/apis/apps/v1". */
export function gvRoot(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** Definition names a CRD-served or built-in resource's list responses point at. */
export const listDefName = (def: ResourceDef) => `${def.openapiName}List`;

export function pathsFor(def: ResourceDef, allowStrategicMerge: boolean): PathItem[] {
  const root = gvRoot(def.group, def.version);
  const gv = operationPrefix(def.group, def.version);
  const tag = tagFor(def.group, def.version);
  const gvk: GroupVersionKind = { group: def.group, version: def.version, kind: def.kind };
  const ns = def.namespaced ? 'Namespaced' : '';
  const scope = def.namespaced ? `/namespaces/{namespace}/${def.plural}` : `/${def.plural}`;
  const nsParam: Param[] = def.namespaced
    ? [{ name: 'namespace', in: 'path', type: 'string', required: true, description: 'namespace the object lives in' }]
    : [];
  const nameParam = (what: string): Param =>
    ({ name: 'name', in: 'path', type: 'string', required: true, description: `name of the ${what}` });
  const has = (verb: string) => def.verbs.includes(verb);
  const patchTypes = ['application/json-patch+json', 'application/merge-patch+json',
    ...(allowStrategicMerge ? ['application/strategic-merge-patch+json'] : []), 'application/apply-patch+yaml'];
  const op = (o: Omit<Operation, 'tag' | 'produces'> & { produces?: string[] }): Operation =>
    ({ tag, produces: jsonTypes, ...o });
  const items: PathItem[] = [];

  const collection: Operation[] = [];
  if (has('list')) {
    collection.push(op({ method: 'get', operationId: `list${gv}${ns}${def.kind}`, description: `list or watch objects of kind ${def.kind}`,
      action: 'list', gvk, params: [...listParams, watchParam], responses: { '200': listDefName(def), '401': undefined }, produces: watchTypes }));
  }
  if (has('create')) {
    collection.push(op({ method: 'post', operationId: `create${gv}${ns}${def.kind}`, description: `create a ${def.kind}`,
      action: 'post', gvk, params: [dryRun, fieldManager, fieldValidation],
      body: { name: def.openapiName, required: true, mediaTypes: ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] },
      responses: { '200': def.openapiName, '201': def.openapiName, '202': def.openapiName, '401': undefined } }));
  }
  if (has('deletecollection')) {
    collection.push(op({ method: 'delete', operationId: `delete${gv}Collection${ns}${def.kind}`, description: `delete collection of ${def.kind}`,
      action: 'deletecollection', gvk, params: [...listParams.filter((p) => p.name !== 'allowWatchBookmarks'), ...deleteParams],
      body: { name: metaDef('DeleteOptions'), required: false, mediaTypes: ['application/json', 'application/yaml'] },
      responses: { '200': metaDef('Status'), '401': undefined } }));
  }
  if (collection.length) items.push({ path: `${root}${scope}`, params: [...nsParam, pretty], operations: collection });

  const single: Operation[] = [];
  const byName = [...nsParam, nameParam(def.kind), pretty];
  if (has('get')) {
    single.push(op({ method: 'get', operationId: `read${gv}${ns}${def.kind}`, description: `read the specified ${def.kind}`,
      action: 'get', gvk, params: [], responses: { '200': def.openapiName, '401': undefined } }));
  }
  if (has('update')) {
    single.push(op({ method: 'put', operationId: `replace${gv}${ns}${def.kind}`, description: `replace the specified ${def.kind}`,
      action: 'put', gvk, params: [dryRun, fieldManager, fieldValidation],
      body: { name: def.openapiName, required: true, mediaTypes: ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] },
      responses: { '200': def.openapiName, '201': def.openapiName, '401': undefined } }));
  }
  if (has('delete')) {
    single.push(op({ method: 'delete', operationId: `delete${gv}${ns}${def.kind}`, description: `delete a ${def.kind}`,
      action: 'delete', gvk, params: deleteParams,
      body: { name: metaDef('DeleteOptions'), required: false, mediaTypes: ['application/json', 'application/yaml'] },
      responses: { '200': metaDef('Status'), '202': metaDef('Status'), '401': undefined } }));
  }
  if (has('patch')) {
    single.push(op({ method: 'patch', operationId: `patch${gv}${ns}${def.kind}`, description: `partially update the specified ${def.kind}`,
      action: 'patch', gvk, params: [dryRun, fieldManager, fieldValidation, force],
      body: { name: metaDef('Patch'), required: true, mediaTypes: patchTypes },
      responses: { '200': def.openapiName, '201': def.openapiName, '401': undefined } }));
  }
  if (single.length) items.push({ path: `${root}${scope}/{name}`, params: byName, operations: single });

  const sub = (name: string, defName: string, subGvk: GroupVersionKind, label: string) => {
    const ops: Operation[] = [
      op({ method: 'get', operationId: `read${gv}${ns}${def.kind}${label}`, description: `read ${name} of the specified ${def.kind}`,
        action: 'get', gvk: subGvk, params: [], responses: { '200': defName, '401': undefined } }),
      op({ method: 'put', operationId: `replace${gv}${ns}${def.kind}${label}`, description: `replace ${name} of the specified ${def.kind}`,
        action: 'put', gvk: subGvk, params: [dryRun, fieldManager, fieldValidation],
        body: { name: defName, required: true, mediaTypes: ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] },
        responses: { '200': defName, '201': defName, '401': undefined } }),
      op({ method: 'patch', operationId: `patch${gv}${ns}${def.kind}${label}`, description: `partially update ${name} of the specified ${def.kind}`,
        action: 'patch', gvk: subGvk, params: [dryRun, fieldManager, fieldValidation, force],
        body: { name: metaDef('Patch'), required: true, mediaTypes: patchTypes },
        responses: { '200': defName, '201': defName, '401': undefined } }),
    ];
    items.push({ path: `${root}${scope}/{name}/${name}`, params: [...nsParam, nameParam(def.kind), pretty], operations: ops });
  };
  if (def.subresources.status) sub('status', def.openapiName, gvk, 'Status');
  if (def.subresources.others?.includes('approval')) sub('approval', def.openapiName, gvk, 'Approval');
  if (def.subresources.scale) {
    sub('scale', 'io.k8s.api.autoscaling.v1.Scale', { group: 'autoscaling', version: 'v1', kind: 'Scale' }, 'Scale');
  }

  if (has('watch')) {
    const watchOp = (operationId: string, action: string, params: Param[]): Operation =>
      op({ method: 'get', operationId, description: action === 'watch'
        ? `stream changes to one ${def.kind} (legacy path; prefer a list with watch=true and a metadata.name field selector)`
        : `stream changes to ${def.kind} objects (legacy path; prefer a list with watch=true)`,
      action, gvk, params, responses: { '200': metaDef('WatchEvent'), '401': undefined }, produces: watchTypes });
    const watchRoot = `${root}/watch${scope}`;
    items.push({ path: watchRoot, params: [...nsParam, pretty, ...listParams, watchParam],
      operations: [watchOp(`watch${gv}${ns}${def.kind}List`, 'watchlist', [])] });
    items.push({ path: `${watchRoot}/{name}`, params: [...nsParam, nameParam(def.kind), pretty, ...listParams, watchParam],
      operations: [watchOp(`watch${gv}${ns}${def.kind}`, 'watch', [])] });
    if (def.namespaced) {
      items.push({ path: `${root}/watch/${def.plural}`, params: [pretty, ...listParams, watchParam],
        operations: [watchOp(`watch${gv}${def.kind}ListForAllNamespaces`, 'watchlist', [])] });
    }
  }
  if (def.namespaced && has('list')) {
    items.push({ path: `${root}/${def.plural}`, params: [pretty, ...listParams, watchParam], operations: [
      op({ method: 'get', operationId: `list${gv}${def.kind}ForAllNamespaces`, description: `list or watch objects of kind ${def.kind}`,
        action: 'list', gvk, params: [], responses: { '200': listDefName(def), '401': undefined }, produces: watchTypes }),
    ] });
  }
  return items;
}

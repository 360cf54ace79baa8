// REST verbs on resources: the generic handlers for get, list, create, update, patch, delete and
// deletecollection, plus the status/scale/binding subresources. Watches go to watch-handler.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeleteOptions } from 'kubernetes-types/meta/v1';
import type { Binding, Pod } from 'kubernetes-types/core/v1';
import type { Scale } from 'kubernetes-types/autoscaling/v1';
import YAML from 'yaml';
import type { RequestInfo } from './request-info';
import type { UserInfo } from './authn';
import type { KubeObject, Requester, ResourceDef } from '../registry/resource-types';
import { groupVersion } from '../registry/resource-types';
import type { Registry } from './registry';
import { chooseRepresentation } from './negotiation';
import { decodeBody, mediaTypeOf, patchTypes, readBody } from './body';
import { addWarnings, writeError, writeJson, writeListStream } from './responses';
import { listOptions } from './list-query';
import { tableMediaType, toTable, type IncludeObject } from './table';
import { serveWatch } from './watch-handler';
import { badRequest, invalid, methodNotAllowed, statusError, unsupportedMediaType } from '../registry/errors';
import { forbiddenField, notSupported, required, tooLong } from '../registry/field-error';
import { isJsonObject, nowTimestamp } from '../registry/object-meta';
import { serverSideApply } from '../registry/server-side-apply';
import { pruneUnknownFields } from '../registry/prune-fields';
import { applyScale, bindPod, toScale } from './subresources';
import { evictPod } from './eviction';
import type { TokenRequests } from './token-request';
import type { TokenRequest } from 'kubernetes-types/authentication/v1';
import { componentStatuses, componentStatusWarning } from './component-status';
import { notFound } from '../registry/errors';
import type { Operation } from '../admission/admission';

const applyPatchType = 'application/apply-patch+yaml';
/** Upstream's limit on a field manager's name. */
const maxFieldManagerLength = 128;

/** The options kind each verb's query parameters decode into, named in validation errors. */
const optionsKind: Record<string, string> = {
  create: 'CreateOptions', update: 'UpdateOptions', patch: 'PatchOptions', delete: 'DeleteOptions', deletecollection: 'DeleteOptions',
};

const notFoundResource = () => statusError(404, 'NotFound', 'the server could not find the requested resource');

export class ResourceHandler {
  private readonly describe: (ref: string) => string | undefined;

  /** `requester` gives create-only reviews the request's user and the apiserver's authn/authz. */
  constructor(private readonly reg: Registry, private readonly requester: (user: UserInfo) => Requester,
    private readonly tokenRequests?: TokenRequests) {
    this.describe = (ref) => reg.schemas.describe(ref);
  }

  async handle(req: IncomingMessage, res: ServerResponse, info: RequestInfo, q: URLSearchParams, user: UserInfo): Promise<void> {
    const def = this.reg.table.lookup(info.apiGroup, info.apiVersion, info.resource);
    if (!def) throw notFoundResource();
    const sub = info.subresource;
    if (sub && !this.servesSubresource(def, sub)) throw notFoundResource();
    if (!sub && !def.verbs.includes(info.verb)) throw methodNotAllowed(info.verb, { group: def.group, resource: def.plural });
    if (def.namespaced && !info.namespace && !['list', 'watch'].includes(info.verb)) throw notFoundResource();
    const ns = def.namespaced ? info.namespace || undefined : undefined;
    const ctx: Ctx = { req, res, info, q, user, def, ns };
    if (def.computedBy) return this.onComputed(ctx);
    if (def.subresourceOf) return this.onSubresourceAlias(ctx, def.subresourceOf);
    switch (sub) {
      case '': return this.onResource(ctx);
      case 'status': return this.onStatus(ctx, 'status');
      case 'finalize': return this.onStatus(ctx, 'finalize');
      case 'approval': return this.onStatus(ctx, 'approval');
      case 'scale': return this.onScale(ctx);
      case 'binding': return this.onBinding(ctx);
      case 'eviction': return this.onEviction(ctx);
      case 'token': return this.onTokenRequest(ctx);
      default:
        throw statusError(501, 'NotImplemented', `${def.plural}/${sub} is not served by this apiserver yet`);
    }
  }

  private servesSubresource(def: ResourceDef, sub: string): boolean {
    if (sub === 'status') return !!def.subresources.status;
    if (sub === 'scale') return !!def.subresources.scale;
    return (def.subresources.others ?? []).includes(sub);
  }

  private async onResource(c: Ctx): Promise<void> {
    switch (c.info.verb) {
      case 'get': return this.get(c);
      case 'list': return this.list(c);
      case 'watch': return serveWatch(this.reg, c.req, c.res, c.def, c.ns, c.q, c.info.name);
      case 'create': return this.create(c);
      case 'update': return this.write(c, 'update');
      case 'patch': return this.write(c, 'patch');
      case 'delete': return this.delete(c);
      case 'deletecollection': return this.deleteCollection(c);
      default: throw methodNotAllowed(c.info.verb, { group: c.def.group, resource: c.def.plural });
    }
  }

  private async get(c: Ctx): Promise<void> {
    const rep = chooseRepresentation(c.req.headers.accept);
    const json = await this.reg.store(c.def).get(c.ns, c.info.name, c.q.get('resourceVersion') ?? undefined);
    if (rep === 'json') return writeJson(c.res, 200, json);
    const obj = JSON.parse(json) as KubeObject;
    if (rep === 'yaml') return writeJson(c.res, 200, YAML.stringify(obj), 'application/yaml');
    writeJson(c.res, 200, toTable(c.def, [obj], { resourceVersion: obj.metadata?.resourceVersion }, includeObject(c.q), this.describe), tableMediaType);
  }

  private async list(c: Ctx): Promise<void> {
    const rep = chooseRepresentation(c.req.headers.accept);
    const opts = listOptions(c.def, c.q, this.reg.fieldLabels(c.def));
    const r = await this.reg.store(c.def).list(c.ns, opts);
    const meta: Record<string, unknown> = { resourceVersion: r.resourceVersion };
    if (r.continueToken) meta.continue = r.continueToken;
    if (r.remainingItemCount !== undefined) meta.remainingItemCount = r.remainingItemCount;
    if (rep === 'table') {
      const objs = r.items.map((s) => JSON.parse(s) as KubeObject);
      return writeJson(c.res, 200, toTable(c.def, objs, meta, includeObject(c.q), this.describe), tableMediaType);
    }
    const head = `{"kind":${JSON.stringify(c.def.listKind)},"apiVersion":${JSON.stringify(groupVersion(c.def))},"metadata":${JSON.stringify(meta)},"items":[`;
    if (rep === 'yaml') return writeJson(c.res, 200, YAML.stringify(JSON.parse(`${head}${r.items.join(',')}]}`)), 'application/yaml');
    await writeListStream(c.res, head, r.items);
  }

  /** Decodes a full object body, checks its kind, and applies fieldValidation. */
  private async decodeObject(c: Ctx, warnings: string[]): Promise<KubeObject> {
    const mt = mediaTypeOf(c.req);
    if (patchTypes.has(mt)) throw unsupportedMediaType(mt);
    const body = decodeBody(await readBody(c.req), mt);
    if (!isJsonObject(body)) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    return this.checkObject(c, body as KubeObject, warnings);
  }

  private checkObject(c: Ctx, obj: KubeObject, warnings: string[], expectKind = c.def.kind, expectGv = groupVersion(c.def)): KubeObject {
    if (obj.kind !== undefined && obj.kind !== expectKind) {
      throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${expectKind})`);
    }
    if (obj.apiVersion !== undefined && obj.apiVersion !== expectGv) {
      throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectGv})`);
    }
    obj.apiVersion = expectGv;
    obj.kind = expectKind;
    this.validateFields(c, obj, warnings, expectKind === c.def.kind);
    return obj;
  }

  private validateFields(c: Ctx, obj: unknown, warnings: string[], checkSchema: boolean): void {
    const mode = c.q.get('fieldValidation') ?? 'Warn';
    if (!['Strict', 'Warn', 'Ignore'].includes(mode)) {
      throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${mode}"`);
    }
    if (!checkSchema) return;
    const unknown = this.reg.schemas.unknownFields(c.def, obj);
    if (!unknown.length) return;
    if (mode === 'Ignore') { pruneUnknownFields(obj, unknown); return; }
    const msgs = unknown.map((p) => `unknown field "${p}"`);
    if (mode === 'Strict') {
      throw badRequest(`${c.def.kind} in version "${c.def.version}" cannot be handled as a ${c.def.kind}: strict decoding error: ${msgs.join(', ')}`);
    }
    warnings.push(...msgs);
    pruneUnknownFields(obj, unknown);
  }

  private dryRun(c: Ctx): boolean {
    const d = c.q.getAll('dryRun');
    for (const v of d) {
      if (v !== 'All') throw invalid('meta.k8s.io', optionsKind[c.info.verb] ?? 'CreateOptions', '', [notSupported('dryRun', v, ['All'])]);
    }
    return d.length > 0;
  }

  private async admit(c: Ctx, operation: Operation, object?: KubeObject, oldObject?: KubeObject, name = c.info.name): Promise<void> {
    await this.reg.admission.admit({
      operation, def: c.def, namespace: c.ns ?? '', name, subresource: c.info.subresource,
      object, oldObject, user: c.user, dryRun: this.dryRun(c),
    });
  }

  private async create(c: Ctx): Promise<void> {
    const warnings: string[] = [];
    const obj = await this.decodeObject(c, warnings);
    const bodyNs = obj.metadata?.namespace;
    if (c.def.namespaced && bodyNs && bodyNs !== c.ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (c.def.strategy.answerCreate) return this.answerInPlace(c, obj, warnings);
    await this.admit(c, 'CREATE', obj, undefined, obj.metadata?.name ?? '');
    const created = await this.reg.store(c.def).create(c.ns, obj, { dryRun: this.dryRun(c), user: c.user });
    addWarnings(c.res, warnings);
    writeJson(c.res, 201, created.json);
  }

  /** Reviews: validated and answered from the requester, never stored (upstream returns 201 all the same). */
  private async answerInPlace(c: Ctx, obj: KubeObject, warnings: string[]): Promise<void> {
    const s = c.def.strategy;
    if (c.def.namespaced) (obj.metadata ??= {}).namespace = c.ns;
    s.defaults?.(obj);
    const errs = s.validate?.(obj) ?? [];
    if (errs.length) throw invalid(c.def.group, c.def.kind, obj.metadata?.name ?? '', errs);
    const answer = await s.answerCreate!(obj, this.requester(c.user));
    addWarnings(c.res, warnings);
    writeJson(c.res, 201, answer);
  }

  private async write(c: Ctx, verb: 'update' | 'patch'): Promise<void> {
    const warnings: string[] = [];
    const dryRun = this.dryRun(c);
    const store = this.reg.store(c.def);
    let result: { json: string; created: boolean };
    if (verb === 'update') {
      const obj = await this.decodeObject(c, warnings);
      result = await store.update(c.ns, c.info.name, async (cur) => {
        await this.admit(c, 'UPDATE', obj, cur);
        return obj;
      }, { dryRun, allowCreate: this.reg.allowCreateOnUpdate(c.def) });
    } else {
      const mt = mediaTypeOf(c.req);
      if (!patchTypes.has(mt)) throw unsupportedMediaType(mt);
      this.checkPatchOptions(c, mt);
      if (mt === applyPatchType) return this.apply(c, dryRun);
      const patch = decodeBody(await readBody(c.req), mt);
      result = await store.update(c.ns, c.info.name, async (cur) => {
        const next = this.reg.schemas.applyPatch(c.def, mt, cur, patch);
        this.checkObject(c, next, warnings);
        await this.admit(c, 'UPDATE', next, cur);
        return next;
      }, { dryRun });
    }
    addWarnings(c.res, [...new Set(warnings)]);
    writeJson(c.res, result.created ? 201 : 200, result.json);
  }

  /** PatchOptions as upstream validates them: an apply names its fieldManager, and only an apply may force. */
  private checkPatchOptions(c: Ctx, mt: string): void {
    const manager = c.q.get('fieldManager') ?? '';
    const errs = [];
    if (mt !== applyPatchType) {
      if (c.q.has('force')) errs.push(forbiddenField('force', 'may not be specified for non-apply patch'));
    } else if (!manager) {
      errs.push(required('fieldManager', 'is required for apply patch'));
    } else if (manager.length > maxFieldManagerLength) {
      errs.push(tooLong('fieldManager', maxFieldManagerLength));
    }
    if (errs.length) throw invalid('meta.k8s.io', 'PatchOptions', '', errs);
  }

  /**
   * Server-side apply (PATCH with application/apply-patch+yaml): the body is the manager's whole intent;
   * a missing object is created from it.
   */
  private async apply(c: Ctx, dryRun: boolean, subresource?: 'status'): Promise<void> {
    const manager = c.q.get('fieldManager') ?? '';
    const force = c.q.get('force') === 'true';
    const body = decodeBody(await readBody(c.req), applyPatchType);
    if (!isJsonObject(body)) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    const gv = groupVersion(c.def);
    if (body.apiVersion !== gv) {
      throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${String(body.apiVersion ?? '')}, expected: ${gv}`);
    }
    const warnings: string[] = [];
    const applied = this.checkObject(c, body as KubeObject, warnings);
    const meta = (applied.metadata ??= {});
    meta.name ??= c.info.name;
    const opts = { manager, force, apiVersion: gv, now: nowTimestamp(), skipStatus: !!c.def.subresources.status, subresource };
    const schema = this.reg.schemas.schemaOf(c.def);
    const result = await this.reg.store(c.def).update(c.ns, c.info.name, async (cur) => {
      const exists = cur.metadata?.uid !== undefined;
      // Status belongs to an object that exists: applying it to a missing one is NotFound, as upstream.
      if (!exists && subresource) throw notFound({ group: c.def.group, resource: c.def.plural }, c.info.name);
      const next = serverSideApply(exists ? cur : undefined, applied, schema, opts);
      await this.admit(c, exists ? 'UPDATE' : 'CREATE', next, exists ? cur : undefined);
      return next;
    }, { dryRun, allowCreate: true, user: c.user, subresource });
    addWarnings(c.res, [...new Set(warnings)]);
    writeJson(c.res, result.created ? 201 : 200, result.json);
  }

  private async deleteOptions(c: Ctx): Promise<DeleteOptions> {
    let opts: DeleteOptions = {};
    const buf = await readBody(c.req);
    if (buf.length) {
      const body = decodeBody(buf, mediaTypeOf(c.req));
      if (isJsonObject(body)) opts = body as DeleteOptions;
    }
    const grace = c.q.get('gracePeriodSeconds');
    if (grace !== null) opts.gracePeriodSeconds = Number(grace);
    const pp = c.q.get('propagationPolicy');
    if (pp !== null) opts.propagationPolicy = pp;
    if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
      throw badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
    }
    return opts;
  }

  private async delete(c: Ctx): Promise<void> {
    const opts = await this.deleteOptions(c);
    const store = this.reg.store(c.def);
    const dryRun = this.dryRun(c) || (opts.dryRun ?? []).includes('All');
    const current = await store.getObject(c.ns, c.info.name);
    await this.admit(c, 'DELETE', undefined, current);
    const r = await store.delete(c.ns, c.info.name, opts, { dryRun });
    if (!r.finished || c.def.kind === 'Pod') return writeJson(c.res, 200, r.obj);
    writeJson(c.res, 200, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
      details: { name: c.info.name, group: c.def.group || undefined, kind: c.def.plural, uid: r.obj.metadata?.uid },
    });
  }

  private async deleteCollection(c: Ctx): Promise<void> {
    const opts = await this.deleteOptions(c);
    const store = this.reg.store(c.def);
    const dryRun = this.dryRun(c);
    const lo = listOptions(c.def, c.q, this.reg.fieldLabels(c.def));
    const listed = await store.list(c.ns, { ...lo, limit: undefined, continueToken: undefined });
    const deleted: KubeObject[] = [];
    for (const text of listed.items) {
      const o = JSON.parse(text) as KubeObject;
      const m = o.metadata ?? {};
      try {
        await this.admit({ ...c, ns: m.namespace || undefined }, 'DELETE', undefined, o, m.name ?? '');
        const r = await store.delete(m.namespace || undefined, m.name ?? '', opts, { dryRun });
        deleted.push(r.obj);
      } catch (e) {
        if ((e as { code?: number }).code !== 404) throw e;
      }
    }
    writeJson(c.res, 200, `{"kind":${JSON.stringify(c.def.listKind)},"apiVersion":${JSON.stringify(groupVersion(c.def))},"metadata":{},"items":${JSON.stringify(deleted)}}`);
  }

  /** status, approval and finalize: writes that change one part of the object and keep the rest. */
  private async onStatus(c: Ctx, sub: 'status' | 'approval' | 'finalize'): Promise<void> {
    const store = this.reg.store(c.def);
    if (c.info.verb === 'get' && sub !== 'finalize') return this.get(c);
    if (c.info.verb !== 'update' && (c.info.verb !== 'patch' || sub === 'finalize')) throw methodNotAllowed(c.info.verb, { group: c.def.group, resource: c.def.plural });
    const warnings: string[] = [];
    const dryRun = this.dryRun(c);
    let body: unknown;
    const mt = mediaTypeOf(c.req);
    if (c.info.verb === 'update') body = await this.decodeObject(c, warnings);
    else {
      if (!patchTypes.has(mt)) throw unsupportedMediaType(mt);
      this.checkPatchOptions(c, mt);
      if (mt === applyPatchType && sub === 'status') return this.apply(c, dryRun, 'status');
      body = decodeBody(await readBody(c.req), mt);
    }
    const r = await store.update(c.ns, c.info.name, async (cur) => {
      const next = c.info.verb === 'update' ? body as KubeObject : this.reg.schemas.applyPatch(c.def, mt, cur, body);
      await this.admit(c, 'UPDATE', next, cur);
      return next;
    }, { dryRun, subresource: sub });
    addWarnings(c.res, warnings);
    writeJson(c.res, 200, r.json);
  }

  private async onScale(c: Ctx): Promise<void> {
    const sc = c.def.subresources.scale!;
    const store = this.reg.store(c.def);
    if (c.info.verb === 'get') {
      const obj = JSON.parse(await store.get(c.ns, c.info.name)) as KubeObject;
      const scale = toScale(c.def, obj, sc) as KubeObject;
      const rep = chooseRepresentation(c.req.headers.accept);
      if (rep === 'yaml') return writeJson(c.res, 200, YAML.stringify(scale), 'application/yaml');
      if (rep === 'table') {
        const table = toTable(this.reg.scaleDef(), [scale], { resourceVersion: scale.metadata?.resourceVersion }, includeObject(c.q), this.describe);
        return writeJson(c.res, 200, table, tableMediaType);
      }
      return writeJson(c.res, 200, scale);
    }
    if (c.info.verb !== 'update' && c.info.verb !== 'patch') throw methodNotAllowed(c.info.verb, { group: c.def.group, resource: c.def.plural });
    const mt = mediaTypeOf(c.req);
    const body = decodeBody(await readBody(c.req), mt);
    const warnings: string[] = [];
    const r = await store.update(c.ns, c.info.name, async (cur) => {
      const curScale = toScale(c.def, cur, sc);
      let scale: Scale;
      if (c.info.verb === 'update') {
        if (!isJsonObject(body)) throw badRequest('a Scale object is required');
        scale = this.checkObject(c, body as KubeObject, warnings, 'Scale', 'autoscaling/v1') as Scale;
      } else {
        if (!patchTypes.has(mt)) throw unsupportedMediaType(mt);
        scale = this.reg.schemas.applyPatch(this.reg.scaleDef(), mt, curScale as KubeObject, body) as Scale;
      }
      const next = applyScale(cur, sc, scale);
      await this.admit(c, 'UPDATE', next, cur);
      return next;
    }, { dryRun: this.dryRun(c), subresource: 'scale' });
    writeJson(c.res, 200, toScale(c.def, r.obj, sc));
  }

  /** A create on `bindings`: the binding subresource of the pod the body names, in the same namespace. */
  private async onSubresourceAlias(c: Ctx, target: NonNullable<ResourceDef['subresourceOf']>): Promise<void> {
    const def = this.reg.table.lookup(c.def.group, c.def.version, target.plural);
    if (!def) throw notFoundResource();
    const body = await this.bindingBody(c);
    await this.bind({ ...c, def, info: { ...c.info, resource: target.plural, subresource: target.subresource } }, body, body.metadata?.name ?? '');
  }

  private async onBinding(c: Ctx): Promise<void> {
    if (c.info.verb !== 'create') throw methodNotAllowed(c.info.verb, { group: '', resource: 'pods' });
    const body = await this.bindingBody(c);
    await this.bind(c, body, body.metadata?.name || c.info.name);
  }

  private async bindingBody(c: Ctx): Promise<Binding> {
    const body = decodeBody(await readBody(c.req), mediaTypeOf(c.req));
    if (!isJsonObject(body)) throw badRequest('a Binding object is required');
    return body as unknown as Binding;
  }

  private async bind(c: Ctx, binding: Binding, name: string): Promise<void> {
    const body = binding as unknown as KubeObject;
    await this.reg.store(c.def).update(c.ns, name, async (cur) => {
      await this.admit(c, 'CREATE', body, cur, name);
      return bindPod(cur as Pod, binding) as unknown as KubeObject;
    }, { dryRun: this.dryRun(c), subresource: 'binding' });
    writeJson(c.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }

  /** Read-only kinds computed per request (componentstatuses): get and list, in any representation. */
  private async onComputed(c: Ctx): Promise<void> {
    if (c.info.subresource) throw notFoundResource();
    const items = await componentStatuses(this.reg.etcd);
    addWarnings(c.res, [componentStatusWarning]);
    const rep = chooseRepresentation(c.req.headers.accept);
    let body: unknown;
    let objs = items;
    if (c.info.verb === 'get') {
      const hit = items.find((o) => o.metadata?.name === c.info.name);
      if (!hit) throw notFound({ group: '', resource: 'componentstatus' }, c.info.name);
      objs = [hit];
      body = hit;
    } else {
      body = { kind: c.def.listKind, apiVersion: groupVersion(c.def), metadata: {}, items };
    }
    if (rep === 'table') return writeJson(c.res, 200, toTable(c.def, objs, {}, includeObject(c.q), this.describe), tableMediaType);
    if (rep === 'yaml') return writeJson(c.res, 200, YAML.stringify(body), 'application/yaml');
    writeJson(c.res, 200, body);
  }

  /** serviceaccounts/token: answered, never stored; 503 when this apiserver has no signing key. */
  private async onTokenRequest(c: Ctx): Promise<void> {
    if (c.info.verb !== 'create') throw methodNotAllowed(c.info.verb, { group: '', resource: 'serviceaccounts' });
    if (!this.tokenRequests) throw statusError(503, 'ServiceUnavailable', 'the apiserver has no service-account signing key (--service-account-signing-key-file)');
    const warnings: string[] = [];
    const raw = decodeBody(await readBody(c.req), mediaTypeOf(c.req));
    if (!isJsonObject(raw)) throw badRequest('a TokenRequest object is required');
    const body = this.checkObject(c, raw as KubeObject, warnings, 'TokenRequest', 'authentication.k8s.io/v1');
    await this.admit(c, 'CREATE', body, undefined);
    const answer = await this.tokenRequests.create(c.ns ?? '', c.info.name, body as unknown as TokenRequest);
    addWarnings(c.res, warnings);
    writeJson(c.res, 201, answer);
  }

  private async onEviction(c: Ctx): Promise<void> {
    if (c.info.verb !== 'create') throw methodNotAllowed(c.info.verb, { group: '', resource: 'pods' });
    const body = decodeBody(await readBody(c.req), mediaTypeOf(c.req));
    const dryRun = this.dryRun(c);
    await this.admit(c, 'CREATE', isJsonObject(body) ? body as KubeObject : undefined, undefined);
    try {
      await evictPod(this.reg, { namespace: c.ns ?? '', name: c.info.name, body, dryRun });
    } catch (e) {
      const retry = (e as { status?: { details?: { retryAfterSeconds?: number } } }).status?.details?.retryAfterSeconds;
      if (retry) c.res.setHeader('Retry-After', String(retry));
      throw e;
    }
    writeJson(c.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  q: URLSearchParams;
  user: UserInfo;
  def: ResourceDef;
  ns: string | undefined;
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export { writeError };

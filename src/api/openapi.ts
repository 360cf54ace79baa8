// Serves /openapi/v2 and /openapi/v3 from the build-time definitions and the live resource table,
// rebuilding lazily after the table changes (CRDs come and go) and caching bodies with their hashes.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ResourceTable } from '../registry/resource-table';
import type { ResourceDef } from '../registry/resource-types';
import { isSchema, type Definitions, type Schema, type SchemaSource } from '../registry/schema-types';
import { crdDefinitions } from './openapi-crd';
import type { OpenApiDoc, OpenApiDocs } from './openapi-docs';
import { gvRoot, pathsFor, type PathItem } from './openapi-operations';
import { encodeOpenApiV2, openApiV2ProtobufType } from './openapi-v2-protobuf';
import {
  pickDefinitions, reachable, referencedDefinitions, renderV2Paths, renderV3Paths, toV3Definition,
} from './openapi-render';

export interface ServedDocument {
  body: Buffer;
  /** Uppercase hex sha512 of body: the ETag and the `hash` query value, as upstream computes them. */
  hash: string;
}

export const defaultDefinitionsPath = path.join(__dirname, '../../openapi/definitions.json');

/** Reads dist/openapi/definitions.json; in a source checkout without a build, generates it in-process. */
export function loadDefinitions(file = defaultDefinitionsPath): Definitions {
  if (fs.existsSync(file)) {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!isSchema(parsed)) throw new Error(`${file} does not hold a definitions object`);
    return parsed as Definitions;
  }
  const generator: unknown = require(path.join(__dirname, '../../hack/gen-openapi'));
  if (typeof generator === 'object' && generator !== null && 'generateDefinitions' in generator &&
    typeof generator.generateDefinitions === 'function') {
    return generator.generateDefinitions() as Definitions;
  }
  throw new Error(`${file} is missing; run node dist/hack/gen-openapi.js`);
}

function hashed(body: Buffer): ServedDocument {
  return { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
}

const served = (doc: unknown): ServedDocument => hashed(Buffer.from(JSON.stringify(doc)));

/** Index key of a group version as upstream spells it: "api/v1", "apis/apps/v1". */
export function v3Key(group: string, version: string): string {
  return gvRoot(group, version).slice(1);
}

interface Built {
  defs: Definitions;
  v2?: ServedDocument;
  v2Protobuf?: ServedDocument;
  v3: Map<string, ServedDocument | null>;
  index?: ServedDocument;
}

export class OpenApiService implements SchemaSource, OpenApiDocs {
  private readonly generated: Definitions;
  private built: Built | undefined;

  constructor(private readonly table: ResourceTable, definitions?: Definitions) {
    this.generated = definitions ?? loadDefinitions();
    table.onChange(() => { this.built = undefined; });
  }

  /** Generated definitions plus those of CRD-served resources (which replace any same-named one). */
  definitions(): Definitions { return this.state().defs; }

  schemaFor(openapiName: string): Schema | undefined { return this.state().defs[openapiName]; }

  v2(): Record<string, unknown> { return JSON.parse(this.v2Document().body.toString()) as Record<string, unknown>; }

  v2Document(): ServedDocument {
    const st = this.state();
    if (!st.v2) {
      const items = this.table.all().flatMap((d) => this.pathsOf(d));
      st.v2 = served({
        swagger: '2.0',
        info: { title: 'Kubernetes', version: 'v1.32.0' },
        paths: renderV2Paths(sortPaths(items)),
        definitions: st.defs,
        securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
        security: [{ BearerToken: [] }],
      });
    }
    return st.v2;
  }

  v3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
    return JSON.parse(this.v3IndexDocument().body.toString()) as { paths: Record<string, { serverRelativeURL: string }> };
  }

  v3IndexDocument(): ServedDocument {
    const st = this.state();
    if (!st.index) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const { group, versions } of this.table.groupVersions()) {
        for (const version of versions) {
          const key = v3Key(group, version);
          const doc = this.v3GroupVersionDocument(key);
          if (doc) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
        }
      }
      const sorted: Record<string, { serverRelativeURL: string }> = {};
      for (const k of Object.keys(paths).sort()) sorted[k] = paths[k];
      st.index = served({ paths: sorted });
    }
    return st.index;
  }

  /** `gv` is the index key ("api/v1", "apis/apps/v1"); "v1" and "apps/v1" are accepted too. */
  v3GroupVersion(gv: string): Record<string, unknown> | undefined {
    const doc = this.v3GroupVersionDocument(gv);
    return doc ? JSON.parse(doc.body.toString()) as Record<string, unknown> : undefined;
  }

  v3GroupVersionDocument(gv: string): ServedDocument | undefined {
    const parsed = parseGv(gv);
    if (!parsed) return undefined;
    const key = v3Key(parsed.group, parsed.version);
    const st = this.state();
    const cached = st.v3.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const defsInGv = this.table.inGroupVersion(parsed.group, parsed.version);
    if (defsInGv.length === 0) { st.v3.set(key, null); return undefined; }
    const items = sortPaths(defsInGv.flatMap((d) => this.pathsOf(d)));
    const lookup = (n: string) => st.defs[n];
    const schemas: Definitions = {};
    for (const [name, s] of Object.entries(pickDefinitions(reachable(referencedDefinitions(items), lookup), lookup))) {
      schemas[name] = toV3Definition(name, s);
    }
    const doc = served({
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.32.0' },
      paths: renderV3Paths(items),
      components: {
        schemas,
        securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
      },
    });
    st.v3.set(key, doc);
    return doc;
  }

  /**
   * The document for an /openapi/... request path. A v3 group-version request whose `hash` matches
   * the current document may be cached forever, which is what the index's hashed URLs are for.
   */
  serve(reqPath: string, query: URLSearchParams, accept = ''): OpenApiDoc | undefined {
    const p = reqPath.replace(/\/+$/, '');
    const asDoc = (d: ServedDocument, immutable = false, contentType = 'application/json'): OpenApiDoc =>
      ({ body: d.body, contentType, etag: d.hash, immutable });
    if (p === '/openapi/v2') {
      if (!accept.includes('com.github.proto-openapi.spec.v2')) return asDoc(this.v2Document());
      const st = this.state();
      st.v2Protobuf ??= hashed(encodeOpenApiV2(this.v2()));
      return asDoc(st.v2Protobuf, false, openApiV2ProtobufType);
    }
    if (p === '/openapi/v3') return asDoc(this.v3IndexDocument());
    if (!p.startsWith('/openapi/v3/')) return undefined;
    const doc = this.v3GroupVersionDocument(p.slice('/openapi/v3/'.length));
    if (!doc) return undefined;
    return asDoc(doc, query.get('hash') === doc.hash);
  }

  private pathsOf(def: ResourceDef): PathItem[] {
    // Custom resources have no Go struct to drive strategic merge, so upstream does not offer it.
    return pathsFor(def, def.crdSchema === undefined);
  }

  private state(): Built {
    if (!this.built) {
      const defs: Definitions = { ...this.generated };
      for (const d of this.table.all()) if (d.crdSchema !== undefined) Object.assign(defs, crdDefinitions(d));
      this.built = { defs, v3: new Map() };
    }
    return this.built;
  }
}

function parseGv(gv: string): { group: string; version: string } | undefined {
  const parts = gv.replace(/^\/+|\/+$/g, '').replace(/^openapi\/v3\//, '').split('/');
  if (parts[0] === 'api' && parts.length === 2) return { group: '', version: parts[1] };
  if (parts[0] === 'apis' && parts.length === 3) return { group: parts[1], version: parts[2] };
  if (parts.length === 1 && parts[0]) return { group: '', version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return undefined;
}

function sortPaths(items: PathItem[]): PathItem[] {
  return [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// Finds fields a request body sets that the kind's schema does not declare, reported with the
// paths and wording of upstream's strict decoder; walkers are compiled once per schema because
// this runs on every create, update and patch, and they build a path only for an unknown field.
import { badRequest, type StatusError } from './errors';
import { isSchema, refName, type Schema, type SchemaSource } from './schema-types';

/** Where a walker is: field names and list indexes from the root, pushed and popped as it descends. */
type Path = (string | number)[];

type Walker = (value: unknown, path: Path, out: string[]) => void;

const noop: Walker = () => undefined;

/** Upstream's rendering of a path: `spec.containers[1].env[0].name`. */
function render(path: Path, last: string): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s ? `${s}.${last}` : last;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class UnknownFieldDetector {
  private readonly byName = new Map<string, { schema: Schema; walker: Walker }>();
  private readonly bySchema = new WeakMap<Schema, Walker>();

  constructor(private readonly source: SchemaSource) {}

  /** Unknown field paths in `obj` for the definition `openapiName`, in document order. */
  find(openapiName: string, obj: unknown): string[] {
    const out: string[] = [];
    this.named(openapiName)(obj, [], out);
    return out;
  }

  /** The same for a bare schema (a CRD version's schema, say); compiled once per schema object. */
  findWithSchema(schema: Schema, obj: unknown): string[] {
    const out: string[] = [];
    this.compile(schema)(obj, [], out);
    return out;
  }

  private named(name: string): Walker {
    const schema = this.source.schemaFor(name);
    if (!schema) return noop;
    const hit = this.byName.get(name);
    // The source may swap a definition (a CRD updated), so the cache is keyed on identity too.
    if (hit && hit.schema === schema) return hit.walker;
    // Go types whose value is raw JSON (RawExtension, FieldsV1, apiextensions JSON) decode anything.
    const opaque = name.startsWith('io.k8s.') && !schema.properties && !schema.additionalProperties && !schema.items;
    const entry = { schema, walker: noop };
    this.byName.set(name, entry);
    entry.walker = opaque ? noop : this.compile(schema);
    return entry.walker;
  }

  private compile(schema: Schema): Walker {
    const cached = this.bySchema.get(schema);
    if (cached) return cached;
    // Registered before building so recursive schemas terminate; the real walker replaces it below.
    let built: Walker = noop;
    const indirect: Walker = (v, p, out) => built(v, p, out);
    this.bySchema.set(schema, indirect);
    built = this.build(schema);
    this.bySchema.set(schema, built);
    return built;
  }

  private build(schema: Schema): Walker {
    if (typeof schema.$ref === 'string') {
      const name = refName(schema.$ref);
      return (v, p, out) => this.named(name)(v, p, out);
    }
    if (schema.allOf && schema.allOf.length === 1 && !schema.properties && !schema.type && isSchema(schema.allOf[0])) {
      return this.compile(schema.allOf[0]);
    }
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    if (schema.properties) return this.objectWalker(schema.properties, preserve, schema['x-kubernetes-embedded-resource'] === true);
    if (isSchema(schema.additionalProperties)) {
      const values = this.compile(schema.additionalProperties);
      return (v, p, out) => {
        if (!isPlainObject(v)) return;
        for (const k in v) {
          p.push(k);
          values(v[k], p, out);
          p.pop();
        }
      };
    }
    if (isSchema(schema.items)) {
      const item = this.compile(schema.items);
      return (v, p, out) => {
        if (!Array.isArray(v)) return;
        for (let i = 0; i < v.length; i++) {
          p.push(i);
          item(v[i], p, out);
          p.pop();
        }
      };
    }
    // A structural object with no declared fields keeps nothing unless told to preserve.
    if (schema.type === 'object' && !preserve && schema.additionalProperties !== true) {
      if (schema['x-kubernetes-embedded-resource'] === true) return this.objectWalker({}, false, true);
      return (v, p, out) => {
        if (!isPlainObject(v)) return;
        for (const k in v) out.push(render(p, k));
      };
    }
    return noop;
  }

  private objectWalker(properties: Record<string, Schema>, preserve: boolean, embedded: boolean): Walker {
    const fields = new Map<string, Walker>();
    for (const [k, s] of Object.entries(properties)) fields.set(k, this.compile(s));
    if (embedded) {
      if (!fields.has('apiVersion')) fields.set('apiVersion', noop);
      if (!fields.has('kind')) fields.set('kind', noop);
      if (!fields.has('metadata')) fields.set('metadata', (v, p, out) => this.named(objectMetaName)(v, p, out));
    }
    return (v, p, out) => {
      if (!isPlainObject(v)) return;
      // Bodies are parsed JSON: plain objects whose keys are all their own, so for-in needs no guard.
      for (const k in v) {
        const w = fields.get(k);
        if (w) {
          if (w === noop) continue;
          p.push(k);
          w(v[k], p, out);
          p.pop();
        } else if (!preserve) out.push(render(p, k));
      }
    };
  }
}

const objectMetaName = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** One upstream-worded warning per unknown field, for fieldValidation=Warn. */
export function unknownFieldWarnings(paths: string[]): string[] {
  return paths.map((p) => `unknown field ${JSON.stringify(p)}`);
}

/** The strict decoder's combined message, for fieldValidation=Strict. */
export function strictDecodingMessage(paths: string[]): string {
  return `strict decoding error: ${unknownFieldWarnings(paths).join(', ')}`;
}

/** The 400 a create or update gets under fieldValidation=Strict, worded as upstream's decoder error. */
export function strictDecodingError(kind: string, apiVersion: string, paths: string[]): StatusError {
  return badRequest(`${kind} in version ${JSON.stringify(versionOf(apiVersion))} cannot be handled as a ${kind}: ${strictDecodingMessage(paths)}`);
}

function versionOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? apiVersion : apiVersion.slice(i + 1);
}

// Build step: turns kubernetes-types' .d.ts files into OpenAPI v2 definitions named as upstream
// names them, written to dist/openapi/definitions.json for serving, validation and patching.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import type { Definitions, GroupVersionKind, Schema } from '../src/registry/schema-types';
import { descriptionOf } from './openapi/jsdoc';
import { fallbackIntegerFormat, loadFieldFormats, type FieldFormats } from './openapi/number-formats';
import { atomicStructs, patchStrategies } from './openapi/patch-strategies';
import { intOrStringName, packageFor, type TypePackage } from './openapi/type-packages';

export interface GenerateOptions {
  /** Root of the kubernetes-types package. */
  typesDir?: string;
  /** @kubernetes/client-node's generated models, read for numeric formats. */
  modelsDir?: string;
}

interface ModuleInfo {
  modulePath: string;
  pkg: TypePackage;
  source: ts.SourceFile;
  /** Local name → fully qualified definition name, for imports and local declarations alike. */
  names: Map<string, string>;
}

const intOrStringDescription =
  'IntOrString holds either an int32 or a string; JSON and YAML carry whichever of the two was set. ' +
  'It lets one field take a number or a name, such as a port number or a named port.';

function resolveModuleDir(pkgName: string, fallbackFrom: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${pkgName}/package.json`));
  } catch {
    const guess = path.join(fallbackFrom, '..', ...pkgName.split('/'));
    return fs.existsSync(guess) ? guess : undefined;
  }
}

function listModules(typesDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.d.ts')) out.push(path.relative(typesDir, full).slice(0, -'.d.ts'.length).split(path.sep).join('/'));
    }
  };
  walk(typesDir);
  return out.sort();
}

function loadModule(typesDir: string, modulePath: string): ModuleInfo {
  const file = path.join(typesDir, `${modulePath}.d.ts`);
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const pkg = packageFor(modulePath);
  const names = new Map<string, string>();
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(modulePath), st.moduleSpecifier.text));
      const targetPkg = packageFor(target);
      const bindings = st.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) {
          names.set(el.name.text, `${targetPkg.prefix}.${(el.propertyName ?? el.name).text}`);
        }
      }
    } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
      names.set(st.name.text, `${pkg.prefix}.${st.name.text}`);
    }
  }
  return { modulePath, pkg, source, names };
}

class DefinitionBuilder {
  readonly defs: Definitions = {};
  readonly groupVersions: GroupVersionKind[] = [];

  constructor(private readonly formats: FieldFormats) {}

  addModule(mod: ModuleInfo): void {
    for (const st of mod.source.statements) {
      if (ts.isInterfaceDeclaration(st)) this.addInterface(mod, st);
      else if (ts.isTypeAliasDeclaration(st)) this.addAlias(mod, st);
    }
  }

  private addAlias(mod: ModuleInfo, st: ts.TypeAliasDeclaration): void {
    const name = `${mod.pkg.prefix}.${st.name.text}`;
    const def: Schema = {};
    const description = descriptionOf(st, mod.source);
    if (description) def.description = description;
    // Only scalar aliases carry a type; the apiextensions "X or Y" unions are left untyped as upstream does.
    if (st.type.kind === ts.SyntaxKind.StringKeyword) {
      def.type = 'string';
      if (st.name.text === 'Time' || st.name.text === 'MicroTime') def.format = 'date-time';
    }
    this.defs[name] = def;
  }

  private addInterface(mod: ModuleInfo, st: ts.InterfaceDeclaration): void {
    const shortName = st.name.text;
    const name = `${mod.pkg.prefix}.${shortName}`;
    const def: Schema = {};
    const description = descriptionOf(st, mod.source);
    if (description) def.description = description;
    const members = st.members.filter(ts.isPropertySignature);
    if (members.length === 0) {
      // Empty Go structs that hold arbitrary JSON; apiextensions' JSON is deliberately untyped.
      if (!(mod.pkg.dir === 'apiextensions' && shortName === 'JSON')) def.type = 'object';
      this.defs[name] = def;
      return;
    }
    def.type = 'object';
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    const facts = patchStrategies[name] ?? {};
    let apiVersion: string | undefined;
    let kind: string | undefined;
    for (const m of members) {
      if (!m.type) continue;
      const field = propertyName(m.name);
      if (!m.questionToken) required.push(field);
      const literal = stringLiteral(m.type);
      if (field === 'apiVersion' && literal) apiVersion = literal;
      if (field === 'kind' && literal) kind = literal;
      const format = this.formats.lookup(mod.pkg.dir, mod.pkg.version, shortName, field);
      const prop = this.typeToSchema(mod, m.type, field, format);
      const desc = descriptionOf(m, mod.source);
      const out: Schema = desc ? { description: desc, ...prop } : prop;
      const f = facts[field];
      if (f) {
        if (f.listMapKeys) out['x-kubernetes-list-map-keys'] = f.listMapKeys;
        if (f.listType) out['x-kubernetes-list-type'] = f.listType;
        if (f.mergeKey) out['x-kubernetes-patch-merge-key'] = f.mergeKey;
        if (f.strategy) out['x-kubernetes-patch-strategy'] = f.strategy;
      }
      properties[field] = out;
    }
    def.properties = properties;
    if (required.length) def.required = required;
    if (atomicStructs.includes(name)) def['x-kubernetes-map-type'] = 'atomic';
    if (apiVersion && kind) {
      const slash = apiVersion.indexOf('/');
      const gvk = slash < 0
        ? { group: '', kind, version: apiVersion }
        : { group: apiVersion.slice(0, slash), kind, version: apiVersion.slice(slash + 1) };
      def['x-kubernetes-group-version-kind'] = [gvk];
      if (!this.groupVersions.some((g) => g.group === gvk.group && g.version === gvk.version)) this.groupVersions.push(gvk);
    }
    this.defs[name] = def;
  }

  private typeToSchema(mod: ModuleInfo, t: ts.TypeNode, field: string, format: string | undefined): Schema {
    switch (t.kind) {
      case ts.SyntaxKind.StringKeyword:
        return format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.NumberKeyword:
        if (format === 'double' || format === 'float') return { type: 'number', format };
        return { type: 'integer', format: format === 'int32' || format === 'int64' ? format : fallbackIntegerFormat(field) };
    }
    if (ts.isLiteralTypeNode(t)) return { type: 'string' };
    if (ts.isParenthesizedTypeNode(t)) return this.typeToSchema(mod, t.type, field, format);
    if (ts.isUnionTypeNode(t)) {
      const kinds = new Set(t.types.map((x) => x.kind));
      if (kinds.has(ts.SyntaxKind.NumberKeyword) && kinds.has(ts.SyntaxKind.StringKeyword)) return { $ref: ref(intOrStringName) };
      if (t.types.every((x) => ts.isLiteralTypeNode(x))) return { type: 'string' };
      return {};
    }
    if (ts.isArrayTypeNode(t)) return { type: 'array', items: this.typeToSchema(mod, t.elementType, field, format) };
    if (ts.isTypeReferenceNode(t)) {
      const refName = ts.isIdentifier(t.typeName) ? t.typeName.text : t.typeName.right.text;
      if (refName === 'Array' && t.typeArguments?.length === 1) {
        return { type: 'array', items: this.typeToSchema(mod, t.typeArguments[0], field, format) };
      }
      const target = mod.names.get(refName);
      return target ? { $ref: ref(target) } : {};
    }
    if (ts.isTypeLiteralNode(t)) {
      const index = t.members.find(ts.isIndexSignatureDeclaration);
      if (index) return { type: 'object', additionalProperties: this.typeToSchema(mod, index.type, field, format) };
      return { type: 'object' };
    }
    return {};
  }

  /** Kinds kubernetes-types leaves without literal apiVersion/kind but upstream registers anyway. */
  addSharedKinds(): void {
    const metaName = (n: string) => `io.k8s.apimachinery.pkg.apis.meta.v1.${n}`;
    for (const kind of ['APIGroup', 'APIGroupList', 'APIResourceList', 'APIVersions', 'Status']) {
      const d = this.defs[metaName(kind)];
      if (d) d['x-kubernetes-group-version-kind'] = [{ group: '', kind, version: 'v1' }];
    }
    const everyGv = [...this.groupVersions].sort((a, b) =>
      a.group === b.group ? a.version.localeCompare(b.version) : a.group.localeCompare(b.group));
    for (const kind of ['DeleteOptions', 'WatchEvent']) {
      const d = this.defs[metaName(kind)];
      if (d) d['x-kubernetes-group-version-kind'] = everyGv.map((g) => ({ group: g.group, kind, version: g.version }));
    }
    this.defs[intOrStringName] = { description: intOrStringDescription, type: 'string', format: 'int-or-string' };
  }
}

function ref(name: string): string { return `#/definitions/${name}`; }

function propertyName(n: ts.PropertyName): string {
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return n.getText();
}

function stringLiteral(t: ts.TypeNode): string | undefined {
  return ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined;
}

export function generateDefinitions(opts: GenerateOptions = {}): Definitions {
  const typesDir = opts.typesDir ?? resolveModuleDir('kubernetes-types', __dirname);
  if (!typesDir) throw new Error('kubernetes-types is not installed');
  const modelsDir = opts.modelsDir ??
    path.join(resolveModuleDir('@kubernetes/client-node', typesDir) ?? '', 'dist', 'gen', 'models');
  const builder = new DefinitionBuilder(loadFieldFormats(modelsDir));
  for (const m of listModules(typesDir)) builder.addModule(loadModule(typesDir, m));
  builder.addSharedKinds();
  const sorted: Definitions = {};
  for (const k of Object.keys(builder.defs).sort()) sorted[k] = builder.defs[k];
  return sorted;
}

if (require.main === module) {
  const out = process.argv[2] ?? path.join(__dirname, '..', 'openapi', 'definitions.json');
  const defs = generateDefinitions();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(defs));
  process.stdout.write(`wrote ${Object.keys(defs).length} definitions to ${out}\n`);
}

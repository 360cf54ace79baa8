// The one resource table: routing, discovery, OpenAPI, storage keys and printing all derive from it.
// Built-in entries register at start; CRDs add and remove entries at run time through the same table.
import { groupVersion, type ResourceDef } from './resource-types';

export const standardVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export type ResourceInput = Omit<ResourceDef, 'listKind' | 'singular' | 'shortNames' | 'categories' | 'verbs' |
  'storagePrefix' | 'subresources' | 'hasGeneration' | 'strategy'> & Partial<ResourceDef>;

export function defineResource(r: ResourceInput): ResourceDef {
  return {
    listKind: `${r.kind}List`,
    singular: r.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    verbs: standardVerbs,
    storagePrefix: r.plural,
    subresources: {},
    hasGeneration: false,
    strategy: {},
    ...r,
  };
}

type Listener = () => void;

export class ResourceTable {
  private readonly byPath = new Map<string, ResourceDef>();
  private readonly listeners: Listener[] = [];

  add(def: ResourceDef): void {
    this.byPath.set(`${groupVersion(def)}/${def.plural}`, def);
    this.changed();
  }

  remove(group: string, plural: string): void {
    for (const [k, d] of this.byPath) if (d.group === group && d.plural === plural) this.byPath.delete(k);
    this.changed();
  }

  lookup(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.byPath.get(`${group ? group + '/' : ''}${version}/${plural}`);
  }

  all(): ResourceDef[] { return [...this.byPath.values()]; }

  /** Group versions served, core ("v1") first, then groups in the order added. */
  groupVersions(): { group: string; versions: string[] }[] {
    const groups = new Map<string, string[]>();
    for (const d of this.byPath.values()) {
      const vs = groups.get(d.group) ?? [];
      if (!vs.includes(d.version)) vs.push(d.version);
      groups.set(d.group, vs);
    }
    return [...groups].map(([group, versions]) => ({ group, versions }));
  }

  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.all().filter((d) => d.group === group && d.version === version);
  }

  onChange(l: Listener): void { this.listeners.push(l); }
  private changed(): void { for (const l of this.listeners) l(); }
}

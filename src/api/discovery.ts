// Discovery documents derived from the resource table: legacy (/api, /apis, /api/v1,
// /apis/<g>, /apis/<g>/<v>) and aggregated (apidiscovery.k8s.io v2 and v2beta1), which kubectl asks for first.
import { createHash } from 'node:crypto';
import type { ResourceTable } from '../registry/resource-table';
import { groupVersion, type ResourceDef } from '../registry/resource-types';

interface SubresourceFacts { kind: string; group: string; version: string; verbs: string[] }

/** What each subresource returns and allows, as upstream serves them. */
function subresourceFacts(def: ResourceDef, sub: string): SubresourceFacts {
  const self = { kind: def.kind, group: def.group, version: def.version };
  switch (sub) {
    case 'status': case 'approval': return { ...self, verbs: ['get', 'patch', 'update'] };
    case 'scale': return { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
    case 'binding': return { kind: 'Binding', group: '', version: 'v1', verbs: ['create'] };
    case 'eviction': return { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] };
    case 'log': return { kind: 'Pod', group: '', version: 'v1', verbs: ['get'] };
    case 'exec': return { kind: 'PodExecOptions', group: '', version: 'v1', verbs: ['create', 'get'] };
    case 'attach': return { kind: 'PodAttachOptions', group: '', version: 'v1', verbs: ['create', 'get'] };
    case 'portforward': return { kind: 'PodPortForwardOptions', group: '', version: 'v1', verbs: ['create', 'get'] };
    case 'proxy': return { kind: def.kind === 'Node' ? 'NodeProxyOptions' : def.kind === 'Pod' ? 'PodProxyOptions' : 'ServiceProxyOptions', group: '', version: 'v1', verbs: ['create', 'delete', 'get', 'patch', 'update'] };
    case 'finalize': return { ...self, verbs: ['update'] };
    case 'token': return { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] };
    case 'ephemeralcontainers': case 'resize': return { ...self, verbs: ['get', 'patch', 'update'] };
    default: return { ...self, verbs: ['get'] };
  }
}

export function subresourcesOf(def: ResourceDef): string[] {
  const out: string[] = [];
  if (def.subresources.status) out.push('status');
  if (def.subresources.scale) out.push('scale');
  out.push(...(def.subresources.others ?? []));
  return out;
}

/** The same for every version of a resource stored in one version, as upstream's. */
function storageVersionHash(def: ResourceDef): string {
  const storedAs = def.conversion?.storageApiVersion ?? groupVersion(def);
  return createHash('sha256').update(`${storedAs}/${def.kind}`).digest('base64').slice(0, 11);
}

export class Discovery {
  constructor(private readonly table: ResourceTable, private readonly address: () => string) {}

  apiVersions(): object {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.address() }] };
  }

  private apiGroup(group: string, versions: string[]): object {
    const gvs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
    return { name: group, versions: gvs, preferredVersion: gvs[0] };
  }

  apiGroupList(): object {
    const groups = this.table.groupVersions().filter((g) => g.group !== '').map((g) => this.apiGroup(g.group, g.versions));
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  apiGroupDoc(group: string): object | undefined {
    const g = this.table.groupVersions().find((x) => x.group === group);
    return g ? { kind: 'APIGroup', apiVersion: 'v1', ...this.apiGroup(g.group, g.versions) } : undefined;
  }

  resourceList(group: string, version: string): object | undefined {
    const defs = this.table.inGroupVersion(group, version);
    if (!defs.length) return undefined;
    const resources: object[] = [];
    for (const d of defs.sort((a, b) => a.plural.localeCompare(b.plural))) {
      resources.push({
        name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs,
        ...(d.shortNames.length ? { shortNames: d.shortNames } : {}),
        ...(d.categories.length ? { categories: d.categories } : {}),
        storageVersionHash: storageVersionHash(d),
      });
      for (const sub of subresourcesOf(d)) {
        const f = subresourceFacts(d, sub);
        resources.push({
          name: `${d.plural}/${sub}`, singularName: '', namespaced: d.namespaced,
          ...(f.group !== d.group || f.version !== d.version ? { group: f.group, version: f.version } : {}),
          kind: f.kind, verbs: f.verbs,
        });
      }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  }

  /** Aggregated discovery: `core` selects /api (the legacy group), otherwise every named group. */
  aggregated(core: boolean, apiVersion: 'v2' | 'v2beta1'): object {
    const items = this.table.groupVersions()
      .filter((g) => (g.group === '') === core)
      .map((g) => ({
        metadata: g.group ? { name: g.group } : {},
        versions: g.versions.map((v) => ({
          version: v,
          resources: this.table.inGroupVersion(g.group, v).sort((a, b) => a.plural.localeCompare(b.plural)).map((d) => ({
            resource: d.plural,
            // The resource's own kind is reported relative to its group version, as upstream does.
            responseKind: { group: '', version: '', kind: d.kind },
            scope: d.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: d.singular,
            verbs: d.verbs,
            ...(d.shortNames.length ? { shortNames: d.shortNames } : {}),
            ...(d.categories.length ? { categories: d.categories } : {}),
            ...(subresourcesOf(d).length ? {
              subresources: subresourcesOf(d).map((s) => {
                const f = subresourceFacts(d, s);
                const own = f.group === d.group && f.version === d.version;
                return { subresource: s, responseKind: { group: own ? '' : f.group, version: own ? '' : f.version, kind: f.kind }, verbs: f.verbs };
              }),
            } : {}),
          })),
          freshness: 'Current',
        })),
      }));
    return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${apiVersion}`, metadata: {}, items };
  }
}

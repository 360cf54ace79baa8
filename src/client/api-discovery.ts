// Which resources the apiserver serves, read from /api and /apis discovery at each group's preferred
// version (as client-go's ServerPreferredResources), so controllers that act on "every kind" (namespace
// deletion, garbage collection) also cover kinds added later and CRDs.
import type { APIGroupList, APIResourceList, APIVersions } from 'kubernetes-types/meta/v1';
import type { ResourceRef } from './resource-ref';
import type { RestClient } from './rest-client';

export interface DiscoveredResource extends ResourceRef {
  kind: string;
  verbs: string[];
}

export interface DiscoveryResult {
  resources: DiscoveredResource[];
  /** Group versions whose resource list could not be read ("apps/v1: <error>"). */
  failures: string[];
}

/** Preferred-version resources (subresources left out); a failing group is reported, not fatal. */
export async function discoverResources(client: RestClient): Promise<DiscoveryResult> {
  const gvs: string[] = [];
  const core = await client.request<APIVersions>('GET', '/api');
  if (core.versions.includes('v1')) gvs.push('v1');
  const groups = await client.request<APIGroupList>('GET', '/apis');
  for (const g of groups.groups) {
    const preferred = g.preferredVersion?.groupVersion ?? g.versions[0]?.groupVersion;
    if (preferred) gvs.push(preferred);
  }
  const resources: DiscoveredResource[] = [];
  const failures: string[] = [];
  await Promise.all(gvs.map(async (gv) => {
    try {
      const list = await client.request<APIResourceList>('GET', gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`);
      resources.push(...resourcesOf(list));
    } catch (err) {
      failures.push(`${gv}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }));
  return { resources, failures };
}

export function resourcesOf(list: APIResourceList): DiscoveredResource[] {
  const [group, version] = list.groupVersion.includes('/') ? list.groupVersion.split('/') : ['', list.groupVersion];
  return list.resources.filter((r) => !r.name.includes('/')).map((r) => ({
    group, version, plural: r.name, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs,
  }));
}

export function supportsVerbs(r: DiscoveredResource, ...verbs: string[]): boolean {
  return verbs.every((v) => r.verbs.includes(v));
}

export function groupVersionOf(r: ResourceRef): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

// Which Ingress backend an HTTP request goes to, by upstream's rules: hosts exact or `*.` plus exactly one
// label, paths Exact (string equality) or Prefix (element-wise on `/`), ImplementationSpecific as Prefix,
// the longest path first with Exact before Prefix on a tie, then the default backend. Pure: tests drive it.
import type { HTTPIngressPath, Ingress, IngressBackend } from 'kubernetes-types/networking/v1';

/** A backend together with the Ingress it came from (its namespace is where the Service lives). */
export interface RouteTarget {
  namespace: string;
  ingress: string;
  backend: IngressBackend;
}

/** The request host without port, trailing dot or case, as hosts compare (DNS names are case-insensitive). */
export function normalizeHost(hostHeader: string | undefined): string {
  let h = (hostHeader ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  if (colon >= 0) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** `*.foo.com` matches `bar.foo.com` but neither `foo.com` nor `baz.bar.foo.com`; other hosts match exactly. */
export function hostMatches(ruleHost: string, host: string): boolean {
  if (!ruleHost.startsWith('*.')) return ruleHost === host;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot) === ruleHost.slice(1);
}

function elements(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}

/** Exact: the paths are equal. Prefix: the rule's `/`-separated elements start the request's (trailing `/` ignored). */
export function pathMatches(pathType: string, rulePath: string, requestPath: string): boolean {
  if (pathType === 'Exact') return rulePath === requestPath;
  const want = elements(rulePath);
  const got = elements(requestPath);
  return want.length <= got.length && want.every((e, i) => e === got[i]);
}

interface PathRule {
  exact: boolean;
  path: string;
  /** Element count, then characters: longer wins. */
  weight: [number, number];
  target: RouteTarget;
}

/** The rules of one host (or of every host, for rules without one) from every Ingress that names it. */
interface HostGroup {
  paths: PathRule[];
  /** The default backend of the oldest Ingress contributing to this host, for requests no path matches. */
  fallback?: RouteTarget;
}

/** Oldest first (then namespace/name), so that when two Ingresses claim the same host and path the older keeps it. */
export function byAge(a: Ingress, b: Ingress): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata?.namespace}/${a.metadata?.name}`;
  const kb = `${b.metadata?.namespace}/${b.metadata?.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function ruleFor(p: HTTPIngressPath, target: RouteTarget): PathRule {
  const exact = p.pathType === 'Exact';
  const path = p.path || '/';
  return { exact, path, weight: [elements(path).length, path.replace(/\/+$/, '').length], target };
}

function heavier(a: PathRule, b: PathRule): boolean {
  if (a.weight[0] !== b.weight[0]) return a.weight[0] > b.weight[0];
  if (a.exact !== b.exact) return a.exact;
  return a.weight[1] > b.weight[1];
}

export class RouteTable {
  private readonly hosts = new Map<string, HostGroup>();
  private readonly defaultBackend?: RouteTarget;

  constructor(ingresses: Ingress[]) {
    let defaultBackend: RouteTarget | undefined;
    for (const ing of [...ingresses].sort(byAge)) {
      const namespace = ing.metadata?.namespace ?? 'default';
      const ingress = ing.metadata?.name ?? '';
      const own = ing.spec?.defaultBackend ? { namespace, ingress, backend: ing.spec.defaultBackend } : undefined;
      defaultBackend ??= own;
      for (const rule of ing.spec?.rules ?? []) {
        const host = (rule.host ?? '').toLowerCase();
        let group = this.hosts.get(host);
        if (!group) this.hosts.set(host, group = { paths: [] });
        group.fallback ??= own;
        for (const p of rule.http?.paths ?? []) {
          const r = ruleFor(p, { namespace, ingress, backend: p.backend });
          // The same path claimed twice (same type) belongs to the older Ingress.
          if (!group.paths.some((q) => q.exact === r.exact && q.path === r.path)) group.paths.push(r);
        }
      }
    }
    this.defaultBackend = defaultBackend;
  }

  /**
   * The target for a request, or undefined (404). As a virtual server per host does, the most specific
   * host that has rules decides alone: an exact host, else its single-label wildcard, else the host-less rules.
   */
  route(hostHeader: string | undefined, requestPath: string): RouteTarget | undefined {
    const host = normalizeHost(hostHeader);
    const dot = host.indexOf('.');
    const group = this.hosts.get(host)
      ?? (dot > 0 ? this.hosts.get(`*${host.slice(dot)}`) : undefined)
      ?? this.hosts.get('');
    let best: PathRule | undefined;
    for (const r of group?.paths ?? []) {
      if (pathMatches(r.exact ? 'Exact' : 'Prefix', r.path, requestPath) && (!best || heavier(r, best))) best = r;
    }
    return best?.target ?? group?.fallback ?? this.defaultBackend;
  }

  /** The hosts with rules (for logs and status). */
  get hostNames(): string[] { return [...this.hosts.keys()]; }
}

// `kubectl get` columns for networking.k8s.io: ingresses, ingressclasses, networkpolicies, with
// upstream's cell formats (hosts list, load-balancer address, `80, 443` ports).
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { fromLabelSelector } from '../label-selector';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, nameColumn } from './index-helpers';

const age = (o: KubeObject) => ageSince(o.metadata?.creationTimestamp);
const name = (o: KubeObject) => o.metadata?.name ?? '';

/** Up to three rule hosts, `*` when none names a host. */
export function formatIngressHosts(ing: Ingress): string {
  const rules = ing.spec?.rules ?? [];
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const r of rules) {
    if (list.length === max) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - max} more...` : list.join(',');
}

/** Distinct load-balancer IPs (or hostnames), sorted, clipped to 16 characters outside `-o wide`. */
export function formatIngressAddress(ing: Ingress, wide: boolean): string {
  const set = new Set<string>();
  for (const i of ing.status?.loadBalancer?.ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  const r = [...set].sort().join(',');
  return !wide && r.length > 16 ? `${r.slice(0, 13)}...` : r;
}

export const ingressPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  row: (o) => {
    const ing = o as Ingress;
    // Table cells are computed once for both views; upstream's non-wide clipping applies to `get`.
    return [name(o), ing.spec?.ingressClassName ?? '<none>', formatIngressHosts(ing), formatIngressAddress(ing, false),
      (ing.spec?.tls ?? []).length ? '80, 443' : '80', age(o)];
  },
};

export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn(),
  ],
  row: (o) => {
    const p = (o as IngressClass).spec?.parameters;
    const params = p ? `${p.kind}${p.apiGroup !== undefined ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
    return [name(o), (o as IngressClass).spec?.controller ?? '', params, age(o)];
  },
};

/** metav1.FormatLabelSelector: `<none>` for an empty selector, `<error>` for an unconvertible one. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  try {
    const s = fromLabelSelector(sel)?.toString() ?? '';
    return s === '' ? '<none>' : s;
  } catch {
    return '<error>';
  }
}

export const networkPolicyPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Pod-Selector', 'string', 'podSelector selects the pods to which this NetworkPolicy object applies.'),
    ageColumn(),
  ],
  row: (o) => [name(o), formatLabelSelector((o as NetworkPolicy).spec?.podSelector), age(o)],
};

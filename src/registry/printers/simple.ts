// `kubectl get` columns for the kinds whose rows are a name, a count or two, and an age:
// namespaces, configmaps, secrets, serviceaccounts, endpoints, leases, componentstatuses.
import type { ComponentStatus, ConfigMap, Endpoints, Namespace, Secret, ServiceAccount } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, nameColumn } from './index-helpers';

const age = (o: KubeObject) => ageSince(o.metadata?.creationTimestamp);
const name = (o: KubeObject) => o.metadata?.name ?? '';

export const namespacePrinter: Printer = {
  columns: [nameColumn(), col('Status', 'string', 'The status of the namespace'), ageColumn()],
  row: (o) => [name(o), (o as Namespace).status?.phase ?? '', age(o)],
};

export const configMapPrinter: Printer = {
  columns: [nameColumn(), col('Data', 'integer', 'Number of keys in data and binaryData.'), ageColumn()],
  row: (o) => {
    const cm = o as ConfigMap;
    return [name(o), Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(o)];
  },
};

export const secretPrinter: Printer = {
  columns: [nameColumn(), col('Type', 'string', 'The type of the secret'), col('Data', 'integer', 'Number of keys in data.'), ageColumn()],
  row: (o) => {
    const s = o as Secret;
    return [name(o), s.type ?? '', Object.keys(s.data ?? {}).length, age(o)];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn(), col('Secrets', 'integer', 'Number of secrets listed for this service account.'), ageColumn()],
  row: (o) => [name(o), ((o as ServiceAccount).secrets ?? []).length, age(o)],
};

/** Up to three addresses (ip:port), then "+ N more...", as upstream's formatEndpoints. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const push = (s: string) => { if (list.length === max) { more = true; return false; } list.push(s); return true; };
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) if (!push(a.ip)) break;
      continue;
    }
    for (const port of ss.ports) {
      count += addrs.length;
      for (const a of addrs) {
        const host = a.ip.includes(':') ? `[${a.ip}]` : a.ip;
        if (!push(`${host}:${port.port}`)) break;
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn(), col('Endpoints', 'string', 'The addresses and ports behind the service.'), ageColumn()],
  row: (o) => [name(o), formatEndpoints(o as Endpoints), age(o)],
};

export const leasePrinter: Printer = {
  columns: [nameColumn(), col('Holder', 'string', 'The holder of the lease.'), ageColumn()],
  row: (o) => [name(o), (o as Lease).spec?.holderIdentity ?? '', age(o)],
};

/** Healthy / Unhealthy / Unknown from the Healthy condition, with its message and error. */
export const componentStatusPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Status', 'string', 'Status of the component conditions'),
    col('Message', 'string', 'Message of the component conditions'),
    col('Error', 'string', 'Error of the component conditions'),
  ],
  row: (o) => {
    const cs = o as ComponentStatus;
    let status = 'Unknown';
    let message = '';
    let error = '';
    for (const c of cs.conditions ?? []) {
      if (c.type !== 'Healthy') continue;
      status = c.status === 'True' ? 'Healthy' : 'Unhealthy';
      message = c.message ?? '';
      error = c.error ?? '';
    }
    return [name(o), status, message, error];
  },
};

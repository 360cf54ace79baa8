// `kubectl get endpointslices`: NAME ADDRESSTYPE PORTS ENDPOINTS AGE, lists capped at three entries
// with `+ N more...` and `<unset>` when empty, as upstream's listWithMoreString.
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, nameColumn } from './index-helpers';

const max = 3;

function listWithMore(list: string[], more: boolean, count: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

export function formatSlicePorts(es: EndpointSlice): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of es.ports ?? []) {
    if (list.length < max) list.push(p.port !== undefined ? String(p.port) : p.name !== undefined ? p.name : '*');
    else if (list.length === max) more = true;
    count++;
  }
  return listWithMore(list, more, count);
}

export function formatSliceEndpoints(es: EndpointSlice): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const e of es.endpoints ?? []) {
    for (const a of e.addresses ?? []) {
      if (list.length < max) list.push(a);
      else if (list.length === max) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count);
}

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn(),
    col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn(),
  ],
  row: (o: KubeObject) => {
    const es = o as unknown as EndpointSlice;
    return [o.metadata?.name ?? '', es.addressType ?? '', formatSlicePorts(es), formatSliceEndpoints(es), ageSince(o.metadata?.creationTimestamp)];
  },
};

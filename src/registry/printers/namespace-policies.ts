// `kubectl get limitranges` and `kubectl get resourcequotas` columns: creation time; quota usage as
// `resource: used/hard`, requests and limits apart.
import type { LimitRange, ResourceQuota } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../quantity';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, nameColumn } from './index-helpers';

export const limitRangePrinter: Printer = {
  columns: [nameColumn(), col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata')],
  row: (o: KubeObject) => [(o as LimitRange).metadata?.name ?? '', o.metadata?.creationTimestamp ?? ''],
};

const quantityText = (v: string | undefined) => {
  if (v === undefined) return '0';
  try { return parseQuantity(v).toString(); } catch { return v; }
};

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn(),
    ageColumn(),
    col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
  ],
  row(obj: KubeObject): unknown[] {
    const rq = obj as ResourceQuota;
    const hard = rq.status?.hard ?? {};
    const used = rq.status?.used ?? {};
    const requests: string[] = [];
    const limits: string[] = [];
    for (const r of Object.keys(hard).sort()) {
      const cell = `${r}: ${quantityText(used[r])}/${quantityText(hard[r])}`;
      const parts = r.split('.');
      (parts.length > 1 && parts[0] === 'limits' ? limits : requests).push(cell);
    }
    return [rq.metadata?.name ?? '', ageSince(rq.metadata?.creationTimestamp), requests.join(', '), limits.join(', ')];
  },
};

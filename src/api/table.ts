// Server-side printing: turns objects into meta.k8s.io/v1 Tables with the resource's printer columns
// (or Name/Age for kinds without one), which `kubectl get` shows as they come.
import type { KubeObject, Printer, ResourceDef, TableColumn } from '../registry/resource-types';
import { ageSince } from '../registry/printers/age';

const nameColumn: TableColumn = {
  name: 'Name', type: 'string', format: 'name', priority: 0,
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
};

const ageColumn: TableColumn = {
  name: 'Age', type: 'string', priority: 0,
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};

const defaultPrinter: Printer = {
  columns: [nameColumn, ageColumn],
  row: (o) => [o.metadata?.name ?? '', ageSince(o.metadata?.creationTimestamp)],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function printerFor(def: ResourceDef): Printer {
  return def.printer ?? defaultPrinter;
}

function columnsOf(p: Printer): TableColumn[] {
  return p.columns;
}

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function toTable(def: ResourceDef, objects: KubeObject[], listMeta: Record<string, unknown>,
  include: IncludeObject, withColumns = true): object {
  const p = printerFor(def);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    ...(withColumns ? { columnDefinitions: columnsOf(p) } : {}),
    rows: objects.map((o) => {
      const row: Record<string, unknown> = { cells: p.row(o) };
      const obj = rowObject(o, include);
      if (obj !== undefined) row.object = obj;
      return row;
    }),
  };
}

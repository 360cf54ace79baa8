// Server-side printing: turns objects into meta.k8s.io/v1 Tables with the resource's printer columns
// (or Name/Age for kinds without one), which `kubectl get` shows as they come.
import type { KubeObject, Printer, ResourceDef, TableColumn } from '../registry/resource-types';
import { ageColumn, nameColumn } from '../registry/printers/columns';
import { ageSince } from '../registry/printers/age';

const defaultPrinter: Printer = {
  columns: [nameColumn(), ageColumn()],
  row: (o) => [o.metadata?.name ?? '', ageSince(o.metadata?.creationTimestamp)],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export const tableMediaType = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** Resolves a column's `doc` reference to the OpenAPI description upstream puts in the Table. */
export type Describe = (ref: string) => string | undefined;

const resolved = new WeakMap<Printer, TableColumn[]>();

function columnsOf(p: Printer, describe: Describe): TableColumn[] {
  let cols = resolved.get(p);
  if (!cols) {
    cols = p.columns.map(({ doc, ...c }) => ({ ...c, description: (doc && describe(doc)) || c.description }));
    resolved.set(p, cols);
  }
  return cols;
}

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function toTable(def: ResourceDef, objects: KubeObject[], listMeta: Record<string, unknown>,
  include: IncludeObject, describe: Describe, withColumns = true): object {
  const p = def.printer ?? defaultPrinter;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    ...(withColumns ? { columnDefinitions: columnsOf(p, describe) } : {}),
    rows: objects.map((o) => {
      const row: Record<string, unknown> = { cells: p.row(o) };
      const obj = rowObject(o, include);
      if (obj !== undefined) row.object = obj;
      return row;
    }),
  };
}

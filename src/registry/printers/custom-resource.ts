// `kubectl get` columns for custom resources, from a CRD version's additionalPrinterColumns: each
// cell is the JSONPath's first result, typed as upstream's table convertor types it (dates become
// ages); a version without columns gets the Age column. Also the CRD kind's own Name/Created At table.
import { JSONPath } from 'jsonpath-plus';
import type { CustomResourceColumnDefinition } from 'kubernetes-types/apiextensions/v1';
import type { KubeObject, Printer, TableColumn } from '../resource-types';
import { ageSince, col, nameColumn } from './index-helpers';

const creationTimestampDoc = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta#creationTimestamp';

const defaultColumns: CustomResourceColumnDefinition[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: '' },
];

function columnType(t: string): TableColumn['type'] {
  return t === 'integer' || t === 'number' || t === 'boolean' || t === 'date' ? t : 'string';
}

/** The first value the column's path selects, or undefined. */
function firstResult(obj: KubeObject, jsonPath: string): unknown {
  const path = jsonPath.startsWith('.') ? `$${jsonPath}` : `$.${jsonPath}`;
  try {
    const found: unknown = JSONPath({ path, json: obj, wrap: true });
    return Array.isArray(found) && found.length ? found[0] : undefined;
  } catch {
    return undefined;
  }
}

/** A cell as upstream's cellForJSONValue makes it; null prints as <none>. */
function cell(type: string, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  switch (type) {
    case 'string': return typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'integer': return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number': return typeof v === 'number' ? v : null;
    case 'boolean': return typeof v === 'boolean' ? v : null;
    case 'date': return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? ageSince(v) : null;
    default: return null;
  }
}

export function customResourcePrinter(columns: CustomResourceColumnDefinition[] | undefined): Printer {
  const defs = columns && columns.length ? columns : defaultColumns;
  const tableColumns: TableColumn[] = [nameColumn(), ...defs.map((c): TableColumn => {
    const base = col(c.name, columnType(c.type), c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      c.priority ?? 0, c.format);
    return c === defaultColumns[0] ? { ...base, doc: creationTimestampDoc } : base;
  })];
  return {
    columns: tableColumns,
    row: (o) => [o.metadata?.name ?? '', ...defs.map((c) => cell(c.type, firstResult(o, c.jsonPath)))],
  };
}

/** CustomResourceDefinitions have no printer upstream: the default Name / Created At table. */
export const customResourceDefinitionPrinter: Printer = {
  columns: [nameColumn(), { ...col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.'), doc: creationTimestampDoc }],
  row: (o) => [o.metadata?.name ?? '', o.metadata?.creationTimestamp ?? null],
};

// Column definitions and cell formatting shared by the per-kind printers (Name, Age, container lists,
// selectors), so every printer matches upstream's Table output.
import type { Container } from 'kubernetes-types/core/v1';
import type { LabelSelector as MetaLabelSelector } from 'kubernetes-types/meta/v1';
import { fromLabelSelector } from '../label-selector';
import type { TableColumn } from '../resource-types';

export function col(name: string, type: TableColumn['type'], description: string, priority = 0, format?: string): TableColumn {
  return format ? { name, type, format, description, priority } : { name, type, description, priority };
}

const objectMeta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

export const nameColumn = (): TableColumn =>
  ({ ...col('Name', 'string', 'Name must be unique within a namespace. Cannot be updated.', 0, 'name'), doc: `${objectMeta}#name` });

export const ageColumn = (): TableColumn =>
  ({ ...col('Age', 'string', 'CreationTimestamp is the time this object was created, as a duration from now.'), doc: `${objectMeta}#creationTimestamp` });

export const containersColumn = (priority = 1) => col('Containers', 'string', 'Names of each container in the template.', priority);
export const imagesColumn = (priority = 1) => col('Images', 'string', 'Images referenced by each container in the template.', priority);

/** Container names and images, comma-joined, as upstream's layoutContainerCells. */
export function containerCells(containers: Container[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

/** A structured selector in string form; `<invalid>` when it cannot be converted. */
export function selectorString(sel: MetaLabelSelector | undefined): string {
  try {
    const s = fromLabelSelector(sel);
    return s ? s.toString() : '';
  } catch {
    return '<invalid>';
  }
}

/** upstream's metav1.FormatLabelSelector: `<none>` when empty, `<error>` when it cannot be converted. */
export function formatLabelSelector(sel: MetaLabelSelector | undefined): string {
  try {
    return fromLabelSelector(sel)?.toString() || '<none>';
  } catch {
    return '<error>';
  }
}

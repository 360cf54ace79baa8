// `kubectl get poddisruptionbudgets`: MIN AVAILABLE / MAX UNAVAILABLE as set (N/A when not), allowed disruptions.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { Printer } from '../resource-types';
import { ageColumn, ageSince, col, nameColumn } from './index-helpers';

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Min Available', 'string', 'The minimum number of pods that must be available simultaneously.  This can be either an integer or a string specifying a percentage, e.g. "28%".'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable simultaneously.  This can be either an integer or a string specifying a percentage, e.g. "28%".'),
    col('Allowed Disruptions', 'integer', 'Number of pod disruptions that are currently allowed.'),
    ageColumn(),
  ],
  row: (o) => {
    const pdb = o as PodDisruptionBudget;
    const show = (v: number | string | undefined) => (v === undefined ? 'N/A' : String(v));
    return [o.metadata?.name ?? '', show(pdb.spec?.minAvailable), show(pdb.spec?.maxUnavailable),
      pdb.status?.disruptionsAllowed ?? 0, ageSince(o.metadata?.creationTimestamp)];
  },
};

// The Priority admission plugin's PriorityClass rules: at most one globalDefault class, and the
// built-in system classes cannot be deleted (messages as upstream's plugin words them).
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { AdmissionPlugin } from './admission';
import { forbidden } from '../registry/errors';
import { systemPriorityClasses } from '../registry/validation/scheduling';

export function priorityAdmission(listClasses: () => Promise<PriorityClass[]>): AdmissionPlugin {
  return {
    name: 'Priority',
    async validate(a) {
      if (a.def.group !== 'scheduling.k8s.io' || a.def.plural !== 'priorityclasses' || a.subresource) return;
      const gr = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };
      if (a.operation === 'DELETE') {
        if (systemPriorityClasses.some((s) => s.name === a.name)) throw forbidden(gr, a.name, `The system priority class ${a.name} cannot be deleted`);
        return;
      }
      const pc = a.object as unknown as PriorityClass | undefined;
      if (!pc?.globalDefault) return;
      const current = (await listClasses()).find((c) => c.globalDefault);
      if (current && (a.operation === 'CREATE' || current.metadata?.name !== a.name)) {
        throw forbidden(gr, a.name, `PriorityClass ${current.metadata?.name} is already marked as default. Only one default can exist`);
      }
    },
  };
}

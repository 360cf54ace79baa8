// The Priority admission plugin: a new pod's spec.priority and preemptionPolicy come from its
// PriorityClass (or the globalDefault one); at most one globalDefault class; the built-in system classes
// cannot be deleted (messages as upstream's plugin words them).
import type { Pod } from 'kubernetes-types/core/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { AdmissionPlugin } from './admission';
import { forbidden } from '../registry/errors';
import { systemPriorityClasses } from '../registry/validation/scheduling';

export function priorityAdmission(listClasses: () => Promise<PriorityClass[]>): AdmissionPlugin {
  return {
    name: 'Priority',
    async mutate(a) {
      if (a.def.group !== '' || a.def.plural !== 'pods' || a.operation !== 'CREATE' || a.subresource) return;
      const spec = (a.object as unknown as Pod | undefined)?.spec as { priority?: number; priorityClassName?: string; preemptionPolicy?: string } | undefined;
      if (!spec) return;
      const gr = { group: '', resource: 'pods' };
      const classes = await listClasses();
      const pc = spec.priorityClassName
        ? classes.find((c) => c.metadata?.name === spec.priorityClassName)
        : classes.find((c) => c.globalDefault);
      if (spec.priorityClassName && !pc) throw forbidden(gr, a.name, `no PriorityClass with name ${spec.priorityClassName} was found`);
      if (!pc) return;
      if (spec.priority !== undefined && spec.priority !== pc.value) {
        throw forbidden(gr, a.name, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${pc.value} from the given PriorityClass name`);
      }
      const policy = pc.preemptionPolicy ?? 'PreemptLowerPriority';
      if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== policy) {
        throw forbidden(gr, a.name, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
      }
      spec.priorityClassName = pc.metadata?.name;
      spec.priority = pc.value;
      spec.preemptionPolicy = policy;
    },
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

// The Priority admission plugin on pod creation: priority and preemptionPolicy from the named or
// globalDefault PriorityClass, and upstream's 403s for a missing class or a conflicting integer.
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { AdmissionAttributes } from '../../src/admission/admission';
import { priorityAdmission } from '../../src/admission/priority';
import { builtinResources } from '../../src/registry/builtin-resources';
import type { KubeObject } from '../../src/registry/resource-types';

const podDef = builtinResources().find((d) => d.group === '' && d.plural === 'pods')!;
const classes: PriorityClass[] = [
  { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' },
  { metadata: { name: 'everyday' }, value: 5, globalDefault: true },
];
const plugin = priorityAdmission(async () => classes);

function attrs(spec: Record<string, unknown>): AdmissionAttributes {
  const object: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], ...spec } };
  return { operation: 'CREATE', def: podDef, namespace: 'd', name: 'p', subresource: '', object, user: { username: 'u', groups: [] }, dryRun: false };
}

describe('Priority admission for pods', () => {
  it('resolves the named class', async () => {
    const a = attrs({ priorityClassName: 'high' });
    await plugin.mutate!(a);
    expect(a.object!.spec).toMatchObject({ priorityClassName: 'high', priority: 1000, preemptionPolicy: 'Never' });
  });

  it('falls back to the globalDefault class', async () => {
    const a = attrs({});
    await plugin.mutate!(a);
    expect(a.object!.spec).toMatchObject({ priorityClassName: 'everyday', priority: 5, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('rejects an unknown class and a conflicting integer as upstream words them', async () => {
    await expect(plugin.mutate!(attrs({ priorityClassName: 'nope' }))).rejects.toMatchObject({
      status: expect.objectContaining({ code: 403, message: 'pods "p" is forbidden: no PriorityClass with name nope was found' }),
    });
    await expect(plugin.mutate!(attrs({ priorityClassName: 'high', priority: 7 }))).rejects.toMatchObject({
      status: expect.objectContaining({ code: 403, message: 'pods "p" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name' }),
    });
  });
});

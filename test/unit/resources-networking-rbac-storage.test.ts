// Defaults, validation and printer cells of the networking, discovery, policy, rbac, storage,
// scheduling and node kinds, and the reviews answered in place, without a cluster.
import { aggregateMessage } from '../../src/registry/field-error';
import type { KubeObject, Requester } from '../../src/registry/resource-types';
import { networkPolicyResource } from '../../src/registry/resources/networkpolicy';
import { ingressResource } from '../../src/registry/resources/ingress';
import { endpointSliceResource } from '../../src/registry/resources/endpointslice';
import { podDisruptionBudgetResource } from '../../src/registry/resources/poddisruptionbudget';
import { roleBindingResource } from '../../src/registry/resources/rolebinding';
import { storageClassResource } from '../../src/registry/resources/storageclass';
import { priorityClassResource } from '../../src/registry/resources/priorityclass';
import { selfSubjectAccessReviewResource } from '../../src/registry/resources/selfsubjectaccessreview';
import { selfSubjectReviewResource } from '../../src/registry/resources/selfsubjectreview';
import { formatIngressAddress, formatIngressHosts } from '../../src/registry/printers/networking';
import { formatSliceEndpoints, formatSlicePorts } from '../../src/registry/printers/endpointslice';
import { csrCondition } from '../../src/registry/printers/cluster-classes';
import { parseCidr, strictSubset } from '../../src/registry/validation/cidr';
import { builtinResources } from '../../src/registry/builtin-resources';

const msg = (r: { strategy: { validate?: (o: KubeObject) => unknown[] } }, o: KubeObject) =>
  aggregateMessage((r.strategy.validate?.(o) ?? []) as Parameters<typeof aggregateMessage>[0]);

describe('networkpolicies', () => {
  const r = networkPolicyResource();
  test('policyTypes: Ingress alone without egress rules; ports default to TCP', () => {
    const np: KubeObject = { metadata: { name: 'a', namespace: 'd' }, spec: { ingress: [{ ports: [{ port: 80 }] }] } };
    r.strategy.defaults?.(np);
    expect(np.spec).toEqual({ podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }], policyTypes: ['Ingress'] });
  });
  test('an ipBlock beside another peer is forbidden', () => {
    const np: KubeObject = { metadata: { name: 'a', namespace: 'd' }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] } };
    expect(msg(r, np)).toBe('spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer');
  });
  test('CIDR containment for except', () => {
    expect(strictSubset(parseCidr('10.0.0.0/8')!, parseCidr('10.1.0.0/16')!)).toBe(true);
    expect(strictSubset(parseCidr('10.0.0.0/8')!, parseCidr('10.0.0.0/8')!)).toBe(false);
    expect(strictSubset(parseCidr('fd00::/8')!, parseCidr('fd00:1::/32')!)).toBe(true);
    expect(parseCidr('10.0.0.1')).toBeUndefined();
  });
});

describe('ingresses', () => {
  const r = ingressResource();
  test('the class annotation must match ingressClassName on create', () => {
    const ing: KubeObject = {
      metadata: { name: 'a', namespace: 'd', annotations: { 'kubernetes.io/ingress.class': 'x' } },
      spec: { ingressClassName: 'y', defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
    };
    expect(msg(r, ing)).toBe('annotations.kubernetes.io/ingress.class: Invalid value: "x": must match `ingressClassName` when both are specified');
  });
  test('hosts list caps at three; address clipped outside -o wide', () => {
    const rules = ['a', 'b', 'c', 'd', 'e'].map((h) => ({ host: `${h}.io` }));
    expect(formatIngressHosts({ spec: { rules } })).toBe('a.io,b.io,c.io + 2 more...');
    expect(formatIngressHosts({ spec: { rules: [{}] } })).toBe('*');
    const status = { loadBalancer: { ingress: [{ ip: '192.168.100.200' }, { ip: '10.0.0.1' }] } };
    expect(formatIngressAddress({ status }, true)).toBe('10.0.0.1,192.168.100.200');
    expect(formatIngressAddress({ status }, false)).toBe('10.0.0.1,192....');
  });
});

describe('endpointslices', () => {
  test('ports and endpoints cells', () => {
    const es = { addressType: 'IPv4', endpoints: [{ addresses: ['1.1.1.1', '1.1.1.2'] }, { addresses: ['1.1.1.3', '1.1.1.4'] }], ports: [] };
    expect(formatSliceEndpoints(es)).toBe('1.1.1.1,1.1.1.2,1.1.1.3 + 1 more...');
    expect(formatSlicePorts(es)).toBe('<unset>');
    expect(formatSlicePorts({ addressType: 'IPv4', endpoints: [], ports: [{ name: 'x' }, {}] })).toBe('x,*');
  });
  test('loopback addresses are rejected', () => {
    const es: KubeObject = { metadata: { name: 'a', namespace: 'd' }, addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'] }] };
    expect(msg(endpointSliceResource(), es)).toBe('endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)');
  });
});

test('pdb: both minAvailable and maxUnavailable', () => {
  const pdb: KubeObject = { metadata: { name: 'a', namespace: 'd' }, spec: { minAvailable: 1, maxUnavailable: 1 } };
  expect(msg(podDisruptionBudgetResource(), pdb)).toMatch(/^spec: Invalid value: policy\.PodDisruptionBudgetSpec\{.*\}: minAvailable and maxUnavailable cannot be both set$/);
});

test('rolebinding: roleRef immutable, defaults for subjects', () => {
  const s = roleBindingResource().strategy;
  const rb: KubeObject = { metadata: { name: 'a', namespace: 'd' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }] };
  s.defaults?.(rb);
  expect(rb).toMatchObject({ roleRef: { apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io' }] });
  expect(s.validate?.(rb)).toEqual([]);
  const next = { ...rb, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' } };
  expect(aggregateMessage(s.validateUpdate?.(next, rb) ?? [])).toBe(
    'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"r"}: cannot change roleRef');
});

test('storageclass: provisioner and parameters fixed on update', () => {
  const s = storageClassResource().strategy;
  const old: KubeObject = { metadata: { name: 'a' }, provisioner: 'x.io/p', parameters: { a: '1' } };
  s.defaults?.(old);
  const next = { ...old, provisioner: 'y.io/p', parameters: { a: '2' } };
  expect((s.validateUpdate?.(next, old) ?? []).map(String)).toEqual([
    'parameters: Forbidden: updates to parameters are forbidden.', 'provisioner: Forbidden: updates to provisioner are forbidden.']);
});

test('priorityclass: a system name with the wrong value', () => {
  const pc: KubeObject = { metadata: { name: 'system-node-critical' }, value: 5 };
  expect(msg(priorityClassResource(), pc)).toBe(
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000");
});

test('csr condition column', () => {
  expect(csrCondition({ spec: { request: '', signerName: 'x' } })).toBe('Pending');
  expect(csrCondition({ spec: { request: '', signerName: 'x' }, status: { conditions: [{ type: 'Approved', status: 'True' }, { type: 'Failed', status: 'True' }], certificate: 'AA==' } })).toBe('Approved,Failed,Issued');
});

describe('reviews answered in place', () => {
  const requester: Requester = {
    user: { username: 'alice', groups: ['dev', 'system:authenticated'] },
    authorize: (q) => ({ allowed: q.verb === 'get', reason: q.verb === 'get' ? '' : 'only reads' }),
    rulesFor: () => ({ resourceRules: [], nonResourceRules: [], incomplete: false }),
    authenticateToken: async () => undefined,
  };
  test('SelfSubjectAccessReview asks the authorizer for the requester', async () => {
    const s = selfSubjectAccessReviewResource().strategy;
    const o: KubeObject = { spec: { resourceAttributes: { verb: 'delete', resource: 'pods' } } };
    expect((await s.answerCreate?.(o, requester))?.status).toEqual({ allowed: false, reason: 'only reads' });
    expect(aggregateMessage(s.validate?.({ spec: {} }) ?? [])).toBe(
      'spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
  });
  test('SelfSubjectReview reports the requester', async () => {
    expect((await selfSubjectReviewResource().strategy.answerCreate?.({}, requester))?.status).toEqual({ userInfo: { username: 'alice', groups: ['dev', 'system:authenticated'] } });
  });
  test('reviews are create-only in the table', () => {
    const reviews = builtinResources().filter((d) => d.kind.endsWith('Review'));
    expect(reviews.map((d) => d.plural).sort()).toEqual(['localsubjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews', 'tokenreviews']);
    for (const d of reviews) expect(d.verbs).toEqual(['create']);
  });
});

test('discovery order of the groups follows upstream /apis', () => {
  const groups = [...new Set(builtinResources().map((d) => d.group))];
  const order = ['', 'apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'networking.k8s.io', 'policy',
    'rbac.authorization.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io', 'discovery.k8s.io'];
  expect(groups.filter((g) => order.includes(g))).toEqual(order);
});

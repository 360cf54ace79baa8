// What the resourcequota controller reports as used: upstream's evaluators' counting rules.
import type { PersistentVolumeClaim, Pod, Service } from 'kubernetes-types/core/v1';
import { podMatchesScope, quotaScopeSelectors } from '../../src/controllers/resourcequota/quota-scopes';
import { podCounts, quotaUsage, type NamespaceObjects } from '../../src/controllers/resourcequota/quota-usage';

const pod = (name: string, o: { cpu?: string; memory?: string; limitCpu?: string; initCpu?: string; phase?: string; overhead?: string } = {}): Pod => ({
  metadata: { name },
  spec: {
    overhead: o.overhead ? { cpu: o.overhead } : undefined,
    initContainers: o.initCpu ? [{ name: 'init', resources: { requests: { cpu: o.initCpu } } }] : undefined,
    containers: [{ name: 'c', resources: {
      requests: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) },
      limits: o.limitCpu ? { cpu: o.limitCpu } : undefined,
    } }],
  },
  status: { phase: o.phase ?? 'Running' },
});

const objs = (o: Partial<NamespaceObjects>): NamespaceObjects => ({ pods: [], services: [], persistentvolumeclaims: [], counts: new Map(), ...o });

describe('quotaUsage', () => {
  it('counts live pods and sums their requests and limits canonically', () => {
    const used = quotaUsage({ pods: '10', 'requests.cpu': '2', cpu: '2', 'requests.memory': '1Gi', 'limits.cpu': '4' }, objs({
      pods: [pod('a', { cpu: '100m', memory: '64Mi', limitCpu: '1' }), pod('b', { cpu: '1', memory: '64Mi' }), pod('done', { cpu: '3', phase: 'Succeeded' })],
    }));
    expect(used).toEqual({ pods: '2', 'requests.cpu': '1100m', cpu: '1100m', 'requests.memory': '128Mi', 'limits.cpu': '1' });
  });

  it('takes an init container larger than the containers, and adds overhead', () => {
    expect(quotaUsage({ 'requests.cpu': '4' }, objs({ pods: [pod('p', { cpu: '200m', initCpu: '500m', overhead: '100m' })] }))).toEqual({ 'requests.cpu': '600m' });
  });

  it('reports zero as "0" for what nothing uses', () => {
    expect(quotaUsage({ pods: '5', 'requests.memory': '1Gi', secrets: '3' }, objs({ counts: new Map([['secrets', 0]]) }))).toEqual({ pods: '0', 'requests.memory': '0', secrets: '0' });
  });

  it('counts services by type, node ports per port, and claims by class', () => {
    const svc = (type: string, ports: number): Service => ({ spec: { type, ports: Array.from({ length: ports }, (_, i) => ({ port: 80 + i })) } });
    const claim = (cls: string, size: string): PersistentVolumeClaim => ({ spec: { storageClassName: cls, resources: { requests: { storage: size } } } });
    const used = quotaUsage({
      services: '9', 'services.nodeports': '9', 'services.loadbalancers': '9', persistentvolumeclaims: '9', 'requests.storage': '9Gi',
      'gold.storageclass.storage.k8s.io/requests.storage': '9Gi', 'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '9',
      'count/deployments.apps': '9', configmaps: '9',
    }, objs({
      services: [svc('ClusterIP', 1), svc('NodePort', 2), svc('LoadBalancer', 1)],
      persistentvolumeclaims: [claim('gold', '1Gi'), claim('local-path', '512Mi')],
      counts: new Map([['deployments.apps', 2], ['configmaps', 4]]),
    }));
    expect(used).toEqual({
      services: '3', 'services.nodeports': '3', 'services.loadbalancers': '1', persistentvolumeclaims: '2', 'requests.storage': '1536Mi',
      'gold.storageclass.storage.k8s.io/requests.storage': '1Gi', 'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
      'count/deployments.apps': '2', configmaps: '4',
    });
  });

  it('stops counting a deleted pod once its grace period is over', () => {
    const p = pod('p');
    const deleted: Pod = { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 } };
    expect(podCounts(deleted, Date.parse('2026-01-01T00:00:10Z'))).toBe(true);
    expect(podCounts(deleted, Date.parse('2026-01-01T00:00:31Z'))).toBe(false);
  });

  it('counts every stored pod under count/pods, finished ones included, but only live ones under pods', () => {
    const used = quotaUsage({ pods: '9', 'count/pods': '9' }, objs({ pods: [pod('a'), pod('done', { phase: 'Succeeded' }), pod('failed', { phase: 'Failed' })] }));
    expect(used).toEqual({ pods: '1', 'count/pods': '3' });
  });
});

describe('quota scopes', () => {
  const withSpec = (p: Pod, spec: Partial<NonNullable<Pod['spec']>>): Pod => ({ ...p, spec: { ...p.spec!, ...spec } });
  const besteffort = pod('be');
  const burstable = pod('bu', { cpu: '100m' });
  const terminating = withSpec(pod('t', { cpu: '200m' }), { activeDeadlineSeconds: 60 });
  const high = withSpec(pod('h', { cpu: '300m' }), { priorityClassName: 'high' });

  it('merges spec.scopes and spec.scopeSelector', () => {
    expect(quotaScopeSelectors({ spec: { scopes: ['BestEffort'], scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } } }))
      .toEqual([{ scopeName: 'BestEffort', operator: 'Exists' }, { scopeName: 'PriorityClass', operator: 'In', values: ['high'] }]);
  });

  it('matches pods by QoS, active deadline, priority class and cross-namespace affinity', () => {
    const exists = (scopeName: string) => ({ scopeName, operator: 'Exists' });
    expect([besteffort, burstable].map((p) => podMatchesScope(p, exists('BestEffort')))).toEqual([true, false]);
    expect([besteffort, burstable].map((p) => podMatchesScope(p, exists('NotBestEffort')))).toEqual([false, true]);
    expect([terminating, burstable].map((p) => podMatchesScope(p, exists('Terminating')))).toEqual([true, false]);
    expect([terminating, burstable].map((p) => podMatchesScope(p, exists('NotTerminating')))).toEqual([false, true]);
    expect([high, burstable].map((p) => podMatchesScope(p, exists('PriorityClass')))).toEqual([true, false]);
    const notIn = { scopeName: 'PriorityClass', operator: 'NotIn', values: ['high'] };
    expect([high, burstable].map((p) => podMatchesScope(p, notIn))).toEqual([false, true]);
    const doesNotExist = { scopeName: 'PriorityClass', operator: 'DoesNotExist' };
    expect([high, burstable].map((p) => podMatchesScope(p, doesNotExist))).toEqual([false, true]);
    const cross = withSpec(burstable, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'k', namespaces: ['other'] }] } } });
    expect([cross, burstable].map((p) => podMatchesScope(p, exists('CrossNamespacePodAffinity')))).toEqual([true, false]);
  });

  it('a scoped quota counts only its pods, and nothing of other kinds', () => {
    const all = objs({ pods: [besteffort, burstable, terminating, high], counts: new Map([['configmaps', 4]]) });
    const hard = { pods: '9', 'requests.cpu': '9', configmaps: '9' };
    expect(quotaUsage(hard, all, Date.now(), [{ scopeName: 'NotBestEffort', operator: 'Exists' }])).toEqual({ pods: '3', 'requests.cpu': '600m', configmaps: '0' });
    expect(quotaUsage(hard, all, Date.now(), [{ scopeName: 'NotBestEffort', operator: 'Exists' }, { scopeName: 'NotTerminating', operator: 'Exists' }]))
      .toEqual({ pods: '2', 'requests.cpu': '400m', configmaps: '0' });
    expect(quotaUsage(hard, all, Date.now(), [{ scopeName: 'PriorityClass', operator: 'In', values: ['high', 'low'] }])).toEqual({ pods: '1', 'requests.cpu': '300m', configmaps: '0' });
  });
});

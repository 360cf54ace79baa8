// The pods/eviction budget rules without a cluster: which budgets select a pod, and when a budget lets
// an eviction through, counts it, or refuses it with upstream's 429 text and cause.
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { checkBudget, evictionRefused, matchingBudgets } from '../../src/api/eviction';
import { StatusError } from '../../src/registry/errors';

const ready: Pod = { metadata: { name: 'p', labels: { app: 'web' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
const unready: Pod = { metadata: { name: 'p', labels: { app: 'web' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } };

function budget(status: PodDisruptionBudget['status'], generation = 1, spec: PodDisruptionBudget['spec'] = { selector: { matchLabels: { app: 'web' } } }): PodDisruptionBudget {
  return { metadata: { name: 'web-pdb', generation }, spec, status };
}

function refusal(f: () => unknown): StatusError {
  try { f(); } catch (e) { if (e instanceof StatusError) return e; throw e; }
  throw new Error('expected a refusal');
}

test('selectors: matching labels and the empty selector select, a missing one does not', () => {
  const all = budget({ currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 }, 1, { selector: {} });
  const none = budget({ currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 }, 1, {});
  const other = budget({ currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 }, 1, { selector: { matchLabels: { app: 'db' } } });
  const web = budget({ currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 });
  expect(matchingBudgets([all, none, other, web], ready)).toEqual([all, web]);
});

test('an allowed disruption is taken', () => {
  expect(checkBudget(budget({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3, observedGeneration: 1 }), ready)).toBe('take');
});

test('no disruption allowed: 429 with the budget\'s health in the cause', () => {
  const e = refusal(() => checkBudget(budget({ currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 2, observedGeneration: 1 }), ready));
  expect(e.status).toMatchObject({
    code: 429, reason: 'TooManyRequests', message: evictionRefused,
    details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 2 healthy pods and has 2 currently' }] },
  });
  expect(evictionRefused).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
});

test('a budget its controller has not seen yet: 429, retry after 10 seconds', () => {
  const e = refusal(() => checkBudget(budget({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3, observedGeneration: 1 }, 2), ready));
  expect(e.status).toMatchObject({ code: 429, details: { retryAfterSeconds: 10, causes: [{ message: 'The disruption budget web-pdb is still being processed by the server.' }] } });
});

test('an unready pod goes without counting when the budget is healthy or says AlwaysAllow', () => {
  expect(checkBudget(budget({ currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3, observedGeneration: 1 }), unready)).toBe('free');
  const always = budget({ currentHealthy: 0, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3, observedGeneration: 1 }, 1,
    { selector: { matchLabels: { app: 'web' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  expect(checkBudget(always, unready)).toBe('free');
  expect(refusal(() => checkBudget({ ...always, spec: { selector: always.spec?.selector } }, unready)).code).toBe(429);
});

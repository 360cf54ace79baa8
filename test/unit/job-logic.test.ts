// The Job controller's pure rules: completion index intervals as upstream writes them, podFailurePolicy
// matching (exit codes, DisruptionTarget conditions, messages), the pod failure back-off, how many pods
// should run and which go first, and the pod made from the template (Indexed names, env, finalizer).
import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { firstPendingIndexes, formatIndexes, parseIndexes, totalIndexes, withIndexes } from '../../src/controllers/job/completion-indexes';
import { activePodsForRemoval, pastBackoffLimitOnFailure, wantActivePods } from '../../src/controllers/job/job-arithmetic';
import { isPodFailed, podForJob, podGenerateNameWithIndex } from '../../src/controllers/job/job-pods';
import { backoffRemainingMs, nextBackoffRecord } from '../../src/controllers/job/pod-failure-backoff';
import { matchPodFailurePolicy } from '../../src/controllers/job/pod-failure-policy';
import { jobExpiresAt } from '../../src/controllers/ttl-after-finished-controller';

const job = (spec: Partial<NonNullable<Job['spec']>>): Job => ({
  metadata: { name: 'work', namespace: 'ns', uid: 'u1' },
  spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } }, ...spec },
});
const pod = (name: string, extra: { phase?: string; exit?: number; index?: number; ready?: boolean; node?: string; deleting?: boolean; conditions?: { type: string; status: string }[] } = {}): Pod => ({
  metadata: {
    name, namespace: 'ns', uid: name, creationTimestamp: '2024-01-01T00:00:00Z',
    ...(extra.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(extra.index) } } : {}),
    ...(extra.deleting ? { deletionTimestamp: '2024-01-01T00:01:00Z' } : {}),
  },
  spec: { containers: [{ name: 'main' }], ...(extra.node ? { nodeName: extra.node } : {}) },
  status: {
    phase: extra.phase ?? 'Running',
    conditions: [...(extra.conditions ?? []), ...(extra.ready ? [{ type: 'Ready', status: 'True' }] : [])],
    ...(extra.exit !== undefined ? { containerStatuses: [{ name: 'main', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: extra.exit, finishedAt: '2024-01-01T00:00:30Z' } } }] } : {}),
  },
});

describe('completion indexes', () => {
  it('parse, merge and format as upstream writes status.completedIndexes', () => {
    expect(formatIndexes(parseIndexes('1,3-5,7', 10))).toBe('1,3-5,7');
    expect(formatIndexes(withIndexes(parseIndexes('1,3-5', 10), [2, 8, 9]))).toBe('1-5,8,9');
    expect(formatIndexes(withIndexes([], [0, 1]))).toBe('0,1');
    expect(formatIndexes(parseIndexes('0-9', 5))).toBe('0-4');
    expect(totalIndexes(parseIndexes('0,2-4', 10))).toBe(4);
    expect(firstPendingIndexes(parseIndexes('0,2', 6), [3], 2, 6)).toEqual([1, 4]);
    expect(firstPendingIndexes(parseIndexes('0-2', 3), [], 2, 3)).toEqual([]);
  });
});

describe('podFailurePolicy', () => {
  const policy = { rules: [
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    { action: 'Count', onExitCodes: { operator: 'NotIn', values: [42, 43] } },
  ] };
  it('matches rules in order, with upstream messages', () => {
    expect(matchPodFailurePolicy(policy, pod('a', { phase: 'Failed', exit: 42 }))).toEqual({
      countFailed: true, action: 'FailJob', failJobMessage: 'Container main for pod ns/a failed with exit code 42 matching FailJob rule at index 1',
    });
    expect(matchPodFailurePolicy(policy, pod('b', { phase: 'Failed', exit: 42, conditions: [{ type: 'DisruptionTarget', status: 'True' }] })))
      .toEqual({ countFailed: false, action: 'Ignore' });
    expect(matchPodFailurePolicy(policy, pod('c', { phase: 'Failed', exit: 1 }))).toEqual({ countFailed: true, action: 'Count' });
    // 43 matches no rule: counted by default.
    expect(matchPodFailurePolicy(policy, pod('d', { phase: 'Failed', exit: 43 }))).toEqual({ countFailed: true });
    const onCondition = { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] };
    expect(matchPodFailurePolicy(onCondition, pod('e', { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True' }] })).failJobMessage)
      .toBe('Pod ns/e has condition DisruptionTarget matching FailJob rule at index 0');
    expect(matchPodFailurePolicy(undefined, pod('f', { phase: 'Failed', exit: 42 }))).toEqual({ countFailed: true });
  });
});

describe('pod failure back-off', () => {
  const at = Date.parse('2024-01-01T00:00:30Z');
  it('waits 10 s after one failure, doubling per further failure, capped at 10 minutes; a success resets it', () => {
    const one = nextBackoffRecord({ failuresAfterLastSuccess: 0 }, [], [pod('a', { phase: 'Failed', exit: 1 })]);
    expect(one).toEqual({ failuresAfterLastSuccess: 1, lastFailureTime: at });
    expect(backoffRemainingMs(one, at + 4000)).toBe(6000);
    expect(backoffRemainingMs({ failuresAfterLastSuccess: 3, lastFailureTime: at }, at)).toBe(40_000);
    expect(backoffRemainingMs({ failuresAfterLastSuccess: 30, lastFailureTime: at }, at)).toBe(600_000);
    expect(nextBackoffRecord(one, [pod('s', { phase: 'Succeeded', exit: 0 })], [])).toEqual({ failuresAfterLastSuccess: 0 });
  });
});

describe('how many pods run, and which go first', () => {
  it('runs parallelism pods, never more than the missing completions', () => {
    expect(wantActivePods(job({ completions: 4, parallelism: 2 }), 0, 0)).toBe(2);
    expect(wantActivePods(job({ completions: 4, parallelism: 2 }), 3, 1)).toBe(1);
    expect(wantActivePods(job({ completions: 4, parallelism: 2 }), 5, 0)).toBe(0);
    expect(wantActivePods(job({ parallelism: 3 }), 0, 1)).toBe(3);
    // Without completions the first success stops new pods; the running ones may finish.
    expect(wantActivePods(job({ parallelism: 3 }), 1, 2)).toBe(2);
  });
  it('removes unscheduled, then not-ready pods first, and for Indexed Jobs repeated or out-of-range indexes', () => {
    const now = Date.now();
    const pods = [pod('ready', { ready: true, node: 'n' }), pod('pending', { node: 'n' }), pod('unscheduled')];
    expect(activePodsForRemoval(job({}), pods, 2, now).map((p) => p.metadata?.name)).toEqual(['unscheduled', 'pending']);
    const indexed = job({ completionMode: 'Indexed', completions: 2 });
    const dup = [pod('i0', { index: 0, ready: true, node: 'n' }), pod('i0b', { index: 0 }), pod('i5', { index: 5, ready: true, node: 'n' }), pod('none', { ready: true, node: 'n' })];
    expect(activePodsForRemoval(indexed, dup, 0, now).map((p) => p.metadata?.name).sort()).toEqual(['i0b', 'i5', 'none']);
  });
  it('counts restarts of OnFailure pods against backoffLimit', () => {
    const j = job({ backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } });
    const restarted = (n: number): Pod => ({ ...pod('r'), status: { phase: 'Running', containerStatuses: [{ name: 'main', image: '', imageID: '', ready: true, restartCount: n }] } });
    expect(pastBackoffLimitOnFailure(j, [restarted(1)])).toBe(false);
    expect(pastBackoffLimitOnFailure(j, [restarted(2)])).toBe(true);
    expect(pastBackoffLimitOnFailure(job({ backoffLimit: 2 }), [restarted(5)])).toBe(false);
  });
  it('counts a pod deleted before it succeeded as failed, unless only Failed pods are replaced', () => {
    expect(isPodFailed(pod('x', { deleting: true }), job({}))).toBe(true);
    expect(isPodFailed(pod('x', { deleting: true }), job({ podReplacementPolicy: 'Failed' }))).toBe(false);
    expect(isPodFailed(pod('x', { deleting: true, phase: 'Succeeded' }), job({}))).toBe(false);
  });
});

describe('the pod of a Job', () => {
  const ref = { apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: 'u1', controller: true, blockOwnerDeletion: true };
  it('carries the tracking finalizer and the controller reference', () => {
    const p = podForJob(job({}), ref);
    expect(p.metadata).toEqual({ generateName: 'work-', namespace: 'ns', labels: { a: 'b' }, finalizers: ['batch.kubernetes.io/job-tracking'], ownerReferences: [ref] });
  });
  it('of an Indexed Job is named <job>-<index>- with the index annotation, label, hostname and env', () => {
    const p = podForJob(job({ completionMode: 'Indexed', completions: 3 }), ref, 2);
    expect(p.metadata?.generateName).toBe('work-2-');
    expect(p.metadata?.annotations).toEqual({ 'batch.kubernetes.io/job-completion-index': '2' });
    expect(p.metadata?.labels).toEqual({ a: 'b', 'batch.kubernetes.io/job-completion-index': '2' });
    expect(p.spec?.hostname).toBe('work-2');
    expect(p.spec?.containers[0].env).toEqual([{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } }]);
    expect(podGenerateNameWithIndex('x'.repeat(60), 12)).toBe(`${'x'.repeat(54)}-12-`);
  });
});

describe('ttlSecondsAfterFinished', () => {
  it('expires a finished Job that long after its terminal condition', () => {
    const done: Job = { ...job({ ttlSecondsAfterFinished: 30 }), status: { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }] } };
    expect(jobExpiresAt(done)).toBe(Date.parse('2024-01-01T00:00:30Z'));
    expect(jobExpiresAt(job({ ttlSecondsAfterFinished: 30 }))).toBeUndefined();
    expect(jobExpiresAt({ ...done, spec: { ...done.spec!, ttlSecondsAfterFinished: undefined } })).toBeUndefined();
  });
});
